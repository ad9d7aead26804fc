"""One decision for one situation, below the pages: one row per record or nothing, each revocable on its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import Share, ShareBundle
from agencies.services import bundles
from agencies.tests.factories import legal_basis
from cases import services
from cases.models import CaseEntry, ExitCase, Individual
from cases.services import disclosures
from gvi_portal.testing import log_write

from .factories import IndividualFactory, consent, exit_case, group

pytestmark = pytest.mark.django_db

ASSESSMENT = "Polisen behöver helheten för att förebygga nya brott; personens intresse väger inte tyngre."


@pytest.fixture
def situation(kommun_caseworker):
    """A kommun-led case about a kommun person (under 21), with two of the kommun's entries."""
    year = timezone.localdate().year
    person = IndividualFactory(
        owner_agency=kommun_caseworker.membership.agency, created_by=kommun_caseworker, birth_year=year - 19
    )
    case = exit_case(kommun_caseworker, person)
    first = services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title="Samtal om skolan")
    second = services.entry_add(case=case, acting_user=kommun_caseworker, kind="needs", title="Behov: boende")
    return case, person, [first, second]


def keys(*objs) -> list[str]:
    names = {ExitCase: "exit_case", Individual: "individual", CaseEntry: "case_entry"}
    return [f"{names[type(obj)]}:{obj.pk}" for obj in objs]


def disclose(case, user, to_agency, objs, basis="osl-10-18a", **kw):
    return disclosures.case_disclose(
        case=case,
        keys=keys(*objs),
        to_agency=to_agency,
        level="view",
        legal_basis=legal_basis(basis),
        assessment=kw.pop("assessment", ASSESSMENT),
        acting_user=user,
        **kw,
    )


def test_one_decision_writes_one_row_per_record_on_one_basis(situation, police, kommun_caseworker):
    case, person, entries = situation
    bundle = disclose(case, kommun_caseworker, police, [case, person, *entries])

    rows = list(bundle.shares.order_by("pk"))
    assert [(r.content_object, r.legal_basis.code, r.assessment) for r in rows] == [
        (case, "osl-10-18a", ASSESSMENT),
        (person, "osl-10-18a", ASSESSMENT),
        *[(entry, "osl-10-18a", ASSESSMENT) for entry in sorted(entries, key=lambda e: e.pk, reverse=True)],
    ]
    assert {(r.to_agency_id, r.from_agency_id, r.decided_by_id) for r in rows} == {
        (police.pk, kommun_caseworker.membership.agency_id, kommun_caseworker.pk)
    }
    assert (bundle.to_agency, bundle.legal_basis.code, bundle.assessment) == (police, "osl-10-18a", ASSESSMENT)
    for obj in (case, person, *entries):
        assert access.agency_sees(police, obj)
    assert police in services.participants(case)


def test_a_basis_that_does_not_fit_one_record_refuses_them_all_and_names_it(kommun_caseworker, police):
    year = timezone.localdate().year
    agency = kommun_caseworker.membership.agency
    young = IndividualFactory(owner_agency=agency, created_by=kommun_caseworker, birth_year=year - 19)
    grp = group(agency, kommun_caseworker, name="Norra-nätverket")
    with pytest.raises(ApplicationError) as refused:
        bundles.share_bundle(
            [young, grp],
            to_agency=police,
            level="view",
            legal_basis=legal_basis("osl-10-18a"),
            assessment=ASSESSMENT,
            acting_user=kommun_caseworker,
        )
    assert refused.value.code == "legal_basis_not_fitting"
    assert "”Norra-nätverket”" in refused.value.message and "under 21 år" in refused.value.message
    assert "Inget har delats." in refused.value.message
    assert not Share.objects.exists() and not ShareBundle.objects.exists()
    assert not access.agency_sees(police, young)


