"""The lead's monthly review of the agency's access log (docs/access-model.md, "The monthly log review").

A review is one agency's month: a seeded random sample of its users' reads plus every read that matched a
pattern, each an item that names the rules that selected it. A lead gives each item a verdict. Verdicts are
append-only: a lead who changes their mind records a new verdict, the earlier one stays and is shown, and
the newest one counts.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import AccessLogEntry, AppendOnlyModel


class ReviewRule(models.TextChoices):
    """Why an item is in a review. An item may carry several."""

    SAMPLE = "sample", _("Slumpvis stickprov")
    MANY_PERSONS = "many_persons", _("Många personer på kort tid")
    OUTSIDE_CASES = "outside_cases", _("Person utanför myndighetens ärenden")
    OUTSIDE_HOURS = "outside_hours", _("Utanför arbetstid")


class VerdictChoice(models.TextChoices):
    CONFIRMED = "confirmed", _("Godkänd")
    FLAGGED = "flagged", _("Flaggad")


class LogReview(models.Model):
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="log_reviews")
    # The first day of the month reviewed (local time, Europe/Stockholm).
    month = models.DateField(_("månad"))
    created_at = models.DateTimeField(_("skapad"), default=timezone.now)
    # What the selection ran with, so a later change of the settings does not change what a review meant.
    parameters = models.JSONField(default=dict)
    reads = models.PositiveIntegerField(_("läsningar under månaden"), default=0)

    class Meta:
        ordering = ["-month", "agency__name"]
        verbose_name = _("logggranskning")
        verbose_name_plural = _("logggranskningar")
        constraints = [models.UniqueConstraint(fields=["agency", "month"], name="log_review_once_per_month")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"


class LogReviewItem(models.Model):
    review = models.ForeignKey(LogReview, on_delete=models.CASCADE, related_name="items")
    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="+")
    rules = models.JSONField(_("urvalsregler"), default=list)

    class Meta:
        ordering = ["entry__at", "entry_id"]
        constraints = [models.UniqueConstraint(fields=["review", "entry"], name="log_review_item_once")]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.entry_id} {self.rules}"


class LogReviewVerdict(AppendOnlyModel):
    """A lead's verdict on one item: never changed or deleted (the model refuses), only followed by a newer one."""

    item = models.ForeignKey(LogReviewItem, on_delete=models.PROTECT, related_name="verdicts")
    verdict = models.CharField(_("bedömning"), max_length=10, choices=VerdictChoice.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("bedömd"), default=timezone.now)

    class Meta(AppendOnlyModel.Meta):
        ordering = ["-decided_at", "-id"]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")

    def __str__(self) -> str:
        return f"{self.item_id} {self.verdict}"


class LogReviewReminder(models.Model):
    """One row per reminder sent about a review, so the daily job reminds at most once per interval."""

    review = models.ForeignKey(LogReview, on_delete=models.CASCADE, related_name="reminders")
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)
    unreviewed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.review_id} {self.sent_at:%Y-%m-%d}"
