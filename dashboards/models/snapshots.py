"""Nightly aggregate snapshots: counts per day, district and owning agency, never a person or a record id.

Every figure on a dashboard is a sum of `DailyFigure` rows (docs/dashboards.md lists what each metric counts
and from what). A page reads one grouped query of these rows, so its cost depends on the period's months, not
on how many incidents or cases lie behind them. `SnapshotRun` records each computation, so a lead who asks
for a fresh one can follow its progress.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DailyFigure(models.Model):
    day = models.DateField(_("dag"))
    # The first day of `day`'s month, stored so a page groups by month without a date function (an index
    # on (metric, month) serves every dashboard query).
    month = models.DateField(_("månad"))
    district = models.ForeignKey(
        "cases.District", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("stadsdel")
    )
    # The agency that owns the records counted (a lead sees these rows of their own agency only).
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(max_length=40)
    key = models.CharField(max_length=60, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("dagssiffra")
        verbose_name_plural = _("dagssiffror")
        indexes = [
            models.Index(fields=["metric", "month"]),
            models.Index(fields=["agency", "metric", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric}:{self.key} = {self.value}"


class SnapshotRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        FAILED = "failed", _("Misslyckades")

    class Trigger(models.TextChoices):
        NIGHTLY = "nightly", _("Nattlig")
        LEAD = "lead", _("Begärd av chef")

    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # per cent
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("beräkning av ögonblicksbild")
        verbose_name_plural = _("beräkningar av ögonblicksbilder")

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.created_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class JointFigure(models.Model):
    """The joint dashboard's figures for one calendar year, already suppressed (docs/dashboards.md).

    `data` holds what may be published and nothing else: a hidden cell is stored as its display ("<3" or
    ".."), never as its value, so no page, export or API answer built from it can leak a small count. Years
    are fixed periods (no overlapping ranges to subtract from each other). Year 0 holds the current state
    (cases open by phase, tasks overdue).
    """

    year = models.PositiveSmallIntegerField(unique=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
