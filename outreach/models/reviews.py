"""The weekly incident review: the partners go through the violence since the last meeting, decide which
groups are behind it and what to do, and give each follow-up action an owner and a due date.

The meeting belongs to the agency that convenes it; the participating agencies see it through shares. An
action follows the meeting (like a case's tasks follow the case): who sees the meeting sees its actions.
An action on a person who already has an exit case is that case's Task instead (services.reviews), so it
lives where the case work is; the meeting keeps a line pointing at it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant
from cases.models import Incident, Task


class ReviewMeeting(ProtectedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        HELD = "held", _("Genomförd")

    starts_at = models.DateTimeField(_("datum och tid"), validators=[bounds.PLANNED])
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PLANNED)
    participating_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("deltagande myndigheter")
    )
    incidents = models.ManyToManyField(Incident, blank=True, related_name="+", verbose_name=_("genomgångna händelser"))
    decisions = models.TextField(_("beslut"), blank=True)
    notes = models.TextField(_("anteckningar"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("veckogenomgång")
        verbose_name_plural = _("veckogenomgångar")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return _("Veckogenomgång %(day)s") % {"day": timezone.localtime(self.starts_at).date().isoformat()}


class ReviewMeetingGroupGrant(GroupGrant):
    content_object = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE)


class ReviewMeetingUserGrant(UserGrant):
    content_object = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE)


class ReviewAction(models.Model):
    """A follow-up action decided at a meeting. Seen with the meeting; on the assignee's task lists."""

    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Struken")

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("åtgärd"), max_length=200)
    assignee_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarig myndighet")
    )
    assignee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ansvarig handläggare"),
    )
    due_on = models.DateField(_("klar senast"), validators=[bounds.PLANNED])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    # Set when the action is an exit case's task: the task is where it is done, this row is the minutes' line.
    task = models.OneToOneField(Task, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("åtgärd från veckogenomgång")
        verbose_name_plural = _("åtgärder från veckogenomgångar")
        indexes = [
            models.Index(fields=["assignee_agency", "status", "due_on"]),
            models.Index(fields=["assignee_user", "status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title