def test_a_failure_on_the_last_row_leaves_no_row_and_no_grant(situation, police, kommun_caseworker):
    case, person, entries = situation
    # Without the case header the police take no part in the case, so the entry - the last row - is refused
    # by its own service after the person's row and grant were written.
    with pytest.raises(ApplicationError) as refused:
        disclose(case, kommun_caseworker, police, [person, entries[0]])
    assert refused.value.code == "not_participant"
    assert "Samtal om skolan" in refused.value.message
    assert not Share.objects.exists() and not ShareBundle.objects.exists()
    assert not access.agency_sees(police, person) and not access.agency_sees(police, entries[0])


def test_a_failure_of_any_kind_on_the_last_row_rolls_back_the_rows_before(situation, police, kommun_caseworker):
    case, person, entries = situation
    last = entries[-1]

    def failing_last(obj):
        if obj == last:

            def refuse(*args, **kwargs):
                raise ApplicationError("Nekad.", code="refused_for_the_test")

            return refuse
        return disclosures._service_for(obj)

    with pytest.raises(ApplicationError, match="Nekad"):
        bundles.share_bundle(
            [case, person, *entries],
            to_agency=police,
            level="view",
            legal_basis=legal_basis("osl-10-18a"),
            assessment=ASSESSMENT,
            acting_user=kommun_caseworker,
            disclose=failing_last,
        )
    assert not Share.objects.exists() and not ShareBundle.objects.exists()
    for obj in (case, person, *entries):
        assert not access.agency_sees(police, obj)
    assert police not in services.participants(case)


def test_revoking_one_row_leaves_the_others(situation, police, kommun_caseworker):
    case, person, entries = situation
    bundle = disclose(case, kommun_caseworker, police, [case, person, *entries])
    entry_row = bundle.shares.get(object_id=entries[0].pk, content_type__model="caseentry")
    access.revoke(entry_row, acting_user=kommun_caseworker, reason="Behövs inte längre.")
    assert not access.agency_sees(police, entries[0])
    for obj in (case, person, entries[1]):
        assert access.agency_sees(police, obj)
    assert bundle.shares.filter(revoked_at__isnull=True).count() == 3


def test_a_consent_lapse_ends_every_row_of_the_decision(situation, police, kommun, kommun_caseworker):
    case, person, entries = situation
    given = consent(kommun_caseworker, person, [kommun, police], categories=["person", "case", "note", "needs"])
    bundle = disclose(case, kommun_caseworker, police, [case, person, *entries], basis="samtycke", consent=given)
    assert bundle.consent == given
    assert {row.expires_at for row in bundle.shares.all()} == {given.lapses_at()}
    after = given.lapses_at() + timedelta(minutes=1)
    with time_machine.travel(after, tick=False):
        for obj in (case, person, *entries):
            assert not access.agency_sees(police, obj)
        services.expire_lapsed_consents()
    assert not bundle.shares.filter(revoked_at__isnull=True).exists()


def test_withdrawing_the_consent_ends_every_row_at_once(situation, police, kommun, kommun_caseworker):
    case, person, entries = situation
    given = consent(kommun_caseworker, person, [kommun, police], categories=["person", "case", "note", "needs"])
    bundle = disclose(case, kommun_caseworker, police, [case, person, *entries], basis="samtycke", consent=given)
    services.consent_withdraw(consent=given, acting_user=kommun_caseworker, note="Personen har ångrat sig.")
    assert not bundle.shares.filter(revoked_at__isnull=True).exists()
    for obj in (case, person, *entries):
        assert not access.agency_sees(police, obj)


def test_a_consent_that_does_not_cover_one_record_refuses_all_naming_it(situation, police, kommun, kommun_caseworker):
    case, person, entries = situation
    given = consent(kommun_caseworker, person, [kommun, police], categories=["person", "case", "note"])
    with pytest.raises(ApplicationError) as refused:
        disclose(case, kommun_caseworker, police, [case, person, *entries], basis="samtycke", consent=given)
    assert refused.value.code == "consent_not_covering" and "Behov: boende" in refused.value.message
    # The consent record's own shares (to the agencies it names) are all there is.
    assert set(Share.objects.values_list("content_type__model", flat=True)) == {"consent"}
    assert not ShareBundle.objects.exists() and not access.agency_sees(police, case)


