"""Issue 8's 500s, each now a 400 (or the right 2xx), on SQLite and PostgreSQL alike.

Crafted list cursors on every gated list (API and HTML), year-1 and year-9999 datetimes, deep JSON, lone
surrogates, the access log's date filters at the ends of the calendar; and records whose stored dates lie at
the ends of the calendar (saved before the bounds existed), shared across agencies: every page that shows
them answers 200.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agencies import access, bounds
from agencies.api import parsers
from agencies.tests.factories import legal_basis
from cases.models import GroupMembership, IdentityDetails, Incident
from cases.selectors.duplicates import duplicate_candidates
from cases.tests.factories import IndividualFactory, group, incident, membership

pytestmark = pytest.mark.django_db

GATED_APIS = [
    "individuals",
    "groups",
    "group-relations",
    "memberships",
    "incidents",
    "exit-cases",
    "case-entries",
    "consents",
    "call-ins",
    "invitations",
    "notifications",
    "enforcement-responses",
    "review-meetings",
]
HTML_LISTS = ["/personer/", "/grupperingar/", "/handelser/", "/arenden/", "/call-ins/", "/samtal/", "/insatser/"]
HTML_LISTS += ["/genomgangar/"]


def _cursor(t: str, pk, direction: str = "n") -> str:
    raw = json.dumps({"t": t, "id": pk, "d": direction}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CRAFTED = {
    "id 10^30": _cursor("2025-01-01T00:00:00+00:00", 10**30),
    "year 1, naive": _cursor("0001-01-01T00:00:00", 1),
    "year 1, aware": _cursor("0001-01-01T00:00:00+05:00", 1),
    "year 9999": _cursor("9999-12-31T23:59:59-05:00", 1),
    "id as text": _cursor("2025-01-01T00:00:00+00:00", "1"),
}
DRF_CRAFTED = {
    "year 9999": base64.b64encode(b"p=9999-12-31+23%3A59%3A59%2B00%3A00&r=0").decode(),
    "year 1": base64.b64encode(b"p=0001-01-01&o=1").decode(),
    "offset not a number": base64.b64encode(b"o=abc").decode(),
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def html(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", GATED_APIS)
def test_a_crafted_cursor_on_every_gated_api_list_is_a_400(police_caseworker, name):
    client = api(police_caseworker)
    for label, cursor in CRAFTED.items():
        response = client.get(f"/api/v1/{name}/", {"cursor": cursor})
        assert response.status_code == 400, (label, response.content)
        assert response.json() == {"cursor": ["Ogiltig sidmarkör."]}, label


@pytest.mark.parametrize("path", ["/api/v1/shares/", "/api/v1/tasks/"])
def test_a_crafted_cursor_on_the_drf_paginated_lists_is_the_same_400(police_caseworker, path):
    client = api(police_caseworker)
    for label, cursor in {**DRF_CRAFTED, **CRAFTED}.items():
        response = client.get(path, {"cursor": cursor})
        assert response.status_code == 400, (label, response.content)
        assert response.json() == {"cursor": ["Ogiltig sidmarkör."]}, label


@pytest.mark.parametrize("path", HTML_LISTS)
def test_a_crafted_cursor_on_every_html_list_shows_the_first_page(police_lead, path):
    client = html(police_lead)
    for label, cursor in CRAFTED.items():
        response = client.get(path, {"cursor": cursor})
        assert response.status_code == 200, label
        assert "Länken till sidan var ogiltig" in response.content.decode(), label


def test_a_real_cursor_still_pages(police_caseworker, police):
    for n in range(3):
        IndividualFactory(owner_agency=police, created_by=police_caseworker, alias=f"Sida {n}")
    client = api(police_caseworker)
    first = client.get("/api/v1/individuals/", {"page_size": 2}).json()
    second = client.get(first["next"]).json()
    assert [row["alias"] for row in second["results"]] == ["Sida 0"]


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59"])
def test_an_incident_time_at_the_ends_of_the_calendar_is_a_400(police_caseworker, value):
    response = api(police_caseworker).post(
        "/api/v1/incidents/", {"kind": "shooting", "occurred_at": value}, format="json"
    )
    assert response.status_code == 400
    message = response.json()["occurred_at"][0]
    assert (
        message.startswith("Ange ett datum mellan 1990-01-01 och ")
        or message == "Tidpunkten kan inte ligga i framtiden."
    )
    assert not Incident.objects.exists()


def test_an_incident_before_1990_or_in_the_future_is_refused_and_the_window_ends_are_accepted(police_caseworker):
    client = api(police_caseworker)
    today = timezone.localdate()
    for day, status in [(date(1989, 12, 31), 400), (today + timedelta(days=1), 400), (date(1990, 1, 1), 201)]:
        response = client.post("/api/v1/incidents/", {"kind": "shooting", "occurred_at": f"{day}T12:00"}, format="json")
        assert response.status_code == status, (day, response.content)


def test_a_year_1_next_meeting_is_a_400(police_caseworker, police):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    response = api(police_caseworker).post(
        "/api/v1/exit-cases/", {"individual": person.pk, "next_meeting": "0001-01-01T00:00:00"}, format="json"
    )
    assert response.status_code == 400
    assert "next_meeting" in response.json()


def test_a_year_1_share_expiry_is_a_400(police_caseworker, police, kommun):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    response = api(police_caseworker).post(
        "/api/v1/shares/",
        {
            "object_type": "individual",
            "object_id": person.pk,
            "to_agency": kommun.pk,
            "legal_basis": legal_basis().pk,
            "assessment": "Behövs för samverkan.",
            "expires_at": "0001-01-01T00:00:00",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["expires_at"][0].startswith("Ange ett datum mellan")


WRITES = [
    ("post", "/api/v1/individuals/"),
    ("post", "/api/v1/groups/"),
    ("post", "/api/v1/incidents/"),
    ("post", "/api/v1/memberships/"),
    ("post", "/api/v1/exit-cases/"),
    ("post", "/api/v1/tasks/"),
    ("post", "/api/v1/shares/"),
    ("post", "/api/v1/call-ins/"),
    ("post", "/api/v1/notifications/"),
    ("post", "/api/v1/enforcement-responses/"),
    ("post", "/api/v1/review-meetings/"),
    ("post", "/api/v1/consents/"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_deeply_nested_json_on_every_write_is_a_400(police_caseworker, method, path):
    body = "[" * 100_000 + "]" * 100_000
    response = getattr(api(police_caseworker), method)(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": f"JSON-data är nästlat för djupt (högst {parsers.MAX_DEPTH} nivåer)."}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/groups/", {"name": "X", "status": "\ud800"}),
        ("/api/v1/incidents/", {"kind": "\ud800", "occurred_at": "2025-01-01T00:00"}),
        ("/api/v1/individuals/", {"alias": "a\ud800"}),
        ("/api/v1/individuals/", {"alias": "a", "\ud800": 1}),
    ],
)
def test_a_lone_surrogate_in_a_choice_or_text_field_is_a_400(police_caseworker, path, body):
    raw = json.dumps(body)  # ensure_ascii: the surrogate travels as the escape "\ud800", as a client sends it
    response = api(police_caseworker).post(path, raw, content_type="application/json")
    assert response.status_code == 400
    assert "ensamt surrogattecken" in response.json()["detail"]


@pytest.mark.parametrize("query", ["date_from=0001-01-01", "date_to=9999-12-31", "date_from=9999-12-31"])
def test_the_access_log_date_filters_at_the_ends_of_the_calendar_are_a_form_error(police_lead, query):
    response = html(police_lead).get(f"{reverse('access-log')}?{query}")
    assert response.status_code == 200
    assert "Ange ett datum mellan 1990-01-01 och" in response.content.decode()


# --- records whose stored dates are at the ends of the calendar --------------------------------------------


@pytest.fixture
def extreme_records(police_caseworker, police, kommun, police_lead):
    """A membership reviewed by 9999-12-31 and incidents in year 20 and 9999, stored directly (as before the
    bounds), all shared with the kommun."""
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    grp = group(police, police_caseworker, name="Gränsgruppen")
    member = membership(police_caseworker, person, grp)
    GroupMembership.objects.filter(pk=member.pk).update(review_due=date.max)
    old = incident(police_caseworker, place="Gammal plats")
    late = incident(police_caseworker, place="Sen plats")
    Incident.objects.filter(pk=old.pk).update(occurred_at=datetime(20, 6, 1, 12, tzinfo=UTC))
    Incident.objects.filter(pk=late.pk).update(occurred_at=datetime(9999, 12, 31, 12, tzinfo=UTC))
    for obj in (person, grp, member, old, late):
        access.share(
            obj,
            to_agency=kommun,
            level="view",
            legal_basis=legal_basis(),
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    return {"person": person, "group": grp, "membership": member, "incidents": (old, late)}


def test_every_page_showing_a_boundary_date_answers_200_for_owner_and_sharer(
    extreme_records, police_caseworker, kommun_caseworker, police_lead
):
    grp, member = extreme_records["group"], extreme_records["membership"]
    old, late = extreme_records["incidents"]
    pages = [
        "/handelser/",
        f"/handelser/{old.pk}/",
        f"/handelser/{late.pk}/",
        f"/grupperingar/{grp.pk}/",
        "/grupperingar/omprovning/",
        f"/personer/{extreme_records['person'].pk}/",
    ]
    apis = ["/api/v1/memberships/", f"/api/v1/memberships/{member.pk}/", "/api/v1/incidents/"]
    apis += ["/api/v1/incidents/monthly/", f"/api/v1/incidents/{late.pk}/"]
    for user in (police_caseworker, kommun_caseworker):
        client = html(user)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (user, path)
        listing = client.get("/handelser/")
        assert len(listing.content) < 300_000  # year 20 to 9999 once drew a 9.9 MB month chart
        client = api(user)
        for path in apis:
            response = client.get(path)
            assert response.status_code == 200, (user, path)
        rows = client.get("/api/v1/memberships/").json()["results"]
        assert rows[0]["expires_on"] == "9999-12-31"  # held at the calendar's end, not an overflow


def test_check_stored_values_reports_the_out_of_range_rows(extreme_records):
    out = StringIO()
    with pytest.raises(CommandError, match="3 lagrade värden"):
        call_command("check_stored_values", stdout=out)
    report = out.getvalue()
    assert "cases.GroupMembership.review_due: 1 rader" in report
    assert "cases.Incident.occurred_at: 2 rader" in report


def test_check_stored_values_is_quiet_on_good_data(police_caseworker):
    incident(police_caseworker)
    out = StringIO()
    call_command("check_stored_values", stdout=out)
    assert "Inga lagrade värden" in out.getvalue()


# --- personnummer in other scripts -------------------------------------------------------------------------

ASCII = "198507099805"
ARABIC_INDIC = "".join(chr(0x660 + int(c)) for c in ASCII)
FULL_WIDTH = "".join(chr(0xFF10 + int(c)) for c in "850709") + "－" + "".join(chr(0xFF10 + int(c)) for c in "9805")


@pytest.mark.parametrize("typed", [ARABIC_INDIC, FULL_WIDTH])
def test_a_personnummer_in_other_digits_is_stored_as_ascii_and_found(police_caseworker, typed):
    response = api(police_caseworker).post(
        "/api/v1/individuals/", {"alias": "Siffror", "identity": {"personnummer": typed}}, format="json"
    )
    assert response.status_code == 201, response.content
    assert IdentityDetails.objects.get().personnummer == ASCII
    # Search by either form finds the one person, and so does the duplicate warning.
    for term in (ASCII, typed):
        found = api(police_caseworker).get("/api/v1/individuals/", {"q": term}).json()["results"]
        assert [row["alias"] for row in found] == ["Siffror"], term
    candidates = duplicate_candidates(user=police_caseworker, alias="Annat", birth_year=None, personnummer=typed)
    assert [c.individual.alias for c in candidates] == ["Siffror"]


def test_the_bounds_have_one_home():
    assert bounds.HAPPENED.limits()[0] == bounds.EARLIEST == date(1990, 1, 1)
    assert bounds.PLANNED.limits()[1] - timezone.localdate() == bounds.PLANNING_HORIZON
    assert bounds.add_days(date.max, 30) == date.max
