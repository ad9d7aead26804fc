"""A register extract (registerutdrag, GDPR art. 15): what one agency holds about one person, as PDF and JSON.

The extract is itself personal data about the person, so it is a protected record: its owner is the agency that
ordered it, and it is never shared (no kind registers it in the share dialog), so only that agency's users
see it, its progress and its files; anyone else gets 404 from the gate.

The files are kept in the row (not on a disk the web and worker processes would have to share): an extract is a
few hundred kilobytes at most, and it goes with the row — and with the person, by cascade — when either goes.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import GroupGrant, ProtectedModel, UserGrant
from cases.models import Individual


class RegisterExtract(ProtectedModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Sammanställs")
        DONE = "done", _("Klart")
        FAILED = "failed", _("Misslyckades")

    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("beställt av")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("förlopp"), default=0)  # per cent
    produced_at = models.DateTimeField(_("sammanställt"), null=True, blank=True)
    error = models.TextField(_("fel"), blank=True)
    pdf = models.BinaryField(_("PDF"), blank=True, editable=False, default=b"")
    json = models.BinaryField(_("JSON"), blank=True, editable=False, default=b"")
    # The retention rule for the files (extracts/retention.py) empties them some time after they were produced;
    # the row stays, under its own rule, as the record that the request was answered.
    files_removed_at = models.DateTimeField(_("filerna gallrade"), null=True, blank=True, editable=False)

    class Meta(ProtectedModel.Meta):
        verbose_name = _("registerutdrag")
        verbose_name_plural = _("registerutdrag")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id

    @property
    def files_available(self) -> bool:
        return self.status == self.Status.DONE and self.files_removed_at is None

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class RegisterExtractGroupGrant(GroupGrant):
    content_object = models.ForeignKey(RegisterExtract, on_delete=models.CASCADE)


class RegisterExtractUserGrant(UserGrant):
    content_object = models.ForeignKey(RegisterExtract, on_delete=models.CASCADE)