def test_only_the_lead_agency_discloses_and_only_its_own_records_of_the_case(
    situation, police, probation, kommun_caseworker, police_caseworker
):
    case, person, entries = situation
    disclose(case, kommun_caseworker, police, [case])
    with pytest.raises(ApplicationError) as refused:
        disclose(case, police_caseworker, probation, [case], basis="osl-10-2")
    assert refused.value.code == "not_owner"
    police_entry = services.entry_add(case=case, acting_user=police_caseworker, kind="note", title="Polisens post")
    other_case = exit_case(kommun_caseworker, person)
    foreign = services.entry_add(case=other_case, acting_user=kommun_caseworker, kind="note", title="Annat ärende")
    for wrong in (police_entry, foreign):
        with pytest.raises(ApplicationError) as refused:
            disclose(case, kommun_caseworker, police, [wrong])
        assert refused.value.code == "not_in_case"
    assert Share.objects.count() == 1


def test_an_empty_decision_is_refused(situation, police, kommun_caseworker):
    case, _person, _entries = situation
    with pytest.raises(ApplicationError) as refused:
        disclose(case, kommun_caseworker, police, [])
    assert refused.value.code == "bundle_empty"


def _queries(case, user, to_agency, objs) -> int:
    with CaptureQueriesContext(connection) as captured:
        disclose(case, user, to_agency, objs, basis="osl-10-2")
    return len(captured)


def test_the_query_count_grows_only_by_what_each_row_needs(kommun_caseworker, police):
    """Pinned: the decision costs a fixed part, plus per record the single share's own statements (the row,
    its grant, its log entry) and, for an entry, its service's participant check."""
    agency = kommun_caseworker.membership.agency
    counts = {}
    for n in (1, 3):
        person = IndividualFactory(owner_agency=agency, created_by=kommun_caseworker)
        case = exit_case(kommun_caseworker, person)
        entries = [
            services.entry_add(case=case, acting_user=kommun_caseworker, kind="note", title=f"Post {i}")
            for i in range(n)
        ]
        # A fresh user object: the actor cache starts empty, as on a request.
        user = type(kommun_caseworker).objects.get(pk=kommun_caseworker.pk)
        counts[n] = _queries(case, user, police, [case, *entries])
    assert (counts[3] - counts[1]) / 2 == PER_ENTRY_ROW + log_write()
    assert counts[1] == FIXED + PER_ENTRY_ROW + 2 * log_write()


# Measured (SQLite; the log write is 2 statements there, 1 on PostgreSQL, see log_write): per entry the
# participant check, the row, the grant's two statements, one more for the entry service and the log entry.
PER_ENTRY_ROW = 6
# The actor, the offered parts (the case's own entries, the person and its identity, the agency's own goals and
# tasks: one query each), the decision's row, the link of its rows, the header's row with its grant.
FIXED = 14


def test_identity_details_go_in_a_decision_only_by_a_lead(situation, police, kommun_caseworker, kommun_lead):
    from .factories import IdentityDetailsFactory

    case, person, _entries = situation
    identity = IdentityDetailsFactory(individual=person)
    key = f"identity:{person.pk}"
    # A caseworker is not offered the identity details: as unknown in the case as a missing record.
    with pytest.raises(ApplicationError) as refused:
        disclosures.case_disclose(
            case=case,
            keys=[f"exit_case:{case.pk}", key],
            to_agency=police,
            level="view",
            legal_basis=legal_basis("osl-10-18a"),
            assessment=ASSESSMENT,
            acting_user=kommun_caseworker,
        )
    assert refused.value.code == "not_in_case"
    assert not Share.objects.exists() and not access.agency_sees(police, identity)
    # A lead of the same agency discloses them with the header and the person, one row each.
    bundle = disclosures.case_disclose(
        case=case,
        keys=[f"exit_case:{case.pk}", f"individual:{person.pk}", key],
        to_agency=police,
        level="view",
        legal_basis=legal_basis("osl-10-18a"),
        assessment=ASSESSMENT,
        acting_user=kommun_lead,
    )
    assert [row.content_object for row in bundle.shares.order_by("pk")] == [case, person, identity]
    assert access.agency_sees(police, identity)
