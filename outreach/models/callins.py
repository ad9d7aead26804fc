"""Call-ins: the meeting where group members hear that the violence must stop, what happens to the whole
group if it does not, and that help is there for anyone who wants out.

A call-in is a protected record of the agency that plans it; the host agencies it names see it through a
share that the planning service writes on the legal basis the owner chose (never through a side rule).
Each invitation is a protected record of the agency that invited the person, and the reason for inviting
them is a protected record of its own (like a person's identity details): the invitation list never
discloses why someone is on it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant
from cases.models import CriminalGroup, ExitCase, Individual


class SpeakerRole(models.TextChoices):
    COMMUNITY_VOICE = "community_voice", _("Röst från lokalsamhället")
    POLICE = "police", _("Polisen")
    PROBATION = "probation", _("Kriminalvården")
    MUNICIPALITY = "municipality", _("Kommunen")
    FORMER_OFFENDER = "former_offender", _("Före detta kriminell")
    RELATIVE = "relative", _("Anhörig")
    OTHER = "other", _("Annan")


class CallIn(ProtectedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        REHEARSED = "rehearsed", _("Repeterad")
        HELD = "held", _("Genomförd")
        CANCELLED = "cancelled", _("Inställd")

    title = models.CharField(_("benämning"), max_length=200)
    starts_at = models.DateTimeField(_("datum och tid"), validators=[bounds.PLANNED])
    ends_at = models.DateTimeField(_("slutar"), null=True, blank=True, validators=[bounds.PLANNED])
    venue = models.CharField(_("plats"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    rehearsal_on = models.DateField(_("repetition"), null=True, blank=True, validators=[bounds.PLANNED])
    # The three parts of the message.
    message_moral = models.TextField(_("det moraliska budskapet"), blank=True)
    message_consequences = models.TextField(_("konsekvenserna"), blank=True)
    message_help = models.TextField(_("erbjudandet om hjälp"), blank=True)
    target_groups = models.ManyToManyField(
        CriminalGroup, blank=True, related_name="+", verbose_name=_("grupperingar som kallas")
    )
    # Who hosts it with the owner. Each one also holds a share of the call-in (services.callins): this list
    # says who the owner named, the disclosure register says who may see it.
    host_agencies = models.ManyToManyField(
        "agencies.Agency", blank=True, related_name="+", verbose_name=_("värdmyndigheter")
    )
    notes = models.TextField(_("anteckningar"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(ProtectedModel.Meta):
        verbose_name = _("call-in")
        verbose_name_plural = _("call-ins")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open_for_attendance(self) -> bool:
        return self.status != self.Status.CANCELLED


class CallInGroupGrant(GroupGrant):
    content_object = models.ForeignKey(CallIn, on_delete=models.CASCADE)


class CallInUserGrant(UserGrant):
    content_object = models.ForeignKey(CallIn, on_delete=models.CASCADE)


class CallInSpeaker(models.Model):
    """Who speaks at a call-in. Part of the call-in and seen with it (no one is invited by speaking)."""

    call_in = models.ForeignKey(CallIn, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=20, choices=SpeakerRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("talare")
        verbose_name_plural = _("talare")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Invitation(ProtectedModel):
    """One person invited to one call-in by one agency (the owner is the inviting agency)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Inbjuden")
        CONFIRMED = "confirmed", _("Har tackat ja")
        ATTENDED = "attended", _("Närvarande")
        ABSENT = "absent", _("Frånvarande")

    call_in = models.ForeignKey(CallIn, on_delete=models.CASCADE, related_name="+", verbose_name=_("call-in"))
    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.INVITED)
    accompanied_by = models.CharField(_("följs av (polis eller socialsekreterare)"), max_length=200, blank=True)
    follow_up_on = models.DateField(_("uppföljande kontakt"), null=True, blank=True, validators=[bounds.PLANNED])
    help_requested = models.BooleanField(_("bad om hjälp"), default=False)
    # The one exit-case request a "yes" opened (services.help). One-to-one: a case answers one request.
    exit_case = models.OneToOneField(
        ExitCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("avhopparärende")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    consent_category = "person"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        indexes = [
            *ProtectedModel.Meta.indexes,
            models.Index(fields=["call_in", "status"]),
            models.Index(fields=["individual"]),
        ]
        constraints = [
            # Per inviting agency: a constraint across agencies would tell one agency that another (whose
            # invitation it may not see) has invited the person.
            models.UniqueConstraint(
                fields=["call_in", "individual", "owner_agency"], name="invitation_once_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(exit_case__isnull=True) | Q(help_requested=True), name="invitation_case_needs_request"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.individual} – {self.call_in}"

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id


class InvitationGroupGrant(GroupGrant):
    content_object = models.ForeignKey(Invitation, on_delete=models.CASCADE)


class InvitationUserGrant(UserGrant):
    content_object = models.ForeignKey(Invitation, on_delete=models.CASCADE)


class InvitationReason(ProtectedModel):
    """Why the person was invited (e.g. a supervision condition). Same primary key as the invitation."""

    class Kind(models.TextChoices):
        SUPERVISION_CONDITION = "supervision_condition", _("Villkor i frivården")
        GROUP_MEMBERSHIP = "group_membership", _("Tillhörighet till gruppering")
        INCIDENT = "incident", _("Koppling till våldshändelse")
        SOCIAL_SERVICES = "social_services", _("Insats från socialtjänsten")
        OTHER = "other", _("Annat")

    invitation = models.OneToOneField(
        Invitation, primary_key=True, on_delete=models.CASCADE, related_name="reason", verbose_name=_("inbjudan")
    )
    kind = models.CharField(_("typ av skäl"), max_length=24, choices=Kind.choices)
    text = models.TextField(_("skäl"))

    consent_category = "note"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("skäl för inbjudan")
        verbose_name_plural = _("skäl för inbjudningar")

    def __str__(self) -> str:
        return self.get_kind_display()

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "invitation__individual"

    def audit_person_id(self) -> int | None:
        # At most one query, only when the log is written; callers usually have the invitation loaded.
        return self.invitation.individual_id


class InvitationReasonGroupGrant(GroupGrant):
    content_object = models.ForeignKey(InvitationReason, on_delete=models.CASCADE)


class InvitationReasonUserGrant(UserGrant):
    content_object = models.ForeignKey(InvitationReason, on_delete=models.CASCADE)
