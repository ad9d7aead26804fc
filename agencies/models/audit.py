"""The append-only access log. Rows are written by agencies.audit and never changed or deleted.

The model layer refuses updates and deletes; on PostgreSQL a trigger (migration 0002) refuses them too,
so not even raw SQL from the application can rewrite history.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class Action(models.TextChoices):
    VIEW = "view", _("Läste")
    LIST = "list", _("Listade")
    CREATE = "create", _("Skapade")
    CHANGE = "change", _("Ändrade")
    SHARE = "share", _("Delade")
    REVOKE = "revoke", _("Återkallade")


class Via(models.TextChoices):
    UI = "ui", _("Webb")
    API = "api", _("API")
    TASK = "task", _("Bakgrundsjobb")
    CLI = "cli", _("Kommandorad")


class AccessLogEntry(AppendOnlyModel):
    at = models.DateTimeField(_("tid"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="access_log")
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    model = models.CharField(_("posttyp"), max_length=100)
    object_ids = models.JSONField(_("post-id"), default=list)
    via = models.CharField(_("via"), max_length=10, choices=Via.choices)
    request_id = models.UUIDField(default=uuid.uuid4)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("åtkomstlogg")
        indexes = [
            models.Index(fields=["agency", "-at"]),
            models.Index(fields=["user", "-at"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.model} {self.object_ids}"


class AccessLogTarget(AppendOnlyModel):
    """One row per record an entry touched, so the log can be searched by record and by person."""

    entry = models.ForeignKey(AccessLogEntry, on_delete=models.PROTECT, related_name="targets")
    model = models.CharField(max_length=100)
    object_id = models.PositiveBigIntegerField()
    person_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["person_id", "entry"]),
            models.Index(fields=["model", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"
