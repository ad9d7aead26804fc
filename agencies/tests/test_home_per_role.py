"""The home page per role: what was disclosed to the agency since the user last opened it (per user, only
records the gate lets the user see, read once opened), my tasks due and my cases, and for a lead the agency's
overdue tasks and the disclosures that run out within 30 days. Query counts pinned for both roles."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agencies import access
from agencies.models import SeenShare
from agencies.tests.factories import basis_for
from cases.tests.factories import IndividualFactory, exit_case, give_task, group, membership

pytestmark = pytest.mark.django_db


def pinned(sqlite: int, postgres: int) -> int:
    return postgres if connection.features.supports_slicing_ordering_in_compound else sqlite


def share(obj, to, by, **kw):
    return access.share(
        obj,
        to_agency=to,
        level="view",
        legal_basis=basis_for(to),
        assessment="Behövs för samverkan.",
        acting_user=by,
        **kw,
    )


def home(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def received(client, user):
    return [(row.title, row.unread) for row in home(client, user).context["page"].received]


# --- new since my last visit, per user ---------------------------------------------------------------------


def test_unread_is_per_user_and_opening_marks_it_read(
    client, police, kommun, police_caseworker, kommun_caseworker, kommun_lead
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Delad Dan")
    grp = group(police, police_caseworker, name="Lyktgänget")
    person_share = share(person, kommun, police_caseworker)
    share(grp, kommun, police_caseworker)

    assert received(client, kommun_caseworker) == [("Lyktgänget", True), ("Delad Dan", True)]
    assert "2 nya" in home(client, kommun_caseworker).content.decode()

    client.force_login(kommun_caseworker)
    response = client.get(reverse("share-open", kwargs={"pk": person_share.pk}))
    assert response.status_code == 302
    assert response["Location"] == reverse("individual-detail", kwargs={"pk": person.pk})

    assert received(client, kommun_caseworker) == [("Lyktgänget", True), ("Delad Dan", False)]
    # A colleague at the same agency has not opened it: still new for them.
    assert received(client, kommun_lead) == [("Lyktgänget", True), ("Delad Dan", True)]
    # Opening again keeps one mark.
    client.force_login(kommun_caseworker)
    client.get(reverse("share-open", kwargs={"pk": person_share.pk}))
    assert SeenShare.objects.filter(user=kommun_caseworker).count() == 1


def test_a_share_to_another_agency_never_appears(
    client, police, kommun, probation, police_caseworker, kommun_caseworker
):
    theirs = share(IndividualFactory(owner_agency=police, created_by=police_caseworker), probation, police_caseworker)
    assert received(client, kommun_caseworker) == []
    client.force_login(kommun_caseworker)
    assert client.get(reverse("share-open", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(reverse("share-open", kwargs={"pk": 999999})).status_code == 404


def test_a_share_to_a_named_colleague_is_theirs_alone(
    client, police, kommun, police_caseworker, kommun_caseworker, kommun_lead
):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Mentorns Person")
    named = share(person, kommun, police_caseworker, to_user=kommun_lead)
    assert received(client, kommun_lead) == [("Mentorns Person", True)]
    assert received(client, kommun_caseworker) == []
    client.force_login(kommun_caseworker)
    assert client.get(reverse("share-open", kwargs={"pk": named.pk})).status_code == 404


def test_a_disclosed_record_the_user_may_not_see_is_left_out(
    client, police, kommun, police_caseworker, kommun_caseworker
):
    # A membership is shown only where both its ends are visible too: here the person is not shared.
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Osynlig")
    grp = group(police, police_caseworker, name="Bäckgänget")
    share(grp, kommun, police_caseworker)
    link = share(membership(police_caseworker, person, grp), kommun, police_caseworker)
    html = home(client, kommun_caseworker).content.decode()
    assert received(client, kommun_caseworker) == [("Bäckgänget", True)]
    assert "Osynlig" not in html
    client.force_login(kommun_caseworker)
    assert client.get(reverse("share-open", kwargs={"pk": link.pk})).status_code == 404

    share(person, kommun, police_caseworker)  # now both ends are visible: the membership is named
    titles = [title for title, _unread in received(client, kommun_caseworker)]
    assert titles == ["Osynlig", "Osynlig i Bäckgänget", "Bäckgänget"]


def test_a_revoked_share_cannot_be_opened(client, police, kommun, police_caseworker, kommun_caseworker):
    record = share(IndividualFactory(owner_agency=police, created_by=police_caseworker), kommun, police_caseworker)
    access.revoke(record, acting_user=police_caseworker, reason="Klart")
    client.force_login(kommun_caseworker)
    assert client.get(reverse("share-open", kwargs={"pk": record.pk})).status_code == 404


def test_opening_needs_a_signed_in_member(client, police, kommun, police_caseworker):
    record = share(IndividualFactory(owner_agency=police, created_by=police_caseworker), kommun, police_caseworker)
    response = client.get(reverse("share-open", kwargs={"pk": record.pk}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


# --- my tasks, my cases; a lead's overdue tasks and expiring shares ------------------------------------------


def _case_with_task(user, agency, *, alias, title, due_in_days):
    person = IndividualFactory(owner_agency=agency, created_by=user, alias=alias)
    case = exit_case(user, person)
    give_task(
        case=case,
        acting_user=user,
        title=title,
        assignee_agency=agency,
        assignee_user=user,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )
    return case


def test_caseworker_sees_tasks_due_and_cases_but_no_lead_parts(client, kommun, kommun_caseworker):
    case = _case_with_task(kommun_caseworker, kommun, alias="Uppgiftsperson", title="Ring skolan", due_in_days=3)
    response = home(client, kommun_caseworker)
    html = response.content.decode()
    assert "Ring skolan" in html
    assert f'href="{reverse("exit-case-detail", kwargs={"pk": case.pk})}"' in html
    assert "Mina ärenden" in html and "Uppgiftsperson" in html
    assert response.context["page"].expiring is None
    assert "Myndighetens försenade uppgifter" not in html
    assert "Utlämnanden som upphör inom 30 dagar" not in html


def test_lead_sees_overdue_tasks_once_the_clock_passes_their_date(client, kommun, kommun_caseworker, kommun_lead):
    _case_with_task(kommun_caseworker, kommun, alias="Försenad Person", title="Boka möte", due_in_days=3)
    html = home(client, kommun_lead).content.decode()
    assert "Myndigheten har inga försenade uppgifter." in html
    with time_machine.travel(timezone.now() + timedelta(days=5)):
        html = home(client, kommun_lead).content.decode()
    assert "Myndigheten har inga försenade uppgifter." not in html
    assert "Boka möte" in html and "Försenad" in html


def test_lead_sees_shares_running_out_within_30_days(
    client, police, kommun, police_caseworker, kommun_lead, police_lead
):
    soon = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Snart Slut")
    later = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Senare Slut")
    share(soon, kommun, police_caseworker, expires_at=timezone.now() + timedelta(days=10))
    share(later, kommun, police_caseworker, expires_at=timezone.now() + timedelta(days=40))

    def expiring(user):
        return [(row.title, row.outgoing) for row in home(client, user).context["page"].expiring]

    assert expiring(kommun_lead) == [("Snart Slut", False)]
    assert expiring(police_lead) == [("Snart Slut", True)]
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert expiring(kommun_lead) == [("Senare Slut", False)]  # the first has run out, the second is near


# --- query counts -------------------------------------------------------------------------------------------


def _fill(rows, police, kommun, police_caseworker, kommun_caseworker):
    for i in range(rows):
        theirs = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias=f"Delad {i}")
        share(theirs, kommun, police_caseworker, expires_at=timezone.now() + timedelta(days=5))
        share(group(police, police_caseworker, name=f"Gäng {i}"), kommun, police_caseworker)
        access.get_or_404(kommun_caseworker, type(theirs), theirs.pk)  # a recent person
        mine = _case_with_task(kommun_caseworker, kommun, alias=f"Egen {i}", title=f"Uppgift {i}", due_in_days=-1)
        share(mine.individual, police, kommun_caseworker)


@pytest.mark.parametrize("rows", [1, 5])
def test_caseworker_home_query_count_does_not_grow_with_rows(
    rows, client, police, kommun, police_caseworker, kommun_caseworker, django_assert_num_queries
):
    _fill(rows, police, kommun, police_caseworker, kommun_caseworker)
    client.force_login(kommun_caseworker)
    # session, user with its membership and agency; shares received (with the unread marks); recent person ids; the recent persons
    # (the shared persons among them, so not read again); the groups (and their districts, which the group base
    # prefetches); a log entry and its targets per kind named (2 × 2; one statement each on PostgreSQL); my
    # tasks, their cases' persons, their log (2; 1 on PostgreSQL); my cases (the gate's page: one query), their
    # log (2; 1), their persons; the session saved (savepoint, update, release).
    with django_assert_num_queries(pinned(22, 18)):
        response = client.get(reverse("home"))
    page = response.context["page"]
    assert len(page.received) == 2 * rows
    assert sum(row.unread for row in page.received) == 2 * rows


@pytest.mark.parametrize("rows", [1, 5])
def test_lead_home_query_count_does_not_grow_with_rows(
    rows, client, police, kommun, police_caseworker, kommun_caseworker, kommun_lead, django_assert_num_queries
):
    _fill(rows, police, kommun, police_caseworker, kommun_caseworker)
    client.force_login(kommun_lead)
    # session, user with its membership and agency, the lead's second-factor device; shares received, made and expiring; recent
    # person ids (none: the lead read no one); the groups (and their districts) and the persons (the others'
    # and the agency's own in one read); a log entry and its targets per kind (2 × 2; one statement each on
    # PostgreSQL); my tasks (none); my cases (none: the gate's page, one query); the
    # agency's overdue tasks, their cases' persons, their log (2; 1); the session saved (savepoint, update,
    # release).
    with django_assert_num_queries(pinned(23, 20)):
        response = client.get(reverse("home"))
    page = response.context["page"]
    assert (len(page.received), len(page.made), len(page.expiring)) == (2 * rows, rows, rows)
