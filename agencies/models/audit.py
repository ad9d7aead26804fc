"""The append-only access log. Rows are written by agencies.audit and never changed or deleted.

Three layers refuse a rewrite:
- the model layer: no update, delete or upsert through the ORM — not through the default manager, the base
  manager (`_base_manager` is the same append-only manager), `save()` of an existing row, `save()` of a new
  instance that names an existing primary key (always an INSERT, so it fails instead of overwriting), or
  `bulk_create(update_conflicts=True)`;
- the database: triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) for every role, so raw SQL
  cannot either (migration 0003; `manage.py flush` is the one exception, see agencies.append_only);
- on PostgreSQL the application connects as a role that does not own the tables, so it cannot drop the
  triggers (README, "The database roles").

The denied-access counters (DeniedAccess) are the one exception to "never updated": a row's count may only
grow, which the triggers check as well.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


def _refuse(*args, **kwargs):
    raise AppendOnlyError("The access log is append-only.")


class AppendOnlyQuerySet(models.QuerySet):
    update = _refuse
    delete = _refuse
    bulk_update = _refuse
    update_or_create = _refuse
    _raw_delete = _refuse
    # Model.save() of a row that exists ends here; it must never turn into an UPDATE.
    _update = _refuse

    def bulk_create(self, objs, *args, update_conflicts=False, **kwargs):
        if update_conflicts:
            _refuse()
        return super().bulk_create(objs, *args, **kwargs)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True
        # Django reaches rows through the base manager where the default one might be filtered (related
        # lookups, deletion collectors). It must be the append-only one too, or it would be a way round.
        base_manager_name = "objects"

    def save_base(self, raw=False, force_insert=False, force_update=False, using=None, update_fields=None):
        # save() ends here too. Refused before any query, so a caller's transaction is left usable.
        if not self._state.adding or force_update or update_fields is not None:
            _refuse()
        # Always an INSERT: a new instance that names an existing primary key fails on the key rather than
        # silently overwriting the row (Django would otherwise try an UPDATE first).
        super().save_base(raw=raw, force_insert=True, using=using)

    def _do_update(self, *args, **kwargs):
        _refuse()

    def delete(self, *args, **kwargs):
        _refuse()


class Action(models.TextChoices):
    VIEW = "view", _("Läste")
    LIST = "list", _("Listade")
    CREATE = "create", _("Skapade")
    CHANGE = "change", _("Ändrade")
    SHARE = "share", _("Delade")
    REVOKE = "revoke", _("Återkallade")
    UNLOCK = "unlock", _("Låste upp")
    # A protected record removed (agencies.services.deletion): by the retention rules or another delete path.
    DELETE = "delete", _("Raderade")


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

    class Meta(AppendOnlyModel.Meta):
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

    class Meta(AppendOnlyModel.Meta):
        indexes = [
            models.Index(fields=["person_id", "entry"]),
            models.Index(fields=["model", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.object_id}"


class DeniedAccessQuerySet(AppendOnlyQuerySet):
    def count_attempt(self, *, key: dict, object_id: int, at) -> None:
        """Add one attempt to the window's counter row, or start the row. The only update the log allows."""
        # models.QuerySet.update, not ours: the one sanctioned write, checked by the triggers to only grow.
        # last_at through Greatest: two requests at once may update in the other order than their clocks,
        # and the triggers refuse a last_at that goes back (schemathesis with two workers found the 500).
        updated = models.QuerySet.update(
            self.filter(**key),
            attempts=models.F("attempts") + 1,
            last_object_id=object_id,
            last_at=Greatest(models.F("last_at"), models.Value(at, output_field=models.DateTimeField())),
        )
        if not updated:
            # Two first attempts at once may both insert: the page sums the rows, so the count stays right.
            self.create(**key, attempts=1, first_object_id=object_id, last_object_id=object_id, first_at=at, last_at=at)


class DeniedAccess(AppendOnlyModel):
    """Attempts to reach a record the gate refused, counted per user, kind of record and hour.

    Written by the gate when find()/get_or_404() answers "not there" for an id: a probe of thousands of
    foreign ids becomes a few counter rows, not thousands. Ids that exist nowhere are counted too (owner
    empty), so a refused id and a missing one cost the same work and cannot be told apart by timing.
    Shown only to the leads of the agency that owns the records, and only as a count per trying user.
    """

    window_start = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    # The agency that owns the record that was tried; empty when no record has that id.
    owner_agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="denied_access"
    )
    model = models.CharField(max_length=100)
    action = models.CharField(max_length=10)
    via = models.CharField(max_length=10, choices=Via.choices)
    attempts = models.PositiveIntegerField()
    first_object_id = models.BigIntegerField()
    last_object_id = models.BigIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    objects = DeniedAccessQuerySet.as_manager()  # type: ignore[misc]  # the append-only manager, plus counting

    class Meta(AppendOnlyModel.Meta):
        indexes = [
            models.Index(fields=["owner_agency", "-last_at"]),
            models.Index(fields=["user", "window_start"]),
        ]

    def __str__(self) -> str:
        return f"{self.window_start:%Y-%m-%d %H:%M} {self.user_id} {self.model} ×{self.attempts}"
