"""Refused attempts are counted for the owning agency's leads: who tried, which kind, through which door.

The trier learns nothing (the same 404 as for an id that exists nowhere), a probe of many ids becomes one
counter row per hour, the found path costs no query more, and only the owner's leads see the count.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies import access
from agencies.context import audit_context
from agencies.models import DeniedAccess, Via
from agencies.tests.factories import basis_for
from cases.models import IdentityDetails, Individual
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory
from gvi_portal.testing import log_write, page_text

pytestmark = pytest.mark.django_db

URL = "/atkomstlogg/nekade/"


@pytest.fixture
def secret(police, police_caseworker):
    """A police person, not shared with anyone."""
    return IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Hemlig")


def counters():
    return list(
        DeniedAccess.objects.order_by("id").values_list(
            "user__username", "agency__slug", "owner_agency__slug", "model", "action", "via", "attempts"
        )
    )


def test_a_refused_id_is_counted_with_owner_kind_and_door(secret, kommun_caseworker):
    assert access.find(kommun_caseworker, Individual, secret.pk) is None
    row = DeniedAccess.objects.get()
    assert counters() == [("kommun.handlaggare", "orebro-kommun", "polisen", "cases.individual", "view", "cli", 1)]
    assert (row.first_object_id, row.last_object_id) == (secret.pk, secret.pk)
    assert row.window_start == row.first_at.replace(minute=0, second=0, microsecond=0)


def test_an_id_that_exists_nowhere_is_counted_without_an_owner(kommun_caseworker):
    assert access.find(kommun_caseworker, Individual, 987654) is None
    assert counters() == [("kommun.handlaggare", "orebro-kommun", None, "cases.individual", "view", "cli", 1)]


def test_a_probe_of_many_ids_is_one_row(secret, police, police_caseworker, kommun_caseworker):
    others = [IndividualFactory(owner_agency=police, created_by=police_caseworker) for _n in range(5)]
    for _round in range(20):
        for person in [secret, *others]:
            access.find(kommun_caseworker, Individual, person.pk)
    assert counters() == [("kommun.handlaggare", "orebro-kommun", "polisen", "cases.individual", "view", "cli", 120)]
    assert DeniedAccess.objects.get().last_object_id == others[-1].pk


def test_out_of_range_and_malformed_ids_are_not_counted(kommun_caseworker):
    for pk in (10**30, -(10**30), "abc", None):
        assert access.find(kommun_caseworker, Individual, pk) is None
    assert counters() == []


def test_a_change_refused_on_a_shared_record_is_counted_as_change(secret, kommun, police_caseworker, kommun_caseworker):
    access.share(
        secret,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    assert access.find(kommun_caseworker, Individual, secret.pk, "change") is None
    assert counters()[0][4] == "change"


def test_the_found_path_costs_no_query_more(secret, police_caseworker, django_assert_num_queries):
    access.actor_for(police_caseworker)
    # The record (1), its log entry and the entry's target (one statement on PostgreSQL, two on SQLite): as
    # before refused attempts were counted.
    with django_assert_num_queries(1 + log_write()):
        assert access.find(police_caseworker, Individual, secret.pk) == secret
    assert counters() == []


def test_the_refused_path_costs_the_same_for_a_missing_id(secret, kommun_caseworker, django_assert_num_queries):
    access.actor_for(kommun_caseworker)
    access.find(kommun_caseworker, Individual, secret.pk)
    access.find(kommun_caseworker, Individual, 987654)
    # the gated lookup, the owner lookup, the counter's update — the same whether the record exists or not
    with django_assert_num_queries(3):
        access.find(kommun_caseworker, Individual, secret.pk)
    with django_assert_num_queries(3):
        access.find(kommun_caseworker, Individual, 987654)


def test_own_records_left_out_by_a_narrower_queryset_are_not_refusals(secret, police_caseworker):
    assert access.find(police_caseworker, Individual, secret.pk, queryset=Individual.objects.none()) is None
    assert counters() == []


def test_the_task_door_is_named(secret, kommun_caseworker):
    with audit_context(Via.TASK):
        access.find(kommun_caseworker, Individual, secret.pk)
    assert counters()[0][5] == "task"


def test_the_html_page_answers_the_same_404_and_counts_it(client, secret, kommun_caseworker):
    client.force_login(kommun_caseworker)
    refused = client.get(reverse("individual-detail", kwargs={"pk": secret.pk}))
    missing = client.get(reverse("individual-detail", kwargs={"pk": 987654}))
    assert refused.status_code == missing.status_code == 404
    # The same page (the CSRF token is masked afresh for every response, so it is left out of the comparison).
    assert page_text(refused) == page_text(missing)
    assert [row[2:] for row in counters()] == [
        ("polisen", "cases.individual", "view", "ui", 1),
        (None, "cases.individual", "view", "ui", 1),
    ]


def test_the_api_answers_the_same_404_and_counts_it(secret, kommun_caseworker):
    api = APIClient()
    api.force_login(kommun_caseworker)
    refused = api.get(f"/api/v1/individuals/{secret.pk}/")
    missing = api.get("/api/v1/individuals/987654/")
    assert refused.status_code == missing.status_code == 404
    assert refused.json() == missing.json()
    assert counters()[0][2:] == ("polisen", "cases.individual", "view", "api", 1)


def test_unshared_identity_details_on_a_visible_person_are_not_refusals(
    client, secret, kommun, police_caseworker, kommun_caseworker
):
    IdentityDetailsFactory(individual=secret)
    access.share(
        secret,
        to_agency=kommun,
        level="view",
        legal_basis=basis_for(kommun),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
    )
    client.force_login(kommun_caseworker)
    assert client.get(reverse("individual-detail", kwargs={"pk": secret.pk})).status_code == 200
    assert access.find(kommun_caseworker, IdentityDetails, secret.pk, count_denial=False) is None
    assert counters() == []


# --- the owner's leads see the count per user; nobody else sees anything -----------------------------------


@pytest.fixture
def probed(secret, kommun_caseworker, probation_caseworker):
    for _n in range(3):
        access.find(kommun_caseworker, Individual, secret.pk)
    access.find(probation_caseworker, Individual, secret.pk)
    access.find(probation_caseworker, Individual, 987654)  # exists nowhere: shown to no one


def test_the_owners_lead_sees_a_count_per_trying_user(client, probed, secret, police_lead, django_assert_num_queries):
    client.force_login(police_lead)
    client.get(URL)
    with django_assert_num_queries(QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    rows = [(row["user__username"], row["agency__name"], row["attempts"]) for row in response.context["page_obj"]]
    assert sorted(rows) == [
        ("kommun.handlaggare", "Örebro kommun", 3),
        ("kvv.handlaggare", "Kriminalvården Frivård Örebro", 1),
    ]
    html = response.content.decode()
    assert "<h1>Nekade försök</h1>" in html
    # A count per user, never which records.
    assert not any("object_id" in key for row in response.context["page_obj"] for key in row)
    assert "Post-id" not in html and "Hemlig" not in html


# session, user with its membership and agency, the lead's verified second-factor device, the paginator's
# count, the page, and the session's save (savepoint: 3)
QUERIES = 8


def test_the_triers_lead_sees_nothing(client, probed, kommun_lead):
    client.force_login(kommun_lead)
    response = client.get(URL)
    assert list(response.context["page_obj"]) == []
    assert "Inga nekade försök på din myndighets uppgifter." in response.content.decode()


def test_the_trier_learns_nothing(client, probed, kommun_caseworker):
    client.force_login(kommun_caseworker)
    assert client.get(URL).status_code == 403
    api = APIClient()
    api.force_login(kommun_caseworker)
    for path, present in (("/api/v1/", "individuals"), ("/api/schema/", "openapi")):
        response = api.get(path)
        assert response.status_code == 200 and present in response.content.decode(), path
        assert "denied" not in response.content.decode().lower()


def test_anonymous_goes_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/logga-in/")


def test_two_attempts_counted_out_of_clock_order_both_count(police_caseworker, police):
    """Two requests at once may reach the counter in the other order than their clocks; the triggers refuse a
    last_at that goes back, which was a 500 under schemathesis with two workers (issue 8)."""
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    key = {
        "window_start": now.replace(minute=0, second=0, microsecond=0),
        "user_id": police_caseworker.pk,
        "agency_id": police.pk,
        "owner_agency_id": None,
        "model": "cases.incident",
        "action": "view",
        "via": Via.API,
    }
    DeniedAccess.objects.count_attempt(key=key, object_id=1, at=now)
    DeniedAccess.objects.count_attempt(key=key, object_id=2, at=now - timedelta(seconds=1))
    row = DeniedAccess.objects.get()
    assert (row.attempts, row.last_at) == (2, now)
