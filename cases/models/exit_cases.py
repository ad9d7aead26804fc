"""Joint exit-support cases (avhopparärenden): one case, each agency seeing its own share.

The case header (ExitCase) is visible to the participating agencies: joining a case is a share of the
header with a legal basis. Each agency's CaseEntry rows are protected records of their own, visible to
their owner and to whom they were explicitly shared. Plan goals and tasks are protected the same way: each
belongs to the agency that wrote it and is seen by that agency, by the assignee agency of a task (a share made
when the task is given to it) and by whom the owner shared it with on a basis — the joint plan is what the lead
agency shares with the participants. A task's details follow the entry it points to.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant

from .individual import Individual


class Phase(models.TextChoices):
    REQUEST = "request", _("Förfrågan")
    ASSESSMENT = "assessment", _("Bedömning")
    ACTIVE = "active", _("Aktivt stöd")
    FOLLOW_UP = "follow_up", _("Uppföljning")
    CLOSED = "closed", _("Avslutat")


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Genomfört")
    DROPPED_OUT = "dropped_out", _("Avbrutet")
    RELAPSED = "relapsed", _("Återfall")
    MOVED = "moved", _("Flyttat")
    OTHER = "other", _("Annat")


class ExitCase(ProtectedModel):
    individual = models.ForeignKey(Individual, on_delete=models.PROTECT, related_name="+", verbose_name=_("person"))
    lead_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("ansvarig myndighet")
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("samordnare"),
    )
    phase = models.CharField(_("fas"), max_length=12, choices=Phase.choices, default=Phase.REQUEST)
    outcome = models.CharField(_("utfall"), max_length=12, choices=Outcome.choices, blank=True)
    opened_on = models.DateField(_("öppnat"), default=timezone.localdate, validators=[bounds.HAPPENED])
    closed_on = models.DateField(_("avslutat"), null=True, blank=True, validators=[bounds.HAPPENED])
    next_meeting = models.DateTimeField(_("nästa möte"), null=True, blank=True, validators=[bounds.PLANNED])
    summary = models.TextField(_("sammanfattning"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    consent_category = "case"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("avhopparärende")
        verbose_name_plural = _("avhopparärenden")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["phase"]), models.Index(fields=["individual"])]

    def __str__(self) -> str:
        return _("Ärende %(pk)s") % {"pk": self.pk}

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id


class ExitCaseGroupGrant(GroupGrant):
    content_object = models.ForeignKey(ExitCase, on_delete=models.CASCADE)


class ExitCaseUserGrant(UserGrant):
    content_object = models.ForeignKey(ExitCase, on_delete=models.CASCADE)


class PhaseChange(models.Model):
    """The history of a case's phase, each change with its reason. Seen with the header."""

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=12, choices=Phase.choices)
    to_phase = models.CharField(max_length=12, choices=Phase.choices)
    reason = models.TextField(_("skäl"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_phase} → {self.to_phase}"


class EntryKind(models.TextChoices):
    NOTE = "note", _("Anteckning")
    NEEDS = "needs", _("Behovsbedömning")
    THREAT = "threat", _("Hotbedömning")
    INTERVENTION = "intervention", _("Insats")
    MINUTES = "minutes", _("Mötesanteckningar")


class NeedArea(models.TextChoices):
    HOUSING = "housing", _("Boende")
    INCOME = "income", _("Försörjning")
    DEBT = "debt", _("Skulder")
    SUBSTANCE = "substance", _("Missbruk")
    MENTAL_HEALTH = "mental_health", _("Psykisk hälsa")
    FAMILY = "family", _("Familj")
    EDUCATION = "education", _("Utbildning")
    WORK = "work", _("Arbete")
    PROTECTED_IDENTITY = "protected_identity", _("Skyddad identitet")
    RELOCATION = "relocation", _("Flytt")
    GUARDIAN = "guardian", _("God man")


class NeedLevel(models.TextChoices):
    NONE = "none", _("Inget behov")
    LOW = "low", _("Litet behov")
    MEDIUM = "medium", _("Visst behov")
    HIGH = "high", _("Stort behov")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ONGOING = "ongoing", _("Pågår")
    COMPLETED = "completed", _("Genomförd")
    CANCELLED = "cancelled", _("Avbruten")


class CaseEntry(ProtectedModel):
    """One agency's record in a joint case. Kind-specific fields are blank for the other kinds.

    needs: {area: {"level": NeedLevel, "comment": str}} for needs assessments.
    """

    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="+", verbose_name=_("ärende"))
    kind = models.CharField(_("typ"), max_length=14, choices=EntryKind.choices)
    occurred_on = models.DateField(_("datum"), default=timezone.localdate, validators=[bounds.HAPPENED])
    title = models.CharField(_("rubrik"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    needs = models.JSONField(_("behov"), default=dict, blank=True)
    intervention_category = models.CharField(_("insatstyp"), max_length=20, choices=NeedArea.choices, blank=True)
    provider = models.CharField(_("utförare"), max_length=200, blank=True)
    starts_on = models.DateField(_("från"), null=True, blank=True, validators=[bounds.PLANNED])
    ends_on = models.DateField(_("till"), null=True, blank=True, validators=[bounds.PLANNED])
    intervention_status = models.CharField(
        _("insatsens status"), max_length=10, choices=InterventionStatus.choices, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("journalpost")
        verbose_name_plural = _("journalposter")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["case", "-occurred_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def consent_category(self) -> str:
        return self.kind

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "case__individual"

    def audit_person_id(self) -> int | None:
        # One query at most, and only when writing the log; the case is usually loaded already.
        return self.case.individual_id


class CaseEntryGroupGrant(GroupGrant):
    content_object = models.ForeignKey(CaseEntry, on_delete=models.CASCADE)


class CaseEntryUserGrant(UserGrant):
    content_object = models.ForeignKey(CaseEntry, on_delete=models.CASCADE)


class PlanGoal(ProtectedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Pågående")
        MET = "met", _("Uppnått")
        DROPPED = "dropped", _("Avslutat utan resultat")

    # owner_agency (ProtectedModel): the agency that wrote the goal answers for it and alone changes it,
    # unless it shared it on the change level.
    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="goals", verbose_name=_("ärende"))
    description = models.TextField(_("mål"))
    target_date = models.DateField(_("måldatum"), null=True, blank=True, validators=[bounds.PLANNED])
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    # A consent to share the case's header covers its plan too: the plan is what the case is for.
    consent_category = "case"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("mål i planen")
        verbose_name_plural = _("mål i planen")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["case", "target_date"])]

    def __str__(self) -> str:
        return self.description[:60]

    audit_person_field = "case__individual"

    def audit_person_id(self) -> int | None:
        return self.case.individual_id


class PlanGoalGroupGrant(GroupGrant):
    content_object = models.ForeignKey(PlanGoal, on_delete=models.CASCADE)


class PlanGoalUserGrant(UserGrant):
    content_object = models.ForeignKey(PlanGoal, on_delete=models.CASCADE)


class Task(ProtectedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Öppen")
        DONE = "done", _("Klar")
        CANCELLED = "cancelled", _("Struken")

    # owner_agency (ProtectedModel): the agency that wrote the task. A task for another agency is shared with
    # it on the change level when it is given (services.task_add), so the assignee sees it and marks it done.
    case = models.ForeignKey(ExitCase, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("ärende"))
    goal = models.ForeignKey(
        PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks", verbose_name=_("mål")
    )
    entry = models.ForeignKey(
        CaseEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("journalpost")
    )
    title = models.CharField(_("uppgift"), max_length=200)
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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("klar"), null=True, blank=True)

    consent_category = "case"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("uppgift")
        verbose_name_plural = _("uppgifter")
        indexes = [
            *ProtectedModel.Meta.indexes,
            models.Index(fields=["assignee_agency", "status", "due_on"]),
            models.Index(fields=["assignee_user", "status", "due_on"]),
            models.Index(fields=["status", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    audit_person_field = "case__individual"

    def audit_person_id(self) -> int | None:
        return self.case.individual_id


class TaskGroupGrant(GroupGrant):
    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)


class TaskUserGrant(UserGrant):
    content_object = models.ForeignKey(Task, on_delete=models.CASCADE)


class TaskReminder(models.Model):
    """One row per task and threshold: the reminder is sent at most once, however often the job runs."""

    class Threshold(models.TextChoices):
        DUE_SOON = "due_soon", _("Förfaller om två dagar")
        OVERDUE = "overdue", _("Försenad")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=10, choices=Threshold.choices)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "threshold"], name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.threshold}"
