"""access.share() and access.revoke(): every refusal, and exactly what a disclosure writes.

Written from the mutation run over the share and revocation services (docs/testing.md, "Mutation
testing"): each refusal is asserted by its code, with nothing written — no register row, no grant, no log
row — and an accepted share by the register row's fields, the grant and the log's detail.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import AccessLogEntry, LegalBasis, Share
from agencies.tests.factories import UserFactory, basis_for, legal_basis
from cases.models import Individual, IndividualGroupGrant, IndividualUserGrant
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory, consent

pytestmark = pytest.mark.django_db

REASON = "Behövs för samverkan."


def person(owner, user, **kw):
    return IndividualFactory(owner_agency=owner, created_by=user, **kw)


def refused(code: str, says: str, obj, **kw) -> ApplicationError:
    """Share with `kw`, expect the refusal `code` saying `says`, and that nothing at all was written."""
    shares, grants, log = Share.objects.count(), IndividualGroupGrant.objects.count(), AccessLogEntry.objects.count()
    with pytest.raises(ApplicationError) as caught:
        access.share(obj, **kw)
    assert caught.value.code == code, caught.value.message
    # The reason is shown to the user as it is: the whole sentence, or (with a basis's name) how it begins.
    assert caught.value.message == says or caught.value.message.startswith(says + " "), caught.value.message
    assert (Share.objects.count(), IndividualGroupGrant.objects.count(), AccessLogEntry.objects.count()) == (
        shares,
        grants,
        log,
    )
    return caught.value


def args(to, by, **kw):
    return {
        "to_agency": to,
        "level": "view",
        "legal_basis": basis_for(to),
        "assessment": REASON,
        "acting_user": by,
        **kw,
    }


# --- who may share ----------------------------------------------------------------------------------------


def test_only_the_owner_shares_even_what_it_may_see(police, kommun, probation, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    access.share(p, **args(kommun, police_caseworker))
    assert access.can(kommun_caseworker, p, "view")
    error = refused(
        "not_owner", "Endast den ägande myndigheten kan dela uppgiften.", p, **args(probation, kommun_caseworker)
    )
    assert "ägande myndigheten" in error.message


def test_a_user_without_an_agency_may_not_share(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    assert (
        refused("no_agency", "Användaren tillhör ingen aktiv myndighet.", p, **args(kommun, UserFactory())).message
        == "Användaren tillhör ingen aktiv myndighet."
    )


def test_identity_details_need_a_lead_and_a_person_does_not(police, kommun, police_caseworker, police_lead):
    p = person(police, police_caseworker)
    identity = IdentityDetailsFactory(individual=p)
    error = refused(
        "lead_required", "Identitetsuppgifter får bara delas av en chef.", identity, **args(kommun, police_caseworker)
    )
    assert "chef" in error.message
    assert access.share(identity, **args(kommun, police_lead)).to_agency == kommun
    # The lead rule is the identity's, not every record's: a caseworker shares the person.
    assert access.share(p, **args(kommun, police_caseworker)).to_agency == kommun


# --- what a share needs -----------------------------------------------------------------------------------


def test_a_share_needs_an_active_legal_basis(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    refused(
        "legal_basis_required",
        "Ett utlämnande måste ha en rättslig grund.",
        p,
        **args(kommun, police_caseworker, legal_basis=None),
    )
    LegalBasis.objects.filter(code="osl-10-2").update(active=False)
    error = refused(
        "legal_basis_inactive",
        "Den rättsliga grunden används inte längre.",
        p,
        **args(kommun, police_caseworker, legal_basis=legal_basis()),
    )
    assert "Den rättsliga grunden används inte längre." in error.message


def test_not_to_the_own_agency_nor_an_inactive_one(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    refused("own_agency", "Uppgiften ägs redan av din myndighet.", p, **args(police, police_caseworker))
    kommun.active = False
    kommun.save()
    refused("agency_inactive", "Mottagande myndighet är inte aktiv.", p, **args(kommun, police_caseworker))


def test_a_named_user_must_act_for_the_receiving_agency(
    police, kommun, probation, police_caseworker, kommun_caseworker
):
    p = person(police, police_caseworker)
    probation_user = UserFactory(agency=probation)
    refused(
        "user_not_in_agency",
        "Användaren är inte aktiv hos den mottagande myndigheten.",
        p,
        **args(kommun, police_caseworker, to_user=probation_user),
    )
    record = access.share(p, **args(kommun, police_caseworker, to_user=kommun_caseworker))
    assert (record.to_agency, record.to_user) == (kommun, kommun_caseworker)
    assert IndividualUserGrant.objects.filter(user=kommun_caseworker).count() == 1
    assert IndividualGroupGrant.objects.count() == 0


def test_only_known_levels(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    refused("invalid_level", "Okänd behörighetsnivå.", p, **args(kommun, police_caseworker, level="admin"))


def test_an_end_must_lie_in_the_future(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    refused(
        "expiry_in_past",
        "Slutdatum måste ligga i framtiden.",
        p,
        **args(kommun, police_caseworker, expires_at=timezone.now() - timedelta(minutes=1)),
    )
    later = timezone.now() + timedelta(days=2)
    assert access.share(p, **args(kommun, police_caseworker, expires_at=later)).expires_at == later


def test_a_basis_that_does_not_fit_is_refused_with_its_reason(police, community, police_caseworker):
    p = person(police, police_caseworker)
    # OSL does not reach an association: an OSL basis does not fit a share to one.
    error = refused(
        "legal_basis_not_fitting",
        f"{legal_basis().name} kan inte användas här: civilsamhället omfattas inte av OSL och tar bara emot med samtycke.",
        p,
        **args(community, police_caseworker, legal_basis=legal_basis()),
    )
    assert error.message.startswith(legal_basis().name)
    assert "civilsamhället" in error.message


def test_an_assessment_is_required_and_kept_stripped(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    assert legal_basis().requires_assessment
    error = refused(
        "assessment_required",
        f"{legal_basis().name} kräver en skriftlig bedömning:",
        p,
        **args(kommun, police_caseworker, assessment="   "),
    )
    assert error.message.startswith(legal_basis().name)
    refused(
        "assessment_required",
        f"{legal_basis().name} kräver en skriftlig bedömning:",
        p,
        **args(kommun, police_caseworker, assessment=None),
    )
    record = access.share(p, **args(kommun, police_caseworker, assessment="  Behövs.  "))
    assert record.assessment == "Behövs."
    assert AccessLogEntry.objects.get(action="share").detail["assessment"] == "Behövs."


def test_a_share_without_an_assessment_argument_needs_one(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    kw = args(kommun, police_caseworker)
    del kw["assessment"]
    refused("assessment_required", f"{legal_basis().name} kräver en skriftlig bedömning:", p, **kw)


# --- consent ----------------------------------------------------------------------------------------------


def test_the_consent_basis_needs_a_consent_that_covers(police, kommun, probation, police_caseworker):
    p = person(police, police_caseworker)
    basis = legal_basis("samtycke")
    refused(
        "consent_required",
        "Den rättsliga grunden kräver ett giltigt samtycke.",
        p,
        **args(kommun, police_caseworker, legal_basis=basis),
    )
    c = consent(police_caseworker, p, [police, kommun], categories=["person"])
    # Probation is not named in the consent.
    error = refused(
        "consent_not_covering",
        "Samtycket täcker inte den här myndigheten eller uppgiften, eller gäller inte längre.",
        p,
        **args(probation, police_caseworker, legal_basis=basis, consent=c),
    )
    assert "Samtycket täcker inte den här myndigheten eller uppgiften, eller gäller inte längre." in error.message
    record = access.share(p, **args(kommun, police_caseworker, legal_basis=basis, consent=c))
    assert (record.consent, record.legal_basis) == (c, basis)
    # Anything that cannot answer whether it covers the share does not.
    refused(
        "consent_not_covering",
        "Samtycket täcker inte den här myndigheten eller uppgiften, eller gäller inte längre.",
        p,
        **args(kommun, police_caseworker, legal_basis=basis, consent=object()),
    )


def test_a_share_on_consent_ends_when_the_consent_does(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    c = consent(police_caseworker, p, [police, kommun], categories=["person"])
    basis = legal_basis("samtycke")
    # No end given, or one after the consent's: the consent's end.
    assert access.share(p, **args(kommun, police_caseworker, legal_basis=basis, consent=c)).expires_at == c.lapses_at()
    after = c.lapses_at() + timedelta(days=30)
    capped = access.share(p, **args(kommun, police_caseworker, legal_basis=basis, consent=c, expires_at=after))
    assert capped.expires_at == c.lapses_at()
    # An earlier end is kept.
    sooner = timezone.now() + timedelta(days=1)
    kept = access.share(p, **args(kommun, police_caseworker, legal_basis=basis, consent=c, expires_at=sooner))
    assert kept.expires_at == sooner


def test_the_consent_record_itself_is_shared_without_an_end(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    c = consent(police_caseworker, p, [police, kommun], categories=["person"])
    own = Share.objects.get(object_id=c.pk, content_type__model="consent")
    # The agencies it names keep seeing it after it lapses, so they know it has.
    assert (own.to_agency, own.expires_at, own.consent) == (kommun, None, c)


# --- what an accepted share writes ------------------------------------------------------------------------


def test_a_share_writes_the_register_the_grant_and_the_log(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(p, **args(kommun, police_caseworker, level="change"))
    record.refresh_from_db()
    assert (
        record.content_object,
        record.from_agency,
        record.to_agency,
        record.to_user,
        record.level,
        record.legal_basis,
        record.consent,
        record.decided_by,
        record.expires_at,
        record.assessment,
        record.revoked_at,
    ) == (p, police, kommun, None, "change", legal_basis(), None, police_caseworker, None, REASON, None)
    assert access.can(kommun_caseworker, p, "change")
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.user, entry.agency, entry.model, entry.object_ids) == (
        "share",
        police_caseworker,
        police,
        "cases.individual",
        [p.pk],
    )
    assert entry.detail == {
        "share": record.pk,
        "to_agency": kommun.slug,
        "level": "change",
        "legal_basis": "osl-10-2",
        "assessment": REASON,
    }


def test_a_share_to_a_named_user_logs_the_user(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(p, **args(kommun, police_caseworker, to_user=kommun_caseworker))
    assert AccessLogEntry.objects.get().detail["to_user"] == kommun_caseworker.pk
    assert record.to_user == kommun_caseworker


# --- revoke -----------------------------------------------------------------------------------------------


def test_revoke_refusals_write_nothing(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(p, **args(kommun, police_caseworker))
    log = AccessLogEntry.objects.count()
    for user, reason, code, message in [
        (kommun_caseworker, "Klart.", "not_owner", "Endast myndigheten som delade kan återkalla."),
        (police_caseworker, "   ", "reason_required", "Ange ett skäl för återkallelsen."),
    ]:
        with pytest.raises(ApplicationError) as caught:
            access.revoke(record, acting_user=user, reason=reason)
        assert (caught.value.code, caught.value.message) == (code, message)
    record.refresh_from_db()
    assert record.revoked_at is None
    assert access.can(kommun_caseworker, p, "view")
    assert AccessLogEntry.objects.count() == log
    with pytest.raises(ApplicationError) as caught:
        access.revoke(record, acting_user=UserFactory(), reason="Klart.")
    assert caught.value.code == "no_agency"


def test_revoke_closes_the_register_row_and_access_once(police, kommun, police_caseworker, kommun_caseworker):
    p = person(police, police_caseworker)
    record = access.share(p, **args(kommun, police_caseworker))
    before = timezone.now()
    closed = access.revoke(record, acting_user=police_caseworker, reason="  Ändamålet upphört  ")
    assert closed.pk == record.pk
    closed.refresh_from_db()
    assert (closed.revoked_by, closed.revoke_reason) == (police_caseworker, "Ändamålet upphört")
    assert closed.revoked_at is not None
    assert before <= closed.revoked_at <= timezone.now()
    assert not access.can(kommun_caseworker, p, "view")
    entry = AccessLogEntry.objects.get(action="revoke")
    assert (entry.user, entry.agency, entry.model, entry.object_ids) == (
        police_caseworker,
        police,
        "cases.individual",
        [p.pk],
    )
    assert entry.detail == {
        "share": record.pk,
        "object_id": p.pk,
        "to_agency": kommun.slug,
        "reason": "Ändamålet upphört",
    }
    # The stale object passed in is re-read: a second revoke is refused.
    with pytest.raises(ApplicationError) as caught:
        access.revoke(record, acting_user=police_caseworker, reason="Igen.")
    assert (caught.value.code, caught.value.message) == ("already_revoked", "Utlämnandet är redan återkallat.")
    assert AccessLogEntry.objects.filter(action="revoke").count() == 1
    assert Individual.objects.filter(pk=p.pk).exists()


def test_the_under_21_rule_judges_the_record_shared(kommun, police, kommun_caseworker):
    """OSL 10:18 a fits a record about someone certainly under 21 — asked of the record being shared."""
    young = IndividualFactory(
        owner_agency=kommun, created_by=kommun_caseworker, birth_year=timezone.localdate().year - 19
    )
    record = access.share(young, **args(police, kommun_caseworker, legal_basis=legal_basis("osl-10-18a")))
    assert record.legal_basis.code == "osl-10-18a" and access.agency_sees(police, young)


def test_an_end_at_this_very_moment_is_not_in_the_future(police, kommun, police_caseworker):
    import time_machine

    with time_machine.travel(timezone.now(), tick=False):
        with pytest.raises(ApplicationError) as caught:
            access.share(
                person(police, police_caseworker), **args(kommun, police_caseworker, expires_at=timezone.now())
            )
    assert caught.value.code == "expiry_in_past"
