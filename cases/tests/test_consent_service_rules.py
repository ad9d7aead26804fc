"""consent_record() and consent_withdraw(): every refusal, and exactly what recording and withdrawing write.

Written from the mutation run over the consent services (docs/testing.md, "Mutation testing"): refusals
by their code with nothing written; a recording by its fields, its log row and the shares it makes of
itself; a withdrawal by its fields, its log row, and which shares it closes (only those resting on it).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, Share
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from cases import services
from cases.models import Consent, Individual
from cases.tests.factories import IndividualFactory, consent

pytestmark = pytest.mark.django_db


def person(owner, user) -> Individual:
    return IndividualFactory(owner_agency=owner, created_by=user)


def record(user, individual, agencies, **kw) -> Consent:
    body = dict(
        categories=["person", "case"],
        purpose="Stöd för att lämna kriminalitet (fiktivt)",
        valid_until=timezone.localdate() + timedelta(days=30),
        document_reference="Pärm 3, flik 12 (fiktiv)",
    )
    return services.consent_record(acting_user=user, individual=individual, agencies=agencies, **{**body, **kw})


# The caseworker reads the refusal: its words are part of the rule.
SAYS = {
    "no_agency": "Ett samtycke måste omfatta minst en myndighet.",
    "valid_until_required": "Ange hur länge samtycket gäller.",
    "dates": "Samtycket kan inte upphöra innan det lämnats.",
    "categories_required": "Välj vilka uppgifter samtycket gäller.",
    "purpose_required": "Ange ändamålet med samtycket.",
    "document_required": "Ange var det undertecknade samtycket finns.",
}


@pytest.mark.parametrize(
    "changes, code",
    [
        ({"agencies": []}, "no_agency"),
        ({"valid_until": None}, "valid_until_required"),
        ({"given_on": timezone.localdate(), "valid_until": timezone.localdate() - timedelta(days=1)}, "dates"),
        ({"categories": []}, "categories_required"),
        ({"categories": ["person", "horoskop"]}, "categories_required"),
        ({"purpose": "  "}, "purpose_required"),
        ({"document_reference": ""}, "document_required"),
    ],
)
def test_refused_recordings_write_nothing(police, kommun, police_caseworker, changes, code):
    p = person(police, police_caseworker)
    kw = {"agencies": [police, kommun], **changes}
    with pytest.raises(ApplicationError) as caught:
        record(police_caseworker, p, **kw)
    assert caught.value.code == code
    assert caught.value.message == SAYS[code]
    assert (Consent.objects.count(), Share.objects.count(), AccessLogEntry.objects.count()) == (0, 0, 0)


def test_a_consent_only_for_a_person_the_user_sees(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    with pytest.raises(ApplicationError) as caught:
        record(kommun_caseworker, p, [police, kommun])
    assert (caught.value.code, caught.value.message) == ("not_found", "Personen finns inte.")
    with pytest.raises(ApplicationError) as caught:
        record(UserFactory(), p, [police, kommun])
    assert caught.value.code == "no_agency"
    assert Consent.objects.count() == 0


def test_the_last_day_may_be_the_day_it_was_given(police, police_caseworker):
    today = timezone.localdate()
    c = record(police_caseworker, person(police, police_caseworker), [police], given_on=today, valid_until=today)
    assert (c.given_on, c.valid_until) == (today, today)


def test_recording_writes_the_consent_its_log_and_its_own_shares(
    police, kommun, probation, police_caseworker, kommun_caseworker, probation_caseworker
):
    p = person(police, police_caseworker)
    until = timezone.localdate() + timedelta(days=30)
    c = record(
        police_caseworker,
        p,
        iter([police, kommun, probation]),
        categories=["case", "person", "case"],
        purpose="  Stöd  ",
        document_reference=" Pärm 1 ",
    )
    c.refresh_from_db()
    assert (c.owner_agency, c.individual, c.categories, c.given_on, c.valid_until, c.recorded_by) == (
        police,
        p,
        ["case", "person"],
        timezone.localdate(),
        until,
        police_caseworker,
    )
    assert (c.purpose, c.document_reference) == ("Stöd", "Pärm 1")
    assert set(c.agencies.all()) == {police, kommun, probation}
    create = AccessLogEntry.objects.get(action="create")
    assert (create.user, create.agency, create.model, create.object_ids) == (
        police_caseworker,
        police,
        "cases.consent",
        [c.pk],
    )
    # Shared on itself with each other agency it names, on the consent basis, to see; not with the owner.
    own = Share.objects.filter(object_id=c.pk, content_type__model="consent")
    assert sorted(own.values_list("to_agency__slug", "level", "legal_basis__code", "consent_id", "to_user")) == sorted(
        [(kommun.slug, "view", "samtycke", c.pk, None), (probation.slug, "view", "samtycke", c.pk, None)]
    )
    assert access.can(kommun_caseworker, c, "view") and access.can(probation_caseworker, c, "view")
    assert not access.can(kommun_caseworker, c, "change")


def test_a_given_date_in_the_past_is_kept(police, police_caseworker):
    given = timezone.localdate() - timedelta(days=10)
    c = record(police_caseworker, person(police, police_caseworker), [police], given_on=given)
    assert c.given_on == given
    assert Share.objects.count() == 0


# --- withdrawal -----------------------------------------------------------------------------------------


def test_withdrawal_closes_only_the_shares_resting_on_the_consent(
    police, kommun, probation, police_caseworker, kommun_caseworker, probation_caseworker
):
    p = person(police, police_caseworker)
    given = consent(police_caseworker, p, [police, kommun, probation], categories=["person"])
    other = consent(police_caseworker, p, [police, kommun, probation], categories=["person"])
    on_it = access.share(
        p,
        to_agency=kommun,
        level="change",
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs.",
        consent=given,
        acting_user=police_caseworker,
    )
    on_the_other = access.share(
        p,
        to_agency=probation,
        level="view",
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs.",
        consent=other,
        acting_user=police_caseworker,
    )
    on_law = access.share(
        p,
        to_agency=probation,
        level="change",
        legal_basis=basis_for(probation),
        assessment="Behövs.",
        acting_user=police_caseworker,
    )
    assert [s.pk for s in services.shares_resting_on(given)] == [on_it.pk]

    closed = services.consent_withdraw(consent=given, acting_user=kommun_caseworker, note="  Sade det vid mötet  ")

    assert closed == [on_it.pk]
    on_it.refresh_from_db()
    assert (on_it.revoke_reason, on_it.revoked_by) == ("Samtycket återkallades.", None)
    assert on_it.revoked_at is not None
    assert Share.objects.filter(revoked_at__isnull=False).count() == 1
    assert not access.can(kommun_caseworker, p, "view")
    # Probation keeps what the law and the other consent give it.
    assert access.can(probation_caseworker, p, "change")
    assert {on_the_other.pk, on_law.pk} <= set(Share.objects.active().values_list("pk", flat=True))
    # The consent's own shares stay: the agencies it names see that it was withdrawn.
    assert access.can(kommun_caseworker, given, "view")
    given.refresh_from_db()
    assert (given.withdrawn_by, given.withdrawal_note, given.version) == (kommun_caseworker, "Sade det vid mötet", 2)
    assert given.withdrawn_at is not None and not given.is_valid()
    change = AccessLogEntry.objects.get(action="change")
    assert (change.user, change.agency, change.model, change.object_ids, change.detail) == (
        kommun_caseworker,
        kommun,
        "cases.consent",
        [given.pk],
        {"withdrawn": True},
    )
    # Logged as the disclosing agency, one row per share closed, naming the share, the record and the receiver.
    revoked = AccessLogEntry.objects.get(action="revoke")
    assert (revoked.user, revoked.agency, revoked.model, revoked.object_ids) == (
        None,
        police,
        "cases.individual",
        [p.pk],
    )
    assert revoked.detail == {
        "share": on_it.pk,
        "object_id": p.pk,
        "to_agency": kommun.slug,
        "reason": "Samtycket återkallades.",
    }
    # A share already closed is not closed again (nor logged again).
    assert access.revoke_all_as_system(Share.objects.filter(pk=on_it.pk), reason="Igen.") == []
    assert AccessLogEntry.objects.filter(action="revoke").count() == 1


def test_withdrawing_twice_or_without_an_agency_is_refused(police, kommun, police_caseworker):
    given = consent(police_caseworker, person(police, police_caseworker), [police, kommun], categories=["person"])
    with pytest.raises(ApplicationError) as caught:
        services.consent_withdraw(consent=given, acting_user=UserFactory())
    assert caught.value.code == "no_agency"
    given.refresh_from_db()
    assert given.withdrawn_at is None
    assert services.consent_withdraw(consent=given, acting_user=police_caseworker) == []
    log = AccessLogEntry.objects.count()
    with pytest.raises(ApplicationError) as caught:
        services.consent_withdraw(consent=given, acting_user=police_caseworker)
    assert (caught.value.code, caught.value.message) == ("already_withdrawn", "Samtycket är redan återkallat.")
    given.refresh_from_db()
    assert (given.version, AccessLogEntry.objects.count()) == (2, log)


def _on_consent(p, given, *, to, by):
    return access.share(
        p, to_agency=to, level="view", legal_basis=legal_basis("samtycke"), consent=given, acting_user=by
    )


def test_a_withdrawal_without_a_note_keeps_no_note(police, kommun, police_caseworker):
    given = record(police_caseworker, person(police, police_caseworker), [police, kommun])
    services.consent_withdraw(consent=given, acting_user=police_caseworker)
    given.refresh_from_db()
    assert given.withdrawn_at is not None and given.withdrawal_note == ""


def test_what_rests_on_a_consent_is_only_its_open_shares(police, kommun, probation, police_caseworker):
    """The withdrawal page lists these as what the withdrawal will end: a share already revoked is not among them."""
    p = person(police, police_caseworker)
    given = record(police_caseworker, p, [police, kommun, probation])
    to_kommun = _on_consent(p, given, to=kommun, by=police_caseworker)
    to_probation = _on_consent(p, given, to=probation, by=police_caseworker)
    access.revoke(to_probation, acting_user=police_caseworker, reason="Behövs inte längre (fiktivt).")
    assert list(services.shares_resting_on(given)) == [to_kommun]


def test_the_nightly_expiry_returns_every_share_it_closed(police, kommun, police_caseworker):
    closed = []
    for _ in range(2):
        p = person(police, police_caseworker)
        given = record(police_caseworker, p, [police, kommun], valid_until=timezone.localdate() + timedelta(days=1))
        closed.append(_on_consent(p, given, to=kommun, by=police_caseworker).pk)
    revoked = services.expire_lapsed_consents(today=timezone.localdate() + timedelta(days=2))
    assert sorted(revoked) == sorted(closed)
    assert services.expire_lapsed_consents(today=timezone.localdate() + timedelta(days=2)) == []


def test_a_consent_may_cover_every_category(police, kommun, police_caseworker):
    from cases.models import ConsentCategory

    given = record(
        police_caseworker, person(police, police_caseworker), [police, kommun], categories=ConsentCategory.values
    )
    assert sorted(given.categories) == sorted(ConsentCategory.values)
