"""The dry run and hold pages: who may open them, what each sees, 404 for another agency's record, query counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import AccessLogEntry, Role
from agencies.tests.factories import UserFactory, with_second_factor
from cases import services as cases
from cases.models import CaseEntry
from cases.tests.factories import IndividualFactory, exit_case
from retention.models import Hold

pytestmark = pytest.mark.django_db

LONG_AGO = date(2015, 1, 1)  # older than every seeded rule's period


def old_entries(user, agency, n=1):
    person = IndividualFactory(owner_agency=agency, created_by=user)
    case = exit_case(user, person)
    return [
        cases.entry_add(case=case, acting_user=user, kind="note", title=f"Gammal {i}", occurred_on=LONG_AGO)
        for i in range(n)
    ]


@pytest.fixture
def admin_user(police):
    user = UserFactory(username="polis.admin", agency=police, agency__role=Role.ADMIN)
    with_second_factor(user)
    return user


def test_a_caseworker_may_not_open_the_pages(client, police_caseworker):
    client.force_login(police_caseworker)
    for name in ("retention-dry-run", "retention-holds", "retention-hold-create"):
        assert client.get(reverse(name)).status_code == 403


def test_anonymous_goes_to_the_login_page(client):
    response = client.get(reverse("retention-dry-run"))
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_a_lead_sees_only_their_own_agencys_records(client, police_caseworker, police_lead, kommun_caseworker):
    (ours,) = old_entries(police_caseworker, police_caseworker.membership.agency)
    (theirs,) = old_entries(kommun_caseworker, kommun_caseworker.membership.agency)
    client.force_login(police_lead)
    response = client.get(reverse("retention-dry-run"))
    assert response.status_code == 200
    rows = [(row.label, row.pk) for group in response.context["groups"] for row in group.rows]
    assert rows == [("cases.caseentry", ours.pk)]
    assert f"?kind=cases.caseentry&amp;id={ours.pk}" in response.content.decode()
    assert theirs.pk not in {pk for _label, pk in rows} or theirs.pk == ours.pk
    assert {g.agency.pk for g in response.context["groups"]} == {police_lead.membership.agency_id}
    # Listing ids of protected records is logged, as any list.
    assert AccessLogEntry.objects.filter(user=police_lead, action="list", model="cases.caseentry").exists()


def test_an_administrator_sees_every_agency(client, admin_user, police_caseworker, kommun_caseworker):
    old_entries(police_caseworker, police_caseworker.membership.agency)
    old_entries(kommun_caseworker, kommun_caseworker.membership.agency)
    client.force_login(admin_user)
    response = client.get(reverse("retention-dry-run"))
    agencies = {g.agency.slug for g in response.context["groups"]}
    assert agencies == {police_caseworker.membership.agency.slug, kommun_caseworker.membership.agency.slug}


def test_the_empty_state(client, police_lead):
    client.force_login(police_lead)
    response = client.get(reverse("retention-dry-run"))
    assert "Nästa gallring tar inte bort något." in response.content.decode()
    # Every rule is applied now, the access log's included: no section of rules kept as data only.
    assert "Regler som inte tillämpas automatiskt" not in response.content.decode()


def test_a_lead_places_a_hold_on_their_own_record(client, police_caseworker, police_lead):
    (entry,) = old_entries(police_caseworker, police_caseworker.membership.agency)
    client.force_login(police_lead)
    url = reverse("retention-hold-create")
    assert client.get(url, {"kind": "cases.caseentry", "id": entry.pk}).status_code == 200
    ends = (timezone.localdate() + timedelta(days=90)).isoformat()
    data = {"kind": "cases.caseentry", "object_id": entry.pk, "reason": "Pågående process (fiktiv).", "ends_on": ends}
    response = client.post(url, data)
    assert response.status_code == 302
    hold = Hold.objects.get()
    assert (hold.content_type.model_class(), hold.object_id, hold.placed_by) == (CaseEntry, entry.pk, police_lead)
    assert AccessLogEntry.objects.filter(user=police_lead, action="change", detail__retention_hold=hold.pk).exists()
    # Now the dry run lists it as held.
    groups = client.get(reverse("retention-dry-run")).context["groups"]
    assert [(row.pk, row.outcome) for g in groups for row in g.rows] == [(entry.pk, "held")]
    listed = client.get(reverse("retention-holds"))
    assert listed.status_code == 200 and "Pågående process (fiktiv)." in listed.content.decode()


def test_another_agencys_record_answers_404(client, police_lead, kommun_caseworker):
    (theirs,) = old_entries(kommun_caseworker, kommun_caseworker.membership.agency)
    client.force_login(police_lead)
    url = reverse("retention-hold-create")
    assert client.get(url, {"kind": "cases.caseentry", "id": theirs.pk}).status_code == 404
    assert client.get(url, {"kind": "cases.caseentry", "id": theirs.pk + 1000}).status_code == 404  # missing: same
    ends = (timezone.localdate() + timedelta(days=90)).isoformat()
    data = {"kind": "cases.caseentry", "object_id": theirs.pk, "reason": "x", "ends_on": ends}
    assert client.post(url, data).status_code == 404
    assert not Hold.objects.exists()


def test_an_administrator_holds_any_agencys_record(client, admin_user, kommun_caseworker):
    (theirs,) = old_entries(kommun_caseworker, kommun_caseworker.membership.agency)
    client.force_login(admin_user)
    ends = (timezone.localdate() + timedelta(days=90)).isoformat()
    data = {"kind": "cases.caseentry", "object_id": theirs.pk, "reason": "Rättslig process.", "ends_on": ends}
    assert client.post(reverse("retention-hold-create"), data).status_code == 302
    assert Hold.objects.get().owner_agency == kommun_caseworker.membership.agency


def test_a_lead_lists_only_their_agencys_holds(client, police_lead, kommun_lead, kommun_caseworker):
    (theirs,) = old_entries(kommun_caseworker, kommun_caseworker.membership.agency)
    Hold.objects.create(
        content_type=ContentType.objects.get_for_model(CaseEntry),
        object_id=theirs.pk,
        owner_agency=kommun_caseworker.membership.agency,
        reason="Kommunens skäl (fiktivt).",
        ends_on=timezone.localdate() + timedelta(days=9),
        placed_by=kommun_lead,
    )
    client.force_login(police_lead)
    page = client.get(reverse("retention-holds")).content.decode()
    assert "Kommunens skäl" not in page and "Inga undantag är beslutade." in page


@pytest.mark.parametrize(
    "data, field",
    [
        ({"kind": "", "object_id": "1", "reason": "x", "ends_on": "2099-01-01"}, "kind"),
        ({"kind": "cases.caseentry", "object_id": "abc", "reason": "x", "ends_on": "2030-01-01"}, "object_id"),
        ({"kind": "cases.caseentry", "object_id": "99999999999999999999", "reason": "x"}, "object_id"),
        ({"kind": "cases.caseentry", "object_id": "1", "reason": "", "ends_on": "2030-01-01"}, "reason"),
        ({"kind": "cases.caseentry", "object_id": "1", "reason": "x", "ends_on": "2001-01-01"}, "ends_on"),
        ({"kind": "nope", "object_id": "1", "reason": "x", "ends_on": "nej"}, "ends_on"),
    ],
)
def test_bad_input_is_a_swedish_message_not_a_500(client, police_lead, data, field):
    client.force_login(police_lead)
    response = client.post(reverse("retention-hold-create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]


def pinned(sqlite: int, postgres: int) -> int:
    return postgres if connection.vendor == "postgresql" else sqlite


def count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts(client, police_caseworker, police_lead):
    """The pages' fixed cost (the dry run's includes, per kind, one query for what is due, and for the access
    log its rules, the database's clock and two counts for all the agencies); the dry run adds, per kind it lists, the log entry and its targets (and the rows'
    reload for the log) and, per record a rule would delete, what the deletion collector asks to find what
    cascades and whether any of it is held: a night's records, not a list that grows without bound."""
    client.force_login(police_lead)
    empty = count(client, reverse("retention-dry-run"))
    holds = count(client, reverse("retention-holds"))
    form = count(client, reverse("retention-hold-create"))
    agency = police_caseworker.membership.agency
    old_entries(police_caseworker, agency, n=1)
    one = count(client, reverse("retention-dry-run"))
    old_entries(police_caseworker, agency, n=3)
    four = count(client, reverse("retention-dry-run"))
    assert (empty, holds, form, one, four) == (
        pinned(26, 26),
        pinned(7, 7),
        pinned(6, 6),
        pinned(29, 28),
        pinned(29, 28),
    )
