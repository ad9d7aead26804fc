"""Enforcement responses: what the partners do, together, to a group that kept shooting after it was warned.

The response (the decision, the group, the incidents that triggered it, the warnings it had) belongs to the
agency that decided it; the agencies taking part see it through shares. Each lever — one action one agency
takes — is a protected record of that agency, so each agency decides what of its own measures others see.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant
from cases.models import CriminalGroup, Incident

from .callins import CallIn
from .notifications import CustomNotification


class EnforcementResponse(ProtectedModel):
    class Status(models.TextChoices):
        DECIDED = "decided", _("Beslutad")
        ONGOING = "ongoing", _("Pågår")
        COMPLETED = "completed", _("Avslutad")
        CANCELLED = "cancelled", _("Avbruten")

    group = models.ForeignKey(
        CriminalGroup, on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarig gruppering")
    )
    trigger_incidents = models.ManyToManyField(
        Incident, blank=True, related_name="+", verbose_name=_("utlösande händelser")
    )
    # The warning the group had before: the call-ins it was called to and the notifications its members got.
    warning_call_ins = models.ManyToManyField(CallIn, blank=True, related_name="+", verbose_name=_("call-ins"))
    warning_notifications = models.ManyToManyField(
        CustomNotification, blank=True, related_name="+", verbose_name=_("individuella samtal")
    )
    decided_on = models.DateField(_("beslutad"), validators=[bounds.HAPPENED])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DECIDED)
    summary = models.TextField(_("beslut och motivering"), blank=True)
    # Part of the method: the groups are told why it happened, so the next group knows it is real.
    communicated = models.BooleanField(_("återkopplad till grupperna"), default=False)
    communication = models.TextField(_("hur återkopplingen gick till"), blank=True)
    participating_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("deltagande myndigheter")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("insats efter våld")
        verbose_name_plural = _("insatser efter våld")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["group", "-decided_on"])]

    def __str__(self) -> str:
        return _("Insats %(day)s") % {"day": self.decided_on.isoformat()}


class EnforcementResponseGroupGrant(GroupGrant):
    content_object = models.ForeignKey(EnforcementResponse, on_delete=models.CASCADE)


class EnforcementResponseUserGrant(UserGrant):
    content_object = models.ForeignKey(EnforcementResponse, on_delete=models.CASCADE)


class Lever(ProtectedModel):
    """One agency's action in a response. Owned by the agency that takes it."""

    class Kind(models.TextChoices):
        POLICE_OPERATION = "police_operation", _("Polisinsats")
        SUPERVISION_CHECK = "supervision_check", _("Kontroll av villkor i frivården")
        DEBT_ENFORCEMENT = "debt_enforcement", _("Begäran om indrivning av skulder")
        HOUSING_REVIEW = "housing_review", _("Prövning av boende")
        BENEFIT_REVIEW = "benefit_review", _("Prövning av bidrag")
        SCHOOL_MEASURE = "school_measure", _("Åtgärd i skolan")
        SOCIAL_SERVICES = "social_services", _("Åtgärd från socialtjänsten")
        OTHER = "other", _("Annat")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    response = models.ForeignKey(
        EnforcementResponse, on_delete=models.CASCADE, related_name="+", verbose_name=_("insats")
    )
    kind = models.CharField(_("typ av åtgärd"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("beskrivning"))
    starts_on = models.DateField(_("från"), validators=[bounds.PLANNED])
    ends_on = models.DateField(_("till"), null=True, blank=True, validators=[bounds.PLANNED])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    outcome = models.TextField(_("resultat"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("åtgärd")
        verbose_name_plural = _("åtgärder")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["response", "starts_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="lever_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class LeverGroupGrant(GroupGrant):
    content_object = models.ForeignKey(Lever, on_delete=models.CASCADE)


class LeverUserGrant(UserGrant):
    content_object = models.ForeignKey(Lever, on_delete=models.CASCADE)
