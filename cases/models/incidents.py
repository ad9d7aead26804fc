"""Incidents of serious violence and who and what was involved.

Group involvement is shown wherever both the incident and the group are visible. Person involvement is a
protected record of its own: that someone was a suspect or a victim is itself sensitive, so seeing the
incident and the person separately never implies seeing the link. Recording a victim never creates a
group membership.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant

from .district import District
from .groups import CriminalGroup
from .individual import Individual


class Incident(ProtectedModel):
    class Kind(models.TextChoices):
        SHOOTING = "shooting", _("Skjutning")
        EXPLOSION = "explosion", _("Sprängning")
        SERIOUS_VIOLENCE = "serious_violence", _("Annat grovt våld")
        THREAT = "threat", _("Hot")

    class Status(models.TextChoices):
        OPEN = "open", _("Under utredning")
        SOLVED = "solved", _("Uppklarad")
        CLOSED = "closed", _("Nedlagd")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField(_("inträffade"), validators=[bounds.HAPPENED])
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("stadsdel")
    )
    place = models.CharField(_("ungefärlig plats"), max_length=200, blank=True)
    dead = models.PositiveSmallIntegerField(_("döda"), default=0)
    injured = models.PositiveSmallIntegerField(_("skadade"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    investigation_hours = models.DecimalField(
        _("utredningstimmar"), max_digits=8, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    summary = models.TextField(_("sammanfattning"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("händelse")
        verbose_name_plural = _("händelser")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["occurred_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d}"


class IncidentGroupGrant(GroupGrant):
    content_object = models.ForeignKey(Incident, on_delete=models.CASCADE)


class IncidentUserGrant(UserGrant):
    content_object = models.ForeignKey(Incident, on_delete=models.CASCADE)


class IncidentGroup(models.Model):
    """A group's part in an incident. Shown where both the incident and the group are visible."""

    class Certainty(models.TextChoices):
        SUSPECTED = "suspected", _("Misstänkt")
        CONFIRMED = "confirmed", _("Bekräftad")

    class Side(models.TextChoices):
        PERPETRATOR = "perpetrator", _("Gärningssida")
        VICTIM = "victim", _("Offersida")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="group_involvements")
    group = models.ForeignKey(CriminalGroup, on_delete=models.CASCADE, related_name="+", verbose_name=_("gruppering"))
    certainty = models.CharField(_("säkerhet"), max_length=10, choices=Certainty.choices)
    side = models.CharField(_("sida"), max_length=12, choices=Side.choices)

    class Meta:
        verbose_name = _("inblandad gruppering")
        verbose_name_plural = _("inblandade grupperingar")
        constraints = [
            models.UniqueConstraint(fields=["incident", "group", "side"], name="incident_group_once_per_side")
        ]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_side_display()}, {self.get_certainty_display()})"


class IncidentPerson(ProtectedModel):
    """A person's part in an incident: a protected record of its own (see module docstring)."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("Målsägande/offer")
        SUSPECT = "suspect", _("Misstänkt")
        WITNESS = "witness", _("Vittne")
        OTHER = "other", _("Annan")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="+", verbose_name=_("händelse"))
    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    role = models.CharField(_("roll"), max_length=10, choices=Role.choices)
    notes = models.TextField(_("anteckningar"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("inblandad person")
        verbose_name_plural = _("inblandade personer")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["incident"]), models.Index(fields=["individual"])]
        constraints = [
            models.UniqueConstraint(fields=["incident", "individual", "role"], name="incident_person_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.individual} ({self.get_role_display()})"

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id


class IncidentPersonGroupGrant(GroupGrant):
    content_object = models.ForeignKey(IncidentPerson, on_delete=models.CASCADE)


class IncidentPersonUserGrant(UserGrant):
    content_object = models.ForeignKey(IncidentPerson, on_delete=models.CASCADE)
