"""The group registry: criminal groups, the relations between them, and who is recorded as a member.

Answers the known failures of gang databases (docs/architecture.md, "Rules of the domain"): a membership needs evidence and
a source, it is reviewed (review_due), it expires when nobody reviews it, and a victim is never a member.
A group's summary, its relations and each membership are separate protected records, so a group can be
shared with every partner while its members are shared only where a legal basis exists.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant

from .district import District
from .individual import Individual

REVIEW_INTERVAL = timedelta(days=365)
# An unreviewed membership expires this long after its review date (issue 3).
EXPIRY_GRACE = timedelta(days=30)


def default_review_due():
    return timezone.localdate() + REVIEW_INTERVAL


class CriminalGroup(ProtectedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv")
        INACTIVE = "inactive", _("Inaktiv")
        DISSOLVED = "dissolved", _("Upplöst")

    name = models.CharField(_("namn"), max_length=120)
    aliases = models.JSONField(_("andra namn"), default=list, blank=True)
    districts = models.ManyToManyField(District, blank=True, related_name="+", verbose_name=_("stadsdelar"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE)
    description = models.TextField(_("beskrivning"), blank=True)
    first_seen = models.DateField(_("först noterad"), null=True, blank=True, validators=[bounds.HAPPENED])
    last_seen = models.DateField(_("senast noterad"), null=True, blank=True, validators=[bounds.HAPPENED])
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("gruppering")
        verbose_name_plural = _("grupperingar")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name


class CriminalGroupGroupGrant(GroupGrant):
    content_object = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE)


class CriminalGroupUserGrant(UserGrant):
    content_object = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE)


class GroupRelation(ProtectedModel):
    class Kind(models.TextChoices):
        CONFLICT = "conflict", _("Konflikt")
        ALLIANCE = "alliance", _("Allians")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktiv")
        DORMANT = "dormant", _("Vilande")
        ENDED = "ended", _("Avslutad")

    group_a = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("gruppering"))
    group_b = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("motpart"))
    kind = models.CharField(_("typ"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    since = models.DateField(_("sedan"), null=True, blank=True, validators=[bounds.HAPPENED])
    notes = models.TextField(_("anteckningar"), blank=True)
    source = models.CharField(_("källa"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("relation mellan grupperingar")
        verbose_name_plural = _("relationer mellan grupperingar")
        constraints = [
            models.CheckConstraint(condition=~Q(group_a=models.F("group_b")), name="group_relation_two_groups"),
        ]

    def __str__(self) -> str:
        return f"{self.group_a} – {self.group_b} ({self.get_kind_display()})"


class GroupRelationGroupGrant(GroupGrant):
    content_object = models.ForeignKey(GroupRelation, on_delete=models.CASCADE)


class GroupRelationUserGrant(UserGrant):
    content_object = models.ForeignKey(GroupRelation, on_delete=models.CASCADE)


class GroupMembership(ProtectedModel):
    class Role(models.TextChoices):
        LEADER = "leader", _("Ledare")
        CORE = "core", _("Kärnmedlem")
        PERIPHERAL = "peripheral", _("Perifer")
        ASSOCIATE = "associate", _("Associerad")

    class SourceType(models.TextChoices):
        OBSERVATION = "observation", _("Egen iakttagelse")
        INFORMANT = "informant", _("Uppgiftslämnare")
        INVESTIGATION = "investigation", _("Förundersökning")
        GROUP_AUDIT = "group_audit", _("Gruppkartläggning (group audit)")
        OTHER = "other", _("Annan källa")

    class Confidence(models.TextChoices):
        CONFIRMED = "confirmed", _("Bekräftad")
        PROBABLE = "probable", _("Trolig")
        POSSIBLE = "possible", _("Möjlig")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Aktuell")
        ENDED = "ended", _("Avslutad")
        EXPIRED = "expired", _("Utgången (ej omprövad)")

    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    group = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("gruppering"))
    role = models.CharField(_("roll"), max_length=12, choices=Role.choices)
    valid_from = models.DateField(_("från"), null=True, blank=True, validators=[bounds.HAPPENED])
    valid_to = models.DateField(_("till"), null=True, blank=True, validators=[bounds.PLANNED])
    source_type = models.CharField(_("källtyp"), max_length=16, choices=SourceType.choices)
    evidence = models.TextField(_("underlag"))
    confidence = models.CharField(_("säkerhet"), max_length=10, choices=Confidence.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review_due = models.DateField(_("omprövas senast"), default=default_review_due, validators=[bounds.PLANNED])
    last_reviewed_at = models.DateTimeField(_("senast omprövad"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    ended_at = models.DateTimeField(_("avslutad"), null=True, blank=True)
    end_reason = models.TextField(_("skäl för avslut"), blank=True)

    class Meta(ProtectedModel.Meta):
        verbose_name = _("medlemskap i gruppering")
        verbose_name_plural = _("medlemskap i grupperingar")
        indexes = [
            *ProtectedModel.Meta.indexes,
            models.Index(fields=["group", "status"]),
            models.Index(fields=["individual", "status"]),
            models.Index(fields=["owner_agency", "status", "review_due"]),
        ]
        constraints = [
            # Evidence is the whole point: a claim without it cannot be stored, not even by raw SQL.
            models.CheckConstraint(condition=~Q(evidence=""), name="group_membership_has_evidence"),
        ]

    def __str__(self) -> str:
        return f"{self.individual} i {self.group}"

    def clean(self) -> None:
        if not (self.evidence or "").strip():
            raise ValidationError({"evidence": _("Ange underlaget för medlemskapet (vad det bygger på).")})

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id

    @property
    def expires_on(self):
        # Guarded: a review date at date.max (stored before the bounds existed) must not overflow (issue 8).
        return bounds.add_days(self.review_due, EXPIRY_GRACE.days)


class GroupMembershipGroupGrant(GroupGrant):
    content_object = models.ForeignKey(GroupMembership, on_delete=models.CASCADE)


class GroupMembershipUserGrant(UserGrant):
    content_object = models.ForeignKey(GroupMembership, on_delete=models.CASCADE)
