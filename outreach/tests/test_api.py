"""/api/v1/call-ins/, invitations/, notifications/, enforcement-responses/, review-meetings/: the access matrix,
exact field sets per viewer, version and 409, the hidden reason and legal-risk summary, the share endpoint for
the new kinds, the schema, and list query counts constant from 1 to 50 rows."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import ExitCase
from outreach.models import Invitation, Lever

from . import factories as f

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "call-ins": "call_in",
    "invitations": "invitation",
    "notifications": "notification",
    "enforcement-responses": "response",
    "review-meetings": "meeting",
}
FIELDS = {
    "call-ins": {
        "id", "url", "title", "starts_at", "ends_at", "venue", "status", "rehearsal_on", "message_moral",
        "message_consequences", "message_help", "notes", "speakers", "target_groups", "host_agencies",
        "owner_agency", "created_at", "updated_at", "version",
    },
    "invitations": {
        "id", "url", "call_in", "individual", "individual_alias", "status", "accompanied_by", "follow_up_on",
        "help_requested", "exit_case", "owner_agency", "created_at", "updated_at", "version",
    },
    "notifications": {
        "id", "url", "individual", "individual_alias", "delivered_on", "place_type", "team_agencies", "speakers",
        "message_delivered", "offer_made", "offer_accepted", "outcome", "follow_up_on", "exit_case", "owner_agency",
        "created_at", "updated_at", "version",
    },
    "enforcement-responses": {
        "id", "url", "group", "group_name", "decided_on", "status", "summary", "communicated", "communication",
        "trigger_incidents", "warning_call_ins", "warning_notifications", "participating_agencies", "owner_agency",
        "created_at", "updated_at", "version",
    },
    "review-meetings": {
        "id", "url", "starts_at", "status", "decisions", "notes", "incidents", "participating_agencies", "actions",
        "owner_agency", "created_at", "updated_at", "version",
    },
}  # fmt: skip


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_gets_401(world, endpoint):
    pk = getattr(world, ENDPOINTS[endpoint]).pk
    assert api().get(f"/api/v1/{endpoint}/").status_code == 401
    assert api().get(f"/api/v1/{endpoint}/{pk}/").status_code == 401
    assert api().patch(f"/api/v1/{endpoint}/{pk}/", {"version": 1}, format="json").status_code == 401


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_other_agency_gets_404_and_an_empty_list(world, outsider, endpoint):
    pk = getattr(world, ENDPOINTS[endpoint]).pk
    client = api(outsider)
    assert client.get(f"/api/v1/{endpoint}/{pk}/").status_code == 404
    assert client.patch(f"/api/v1/{endpoint}/{pk}/", {"version": 1, "notes": "x"}, format="json").status_code == 404
    assert ids(client.get(f"/api/v1/{endpoint}/")) == []


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_owner_gets_exactly_the_declared_fields(world, police_caseworker, endpoint):
    pk = getattr(world, ENDPOINTS[endpoint]).pk
    body = api(police_caseworker).get(f"/api/v1/{endpoint}/{pk}/").json()
    expected = FIELDS[endpoint] | ({"levers"} if endpoint == "enforcement-responses" else set())
    assert set(body) == expected
    listed = api(police_caseworker).get(f"/api/v1/{endpoint}/").json()["results"]
    assert [set(row) for row in listed] == [FIELDS[endpoint]]


def test_shared_viewer_gets_the_same_fields_and_no_id_it_may_not_see(world, police_caseworker, kommun_caseworker):
    # The municipality is a host, a team member and a participant; it sees neither the group nor the incident.
    call_in = api(kommun_caseworker).get(f"/api/v1/call-ins/{world.call_in.pk}/").json()
    assert set(call_in) == FIELDS["call-ins"] | {"provenance"} and call_in["target_groups"] == []
    assert call_in["host_agencies"] == ["orebro-kommun"]
    assert api(police_caseworker).get(f"/api/v1/call-ins/{world.call_in.pk}/").json()["target_groups"] == [
        world.group.pk
    ]
    # The response's group is invisible to it: the response itself answers 404 (a link needs both ends).
    assert api(kommun_caseworker).get(f"/api/v1/enforcement-responses/{world.response.pk}/").status_code == 404
    meeting = api(kommun_caseworker).get(f"/api/v1/review-meetings/{world.meeting.pk}/").json()
    assert set(meeting) == FIELDS["review-meetings"] | {"provenance"} and meeting["incidents"] == []
    # The notification needs its person too.
    assert api(kommun_caseworker).get(f"/api/v1/notifications/{world.notification.pk}/").status_code == 404
    f.share(world.person, world.call_in.host_agencies.get(), police_caseworker)
    notification = api(kommun_caseworker).get(f"/api/v1/notifications/{world.notification.pk}/").json()
    assert (
        set(notification) == FIELDS["notifications"] | {"provenance"} and notification["individual_alias"] == "Kalle K"
    )


def test_reason_and_legal_risk_have_their_own_hidden_addresses(world, police_caseworker, kommun, kommun_caseworker):
    owner = api(police_caseworker)
    assert owner.get(f"/api/v1/invitations/{world.invitation.pk}/reason/").json()["text"] == "Villkor X (fiktivt)"
    assert owner.get(f"/api/v1/notifications/{world.notification.pk}/legal-risk/").json()["owner_agency"] == "polisen"
    f.share(world.person, kommun, police_caseworker)
    f.share(world.invitation, kommun, police_caseworker)
    partner = api(kommun_caseworker)
    assert partner.get(f"/api/v1/invitations/{world.invitation.pk}/").status_code == 200
    assert partner.get(f"/api/v1/invitations/{world.invitation.pk}/reason/").status_code == 404
    assert partner.get(f"/api/v1/notifications/{world.notification.pk}/legal-risk/").status_code == 404
    assert (
        partner.put(f"/api/v1/invitations/{world.invitation.pk}/reason/", {"kind": "other", "text": "x"}).status_code
        == 400
    )


def test_stale_version_is_409_and_changes_nothing(world, police_caseworker):
    client = api(police_caseworker)
    ok = client.patch(f"/api/v1/call-ins/{world.call_in.pk}/", {"version": 1, "notes": "Ny"}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/v1/call-ins/{world.call_in.pk}/", {"version": 1, "notes": "Gammal"}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert client.patch(f"/api/v1/call-ins/{world.call_in.pk}/", {"notes": "x"}, format="json").status_code == 400
    world.call_in.refresh_from_db()
    assert world.call_in.notes == "Ny"


def test_view_share_cannot_change(world, kommun_caseworker):
    response = api(kommun_caseworker).patch(
        f"/api/v1/call-ins/{world.call_in.pk}/", {"version": 1, "notes": "x"}, format="json"
    )
    assert response.status_code == 403


def test_create_through_the_api_with_bad_input_in_swedish(world, police_caseworker, outsider):
    past = (timezone.now() - timedelta(days=1)).isoformat()
    response = api(police_caseworker).post(
        "/api/v1/call-ins/", {"title": "X", "starts_at": past, "venue": "Y"}, format="json"
    )
    assert (
        response.status_code == 400 and response.json()["detail"] == "En planerad call-in kan inte ligga bakåt i tiden."
    )
    # An invisible person is as invalid as a missing one.
    call_in = f.call_in(outsider)
    refused = api(outsider).post(
        "/api/v1/invitations/", {"call_in": call_in.pk, "individual": world.person.pk}, format="json"
    )
    missing = api(outsider).post("/api/v1/invitations/", {"call_in": call_in.pk, "individual": 999999}, format="json")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["individual"][0].replace(str(world.person.pk), "N") == missing.json()["individual"][
        0
    ].replace("999999", "N")
    lever = api(outsider).post(
        f"/api/v1/enforcement-responses/{world.response.pk}/levers/",
        {"kind": "other", "description": "x", "starts_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert lever.status_code == 404 and not Lever.objects.filter(owner_agency__slug="ny-start").exists()


def test_help_requested_through_the_api_twice_opens_one_case(world, police_caseworker):
    client = api(police_caseworker)
    url = f"/api/v1/invitations/{world.invitation.pk}/"
    first = client.patch(url, {"version": 1, "help_requested": True}, format="json")
    assert first.status_code == 200 and first.json()["exit_case"] is not None
    again = client.patch(url, {"version": first.json()["version"], "help_requested": True}, format="json")
    assert again.json()["exit_case"] == first.json()["exit_case"]
    assert ExitCase.objects.filter(individual=world.person).count() == 1


def test_attendance_through_the_api_on_a_cancelled_call_in(police_caseworker):
    from outreach import services

    call_in = f.held_call_in(police_caseworker)
    invitation = f.invitation(police_caseworker, call_in, f.person(police_caseworker))
    services.call_in_set_status(call_in=call_in, acting_user=police_caseworker, status="cancelled")
    response = api(police_caseworker).patch(
        f"/api/v1/invitations/{invitation.pk}/", {"version": invitation.version, "status": "attended"}, format="json"
    )
    assert response.status_code == 400 and "inställd" in response.json()["detail"]
    assert Invitation.objects.get(pk=invitation.pk).status == "invited"


def test_levers_as_one_timeline_through_the_api(world, police_caseworker):
    client = api(police_caseworker)
    created = client.post(
        f"/api/v1/enforcement-responses/{world.response.pk}/levers/",
        {"kind": "supervision_check", "description": "Kontroll", "starts_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert created.status_code == 201
    body = client.get(f"/api/v1/enforcement-responses/{world.response.pk}/").json()
    assert [lever["id"] for lever in body["levers"]] == [world.lever.pk, created.json()["id"]]
    patched = client.patch(
        f"/api/v1/enforcement-responses/{world.response.pk}/levers/{world.lever.pk}/",
        {"version": 1, "outcome": "Klart"},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["outcome"] == "Klart"


def test_share_endpoint_serves_the_outreach_kinds(world, police_caseworker, community, outsider):
    body = {
        "object_type": "call_in",
        "object_id": world.call_in.pk,
        "to_agency": "trygga-vagar",
        "legal_basis": "ej-sekretess",
        "assessment": "Behövs för samverkan.",
    }
    assert api(outsider).post("/api/v1/shares/", body, format="json").status_code == 404
    response = api(police_caseworker).post("/api/v1/shares/", body, format="json")
    assert response.status_code == 201 and response.json()["object_type"] == "call_in"
    reason = {**body, "object_type": "invitation_reason", "object_id": world.invitation.pk}
    assert api(police_caseworker).post("/api/v1/shares/", reason, format="json").status_code == 201


def test_schema_has_the_outreach_endpoints():
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    for path in (
        "/api/v1/call-ins/", "/api/v1/invitations/{id}/reason/", "/api/v1/notifications/{id}/legal-risk/",
        "/api/v1/enforcement-responses/{id}/levers/", "/api/v1/review-meetings/{id}/actions/",
    ):  # fmt: skip
        assert f"  {path}:" in out.getvalue()


LIST_QUERIES = {
    # (SQLite, PostgreSQL), with the caller already resolved (force_authenticate keeps the user object, which
    # caches its agency): the gate's page (one query: the rows by primary key, the branches' ids as a
    # subquery) with the prefetches each list needs, the log entry and its targets (2 on SQLite, one statement on
    # PostgreSQL).
    "call-ins": (1 + 3 + 2, 1 + 3 + 1),  # speakers, hosts, visible target groups
    "invitations": (1 + 2, 1 + 1),  # person, call-in and visible case in the row query
    "notifications": (1 + 2 + 2, 1 + 2 + 1),  # speakers, team
    "enforcement-responses": (1 + 4 + 2, 1 + 4 + 1),  # participants, visible incidents/call-ins/notifications
    "review-meetings": (1 + 3 + 2, 1 + 3 + 1),  # participants, actions with assignee, visible incidents
}


def _grow(endpoint, user, n):
    someone = f.person(user, alias=f"API {endpoint}")
    for i in range(n):
        if endpoint == "call-ins":
            f.call_in(user, title=f"A{i}")
        elif endpoint == "invitations":
            f.invitation(user, f.call_in(user, title=f"I{i}"), someone)
        elif endpoint == "notifications":
            f.notification(user, someone, delivered_on=timezone.localdate() - timedelta(days=i))
        elif endpoint == "enforcement-responses":
            f.response(user, f.group(None, user, name=f"API-{i}"))
        else:
            f.meeting(user, starts_at=timezone.now() - timedelta(days=i))


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_list_query_count_is_the_same_at_1_and_50_rows(endpoint, police, police_caseworker):
    client = api(police_caseworker)

    def measured() -> int:
        client.get(f"/api/v1/{endpoint}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/{endpoint}/").status_code == 200
        return len(queries)

    _grow(endpoint, police_caseworker, 1)
    one = measured()
    _grow(endpoint, police_caseworker, 49)
    many = measured()
    sqlite, postgres = LIST_QUERIES[endpoint]
    assert one == many == (postgres if connection.features.supports_slicing_ordering_in_compound else sqlite), (
        one,
        many,
    )
