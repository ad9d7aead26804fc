"""Goal 2: perceived safety, as survey indices per district and year, imported from a CSV file."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SurveyResult(models.Model):
    district = models.ForeignKey(
        "cases.District", on_delete=models.CASCADE, related_name="+", verbose_name=_("stadsdel")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    question = models.CharField(_("fråga"), max_length=200)
    value = models.DecimalField(_("index"), max_digits=7, decimal_places=2)
    respondents = models.PositiveIntegerField(_("svarande"))

    class Meta:
        ordering = ["year", "district__name", "question"]
        verbose_name = _("enkätresultat")
        verbose_name_plural = _("enkätresultat")
        constraints = [models.UniqueConstraint(fields=["district", "year", "question"], name="survey_result_once")]

    def __str__(self) -> str:
        return f"{self.district} {self.year} {self.question}: {self.value}"


class SurveyImport(models.Model):
    """One uploaded file: kept until imported (a large one by a worker, whose progress the page shows)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Importerad")
        FAILED = "failed", _("Avvisad")

    content = models.TextField()
    filename = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enkätimport")
        verbose_name_plural = _("enkätimporter")

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
