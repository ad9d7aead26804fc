"""Withdrawing a consent (and expiring shares) is set-based: the number of queries does not grow with the
number of shares resting on it, access ends at once, and each revoked share leaves its own log row."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import legal_basis
from cases import services
from cases.models import CaseEntry, CaseEntryGroupGrant, Individual
from cases.tests.factories import IndividualFactory, consent, exit_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(police, kommun, police_caseworker, kommun_caseworker):
    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    access.share(
        person,
        to_agency=police,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    case = exit_case(kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=police,
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    return case


def entries_shared_on_consent(case, n, *, police, kommun, police_caseworker, kommun_caseworker):
    given = consent(kommun_caseworker, case.individual, [kommun, police])
    basis = legal_basis("samtycke")
    entries = []
    for i in range(n):
        entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title=f"Anteckning {i}")
        services.entry_share(
            entry=entry,
            to_agency=kommun,
            legal_basis=basis,
            assessment="Behövs för samverkan.",
            consent=given,
            acting_user=police_caseworker,
        )
        entries.append(entry)
    return given, entries


def withdraw_counting(given, user):
    with CaptureQueriesContext(connection) as ctx:
        revoked = services.consent_withdraw(consent=given, acting_user=user, note="Meddelat")
    return revoked, len(ctx)


def test_withdrawal_queries_do_not_grow_with_the_shares(case, police, kommun, police_caseworker, kommun_caseworker):
    people = {"police": police, "kommun": kommun, "police_caseworker": police_caseworker}
    few, few_entries = entries_shared_on_consent(case, 3, kommun_caseworker=kommun_caseworker, **people)
    many, many_entries = entries_shared_on_consent(case, 30, kommun_caseworker=kommun_caseworker, **people)
    for entry in few_entries + many_entries:
        assert access.can(kommun_caseworker, entry)

    revoked_few, queries_few = withdraw_counting(few, kommun_caseworker)
    revoked_many, queries_many = withdraw_counting(many, kommun_caseworker)
    assert (len(revoked_few), len(revoked_many)) == (3, 30)
    # The consent (2), its log (2), the shares (1), the register (1), per kind: grants (1), kept pairs (2),
    # named-user shares (1), the records' persons (1, no record loaded); the log rows (one statement on
    # PostgreSQL, two on SQLite); savepoints. The same for 3 and for 30.
    assert queries_few == queries_many <= 17

    # Access ended at once, and the grants are gone (not just lapsed).
    for entry in few_entries + many_entries:
        assert not access.can(kommun_caseworker, entry)
    assert not CaseEntryGroupGrant.objects.filter(
        content_object__in=[e.pk for e in few_entries + many_entries], group=kommun.group
    ).exists()
    # One log row per revoked share, as the disclosing agency, naming the share and the record.
    rows = AccessLogEntry.objects.filter(action="revoke", model="cases.caseentry")
    assert rows.count() == 33
    one = rows.get(detail__share=revoked_many[0])
    share = Share.objects.get(pk=revoked_many[0])
    assert one.agency_id == police.pk and one.user is None and one.object_ids == [share.object_id]
    assert one.detail["to_agency"] == kommun.slug and share.revoked_at is not None and share.revoke_reason
    # Each entry's target names the record and the person it is about (read without loading the records).
    assert list(one.targets.values_list("model", "object_id", "person_id")) == [
        ("cases.caseentry", share.object_id, case.individual_id)
    ]


def test_a_grant_another_share_justifies_stays(case, police, kommun, police_caseworker, kommun_caseworker):
    people = {"police": police, "kommun": kommun, "police_caseworker": police_caseworker}
    given, (entry,) = entries_shared_on_consent(case, 1, kommun_caseworker=kommun_caseworker, **people)
    # The same entry also disclosed on a law, until a date: withdrawing the consent leaves that one.
    until = timezone.now() + timedelta(days=30)
    services.entry_share(
        entry=entry, to_agency=kommun, legal_basis=legal_basis("osl-10-27"), assessment="Behövs för samverkan.", acting_user=police_caseworker,
        expires_at=until,
    )  # fmt: skip
    services.consent_withdraw(consent=given, acting_user=kommun_caseworker)
    assert access.can(kommun_caseworker, entry)
    grant = CaseEntryGroupGrant.objects.get(content_object=entry, group=kommun.group)
    assert grant.expires_at == until  # re-derived from the share that is left


def test_expiry_is_set_based_too(police, kommun, police_caseworker, kommun_caseworker):
    people = [IndividualFactory(owner_agency=police, created_by=police_caseworker) for _ in range(5)]
    soon = timezone.now() + timedelta(minutes=5)
    for person in people:
        access.share(
            person, to_agency=kommun, level="view", legal_basis=legal_basis(), assessment="Behövs för samverkan.", acting_user=police_caseworker,
            expires_at=soon,
        )  # fmt: skip
    later = soon + timedelta(minutes=1)
    closed = access.expire_due_shares(now=later)
    assert len(closed) == 5 and access.expire_due_shares(now=later) == []
    assert not access.visible(kommun_caseworker, Individual).exists()
    assert AccessLogEntry.objects.filter(action="revoke", model="cases.individual").count() == 5
    assert CaseEntry.objects.count() == 0


def test_creating_a_share_takes_at_most_six_queries(police, kommun, police_caseworker, kommun_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    basis = legal_basis()
    access.require_actor(police_caseworker)
    access.shares_of(person).count()  # the content type, cached per process like the permission ids
    with CaptureQueriesContext(connection) as ctx:
        access.share(
            person,
            to_agency=kommun,
            level="change",
            legal_basis=basis,
            assessment="Behövs för samverkan.",
            acting_user=police_caseworker,
        )
    # Transaction control (the savepoint of @atomic inside the test's transaction) is not a query.
    statements = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert len(statements) <= 6, statements
    assert access.can(kommun_caseworker, person, "change")
