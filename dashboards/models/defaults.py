"""Configurable defaults for goals 3 and 4: investigation hours per incident type where none are recorded,
and the public cost of an incident per type and outcome. Each carries the source of its figure; an
administrator edits them in the admin, whose log (django.contrib.admin's LogEntry) keeps every change."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CostDefault(models.Model):
    class Measure(models.TextChoices):
        HOURS = "hours", _("Utredningstimmar per händelse")
        COST = "cost", _("Kostnad per händelse (kr)")

    class Outcome(models.TextChoices):
        DEAD = "dead", _("Död")
        INJURED = "injured", _("Skadad")
        NONE = "none", _("Ingen skadad")
        ANY = "any", _("Alla utfall")

    measure = models.CharField(_("mått"), max_length=10, choices=Measure.choices)
    # An incident kind (cases.Incident.Kind); kept as text so dashboards add no foreign key into cases' choices.
    incident_kind = models.CharField(_("händelsetyp"), max_length=20)
    outcome = models.CharField(_("utfall"), max_length=10, choices=Outcome.choices, default=Outcome.ANY)
    amount = models.DecimalField(_("belopp"), max_digits=12, decimal_places=1, validators=[MinValueValidator(0)])
    source = models.TextField(_("källa"), help_text=_("Varifrån siffran kommer, så att den kan granskas."))

    class Meta:
        ordering = ["measure", "incident_kind", "outcome"]
        verbose_name = _("standardvärde")
        verbose_name_plural = _("standardvärden för tid och kostnad")
        constraints = [
            models.UniqueConstraint(fields=["measure", "incident_kind", "outcome"], name="cost_default_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_measure_display()}: {self.incident_kind} / {self.get_outcome_display()} = {self.amount}"
