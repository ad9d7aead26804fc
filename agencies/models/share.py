from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import bounds


class LegalBasis(models.Model):
    """A ground for disclosure (OSL chapter 10 and friends). Seeded (docs/access-model.md), editable by admins."""

    code = models.SlugField(_("kod"), max_length=40, unique=True)
    name = models.CharField(_("benämning"), max_length=200)
    description = models.TextField(_("beskrivning"), blank=True)
    requires_consent = models.BooleanField(_("kräver samtycke"), default=False)
    active = models.BooleanField(_("aktiv"), default=True)
    # Where the basis applies (docs/access-model.md, "Legal bases"). Written by agencies/reference_data.py on
    # every migrate and read-only in the admin: an administrator may reword or retire a basis, never loosen it.
    # Kinds are Agency.Kind values; record kinds are model labels ("cases.caseentry"); an empty list of record
    # kinds means every kind of record.
    sender_kinds = models.JSONField(_("får lämnas ut av"), default=list, blank=True)
    receiver_kinds = models.JSONField(_("får lämnas ut till"), default=list, blank=True)
    record_kinds = models.JSONField(_("gäller uppgifter av slaget"), default=list, blank=True)
    requires_assessment = models.BooleanField(_("kräver skriftlig bedömning"), default=False)
    assessment_prompt = models.TextField(_("vad bedömningen ska innehålla"), blank=True)
    # The person the record is about must be younger than this (by birth year) when the share is decided.
    max_age = models.PositiveSmallIntegerField(_("personens högsta ålder (under)"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("rättslig grund")
        verbose_name_plural = _("rättsliga grunder")

    def __str__(self) -> str:
        return self.name


class ShareLevel(models.TextChoices):
    VIEW = "view", _("Läsa")
    CHANGE = "change", _("Läsa och ändra")


class ShareQuerySet(models.QuerySet["Share"]):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=at)
        )


class ShareBundle(models.Model):
    """One decision that disclosed several records of one situation at once (docs/access-model.md, "One
    decision for one situation"): a joint case's header, its person and chosen entries to one agency, on one
    basis with one assessment. Each record still has its own register row (`Share.bundle` points here), so
    each is revoked on its own; this row only says they were decided together."""

    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("från")
    )
    to_agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("till"))
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, verbose_name=_("rättslig grund"))
    assessment = models.TextField(_("bedömning"), blank=True)
    consent_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent_id = models.PositiveBigIntegerField(null=True, blank=True)
    consent = GenericForeignKey("consent_type", "consent_id")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("beslutad"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("samlat utlämnande")
        verbose_name_plural = _("samlade utlämnanden")

    def __str__(self) -> str:
        return f"{_('Beslut')} {self.pk} → {self.to_agency}"


class Share(models.Model):
    """The disclosure register. Every guardian grant follows from an active row here (agencies.access)."""

    # Generic pointers keep `agencies` free of imports from other apps (docs/architecture.md). No request's
    # permission lookup goes through them: the gate reads the direct-FK grant tables instead.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    from_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="shares_made", verbose_name=_("från")
    )
    to_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="shares_received", verbose_name=_("till")
    )
    # A share to one named user of the receiving agency (a mentor at a community partner on one case): the
    # grant goes to that user alone, not to the agency's group. Null: the whole receiving agency.
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("till användare"),
    )
    level = models.CharField(_("nivå"), max_length=10, choices=ShareLevel.choices, default=ShareLevel.VIEW)
    legal_basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, verbose_name=_("rättslig grund"))
    consent_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    consent_id = models.PositiveBigIntegerField(null=True, blank=True)
    consent = GenericForeignKey("consent_type", "consent_id")
    # The caseworker's written assessment (or weighing of interests, or the law that imposes the duty) when
    # the basis needs one: who needs the data, why, and why the person's interest does not outweigh it.
    assessment = models.TextField(_("bedömning"), blank=True)

    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("beslutad"), default=timezone.now)
    # The one decision this row was part of, when several records were disclosed together; null for a
    # record disclosed on its own. PROTECT: a decision's rows are never orphaned.
    bundle = models.ForeignKey(
        ShareBundle,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="shares",
        verbose_name=_("beslut"),
    )
    expires_at = models.DateTimeField(_("upphör"), null=True, blank=True, validators=[bounds.PLANNED])
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.TextField(_("skäl för återkallelse"), blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("utlämnande")
        verbose_name_plural = _("utlämnanden")
        indexes = [
            models.Index(fields=["content_type", "object_id", "to_agency"]),
            models.Index(fields=["to_agency", "-decided_at"]),
            models.Index(fields=["from_agency", "-decided_at"]),
            models.Index(fields=["consent_type", "consent_id"]),
        ]

    def __str__(self) -> str:
        to = f"{self.to_agency} ({self.to_user})" if self.to_user_id else f"{self.to_agency}"
        return f"{self.content_type.model} {self.object_id} → {to}"

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
