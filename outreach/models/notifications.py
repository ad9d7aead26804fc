"""Custom notifications (individuellt samtal, hembesök): the message delivered to one person, face to face.

The notification belongs to the agency that recorded it; the team's other agencies see it through shares
written when the owner names them. The legal-risk summary (what the person risks, as the police see it) is
a protected record of its own, written by the police only, and never visible to anyone it was not shared
with, however much else of the notification they see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import GroupGrant, ProtectedModel, UserGrant
from cases.models import ExitCase, Individual

from .callins import SpeakerRole


class CustomNotification(ProtectedModel):
    class PlaceType(models.TextChoices):
        HOME = "home", _("Hemma")
        STREET = "street", _("På stan")
        CUSTODY = "custody", _("I häkte eller anstalt")
        SCHOOL = "school", _("I skolan")
        OTHER = "other", _("Annan plats")

    class Delivered(models.TextChoices):
        YES = "yes", _("Ja")
        PARTLY = "partly", _("Delvis")
        NO = "no", _("Nej")

    individual = models.ForeignKey(Individual, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    delivered_on = models.DateField(_("datum"), default=timezone.localdate, validators=[bounds.HAPPENED])
    place_type = models.CharField(_("plats"), max_length=10, choices=PlaceType.choices)
    # Which agencies took part. Each also holds a share of the notification (services.notifications).
    team_agencies = models.ManyToManyField("agencies.Agency", blank=True, related_name="+", verbose_name=_("team"))
    message_delivered = models.CharField(_("budskapet framfört"), max_length=8, choices=Delivered.choices)
    offer_made = models.BooleanField(_("erbjudande om hjälp lämnat"), default=False)
    offer_accepted = models.BooleanField(_("erbjudandet antaget"), default=False)
    outcome = models.TextField(_("utfall"), blank=True)
    follow_up_on = models.DateField(_("uppföljning"), null=True, blank=True, validators=[bounds.PLANNED])
    # The one exit-case request an accepted offer opened (services.help).
    exit_case = models.OneToOneField(
        ExitCase, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("avhopparärende")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    consent_category = "person"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("individuellt samtal")
        verbose_name_plural = _("individuella samtal")
        indexes = [*ProtectedModel.Meta.indexes, models.Index(fields=["individual", "delivered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(exit_case__isnull=True) | Q(offer_accepted=True), name="notification_case_needs_request"
            ),
            models.CheckConstraint(
                condition=Q(offer_accepted=False) | Q(offer_made=True), name="notification_accepted_needs_offer"
            ),
        ]

    def __str__(self) -> str:
        return _("Samtal %(day)s") % {"day": self.delivered_on.isoformat()}

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "individual"

    def audit_person_id(self) -> int | None:
        return self.individual_id


class CustomNotificationGroupGrant(GroupGrant):
    content_object = models.ForeignKey(CustomNotification, on_delete=models.CASCADE)


class CustomNotificationUserGrant(UserGrant):
    content_object = models.ForeignKey(CustomNotification, on_delete=models.CASCADE)


class NotificationSpeaker(models.Model):
    """A member of the team who delivered the message. Part of the notification and seen with it."""

    notification = models.ForeignKey(CustomNotification, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=20, choices=SpeakerRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("deltagare i samtalet")
        verbose_name_plural = _("deltagare i samtalet")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class LegalRiskSummary(ProtectedModel):
    """What the person risks if the violence goes on, as the police assess it. Police-owned, shared alone."""

    notification = models.OneToOneField(
        CustomNotification,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="legal_risk",
        verbose_name=_("individuellt samtal"),
    )
    text = models.TextField(_("juridisk riskbild"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    consent_category = "threat"

    class Meta(ProtectedModel.Meta):
        verbose_name = _("juridisk riskbild")
        verbose_name_plural = _("juridiska riskbilder")

    def __str__(self) -> str:
        return str(_("Juridisk riskbild"))

    # The same as audit_person_id(), as a lookup: a set-based log write reads it for many rows at once.
    audit_person_field = "notification__individual"

    def audit_person_id(self) -> int | None:
        return self.notification.individual_id


class LegalRiskSummaryGroupGrant(GroupGrant):
    content_object = models.ForeignKey(LegalRiskSummary, on_delete=models.CASCADE)


class LegalRiskSummaryUserGrant(UserGrant):
    content_object = models.ForeignKey(LegalRiskSummary, on_delete=models.CASCADE)
