"""Samtycke: a person's consent to the exchange of named categories of their data between named agencies.

A share whose legal basis is consent lives only while the consent does (agencies.access.share asks
`covers`; cases.services.consents revokes on withdrawal at once and on expiry nightly).
"""

from datetime import datetime, time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant

from .individual import Individual


class ConsentCategory(models.TextChoices):
    PERSON = "person", _("Personuppgifter (alias, födelseår, stadsdel)")
    IDENTITY = "identity", _("Identitetsuppgifter")
    CASE = "case", _("Ärendets grunduppgifter")
    NOTE = "note", _("Anteckningar")
    NEEDS = "needs", _("Behovsbedömningar")
    THREAT = "threat", _("Hotbedömningar")
    INTERVENTION = "intervention", _("Insatser")
    MINUTES = "minutes", _("Mötesanteckningar")


class Consent(ProtectedModel):
    individual = models.ForeignKey(Individual, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    agencies = models.ManyToManyField("agencies.Agency", related_name="+", verbose_name=_("myndigheter"))
    categories = models.JSONField(_("uppgiftskategorier"), default=list)
    purpose = models.TextField(_("ändamål"))
    given_on = models.DateField(_("lämnat"), default=timezone.localdate, validators=[bounds.HAPPENED])
    valid_until = models.DateField(_("giltigt till och med"), validators=[bounds.PLANNED])
    document_reference = models.CharField(_("referens till undertecknat dokument"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("återkallat"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_note = models.TextField(_("anteckning vid återkallelse"), blank=True)
    # Set by the nightly job once the shares resting on an expired consent have been revoked.
    expiry_processed_at = models.DateTimeField(null=True, blank=True, editable=False)

    consent_category = "consent"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        indexes = [
            *ProtectedModel.Meta.indexes,
            models.Index(fields=["individual"]),
            models.Index(fields=["valid_until"]),
        ]

    def __str__(self) -> str:
        return _("Samtycke %(pk)s") % {"pk": self.pk}

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id

    def is_valid(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.withdrawn_at is None and self.given_on <= on <= self.valid_until

    def lapses_at(self):
        """When shares resting on this consent stop granting (agencies.access.share caps expires_at here),
        so a lapsed consent ends access at once, before the nightly job records it."""
        # bounds.add_days: a valid_until at date.max (stored before the bounds existed) must not overflow.
        return timezone.make_aware(datetime.combine(bounds.add_days(self.valid_until, 1), time.min))

    def covers(self, *, agency, obj) -> bool:
        """The protocol agencies.access.share asks: may `obj` go to `agency` on this consent?

        Valid today; about the same person; the disclosing and the receiving agency both named; and the
        record's category among those consented to.
        """
        if not self.is_valid():
            return False
        if isinstance(obj, Consent) and obj.pk == self.pk:
            # The consent record itself goes to the agencies it names, so they know it exists.
            return agency.pk in set(self.agencies.values_list("pk", flat=True))
        person_id = obj.audit_person_id() if hasattr(obj, "audit_person_id") else None
        if person_id != self.individual_id:
            return False
        named = set(self.agencies.values_list("pk", flat=True))
        if agency.pk not in named or obj.owner_agency_id not in named:
            return False
        return getattr(obj, "consent_category", None) in self.categories


class ConsentGroupGrant(GroupGrant):
    content_object = models.ForeignKey(Consent, on_delete=models.CASCADE)


class ConsentUserGrant(UserGrant):
    content_object = models.ForeignKey(Consent, on_delete=models.CASCADE)
