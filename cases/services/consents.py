"""Samtycke: recording, withdrawing, and the nightly expiry that ends shares resting on a lapsed consent."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access, audit
from agencies.errors import ApplicationError
from agencies.models import Action, LegalBasis, Share

from ..models import Consent, ConsentCategory
from ._common import required_text

CONSENT_BASIS = "samtycke"


def shares_resting_on(consent: Consent):
    """Open shares whose legal ground is this consent: what a withdrawal (or expiry) will revoke.

    Not the consent record's own shares with the agencies it names: they keep seeing that it was
    withdrawn (or has lapsed), which they need to know before sharing anything more.
    """
    consent_ct = ContentType.objects.get_for_model(Consent)
    return (
        # Not yet revoked, even if already past an end date: the register should say it ended with the consent.
        Share.objects.filter(revoked_at__isnull=True, consent_type=consent_ct, consent_id=consent.pk)
        .exclude(content_type=consent_ct, object_id=consent.pk)
        .select_related("to_agency", "from_agency", "legal_basis", "content_type")
    )


def consent_record(
    *,
    acting_user,
    individual,
    agencies,
    categories,
    purpose: str,
    valid_until: date | None,
    document_reference: str,
    given_on: date | None = None,
) -> Consent:
    """Record a signed consent. It is shared, on itself, with the other agencies it names, so they can see
    it and rest their own shares on it."""
    # A `with` block, not @transaction.atomic: mutmut does not mutate decorated functions.
    with transaction.atomic():
        actor = access.require_actor(acting_user)
        agencies = list(agencies)
        categories = sorted(set(categories or []))
        given_on = given_on or timezone.localdate()
        if not agencies:
            raise ApplicationError(_("Ett samtycke måste omfatta minst en myndighet."), code="no_agency")
        if valid_until is None:
            raise ApplicationError(_("Ange hur länge samtycket gäller."), code="valid_until_required")
        if valid_until < given_on:
            raise ApplicationError(_("Samtycket kan inte upphöra innan det lämnats."), code="dates")
        if not categories or not set(categories) <= set(ConsentCategory.values):
            raise ApplicationError(_("Välj vilka uppgifter samtycket gäller."), code="categories_required")
        if not access.can(acting_user, individual, "view"):
            raise ApplicationError(_("Personen finns inte."), code="not_found")
        consent = Consent.objects.create(
            owner_agency_id=actor.agency_id,
            individual=individual,
            categories=categories,
            given_on=given_on,
            valid_until=valid_until,
            recorded_by=acting_user,
            purpose=required_text(purpose, _("Ange ändamålet med samtycket."), "purpose_required"),
            document_reference=required_text(
                document_reference, _("Ange var det undertecknade samtycket finns."), "document_required"
            ),
        )
        consent.agencies.set(agencies)
        audit.record(
            user=acting_user, agency_id=actor.agency_id, action=Action.CREATE, model=Consent, objects=[consent]
        )
        basis = LegalBasis.objects.get(code=CONSENT_BASIS)
        for agency in agencies:
            if agency.pk != actor.agency_id:
                access.share(
                    consent, to_agency=agency, level="view", legal_basis=basis, consent=consent, acting_user=acting_user
                )
        return consent


def consent_withdraw(*, consent: Consent, acting_user, note: str = "") -> list[int]:
    """The person withdraws consent: every share resting on it is revoked at once, in this transaction.

    Any agency that sees the consent may record the withdrawal — the person may tell any of them.
    """
    # A `with` block, not @transaction.atomic: mutmut does not mutate decorated functions.
    with transaction.atomic():
        actor = access.require_actor(acting_user)
        consent = Consent.objects.select_for_update().get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ApplicationError(_("Samtycket är redan återkallat."), code="already_withdrawn")
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = acting_user
        consent.withdrawal_note = note.strip()
        consent.version += 1
        consent.save()
        audit.record(
            user=acting_user,
            agency_id=actor.agency_id,
            action=Action.CHANGE,
            model=Consent,
            objects=[consent],
            detail={"withdrawn": True},
        )
        # Set-based: the register rows, the grants and the log rows each in one statement, whatever the number.
        return access.revoke_all_as_system(shares_resting_on(consent), reason=_("Samtycket återkallades."))


def expire_lapsed_consents(*, today: date | None = None) -> list[int]:
    """Nightly: revoke every active share resting on a consent whose last valid day has passed.

    Idempotent: a second run finds no active share left on those consents.
    """
    today = today or timezone.localdate()
    revoked = []
    lapsed = Consent.objects.filter(withdrawn_at__isnull=True, valid_until__lt=today)
    for consent in lapsed.iterator():
        with transaction.atomic():
            revoked += access.revoke_all_as_system(
                shares_resting_on(consent), reason=_("Samtycket har upphört att gälla.")
            )
            if consent.expiry_processed_at is None:
                Consent.objects.filter(pk=consent.pk).update(expiry_processed_at=timezone.now())
    return revoked
