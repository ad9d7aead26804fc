from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds


class HoldQuerySet(models.QuerySet["Hold"]):
    def in_force(self, on=None):
        return self.filter(ends_on__gte=on or timezone.localdate())


class Hold(models.Model):
    """Stops the retention rules from removing one record until `ends_on` (a legal hold, an ongoing case).

    Points at the record by kind and id; the record's owner is copied so a lead lists only their agency's
    holds without loading the records. A hold on a record stops its removal and every removal that would
    take it along (a held entry keeps its case)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("typ"))
    object_id = models.PositiveBigIntegerField(_("post-id"))
    owner_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("ägande myndighet")
    )
    reason = models.TextField(_("skäl"))
    ends_on = models.DateField(_("gäller till och med"), validators=[bounds.PLANNED])
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)

    objects = HoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-pk"]
        verbose_name = _("undantag från gallring")
        verbose_name_plural = _("undantag från gallring")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["owner_agency", "-placed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} → {self.ends_on}"
