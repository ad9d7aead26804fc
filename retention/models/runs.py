from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """One application of the rules: what it removed, as counts per category, agency and outcome.

    Counts only, never ids or content: the report outlives the records it names."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {category code: {agency slug: {"anonymised"|"deleted"|"held"|"blocked": n}}}
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("gallringskörning")
        verbose_name_plural = _("gallringskörningar")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"
