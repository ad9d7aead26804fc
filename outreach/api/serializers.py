"""API serializers for outreach. Input and output are separate (HackSoft style). Every id a caller sends that
names a protected record is looked up through the gate (VisiblePrimaryKeyField): an invisible one is refused
with the same message as a missing one. Every id the output names of another protected record (a group, an
incident, a call-in, a notification, an exit case) is given only where the caller may see that record: the
viewsets prefetch those lists through the gate, so the field set is the same for every viewer and the values
never reveal a record the viewer may not see.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies import bounds
from agencies.api import fields as bounded
from agencies.models import Agency, LegalBasis
from cases.api.registry_serializers import VERSION_HELP, VisiblePrimaryKeyField
from cases.disclosure import ReceiverFieldsMixin
from cases.models import CriminalGroup, ExitCase, Incident, Individual

from ..models import (
    CallIn,
    CustomNotification,
    EnforcementResponse,
    Invitation,
    InvitationReason,
    LegalRiskSummary,
    Lever,
    ReviewAction,
    ReviewMeeting,
    SpeakerRole,
)

# --- shared pieces ---------------------------------------------------------------------------------------


def _agencies_input(help_text):
    return serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.filter(active=True), many=True, required=False, help_text=help_text
    )


def _assessment_input():
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        default="",
        help_text=_("Den skriftliga bedömning som den rättsliga grunden kräver; sparas i utlämnanderegistret."),
    )


def _legal_basis_input():
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=LegalBasis.objects.filter(active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Den rättsliga grundens kod. Krävs när nya myndigheter namnges (de får ta del på den)."),
    )


class SpeakerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=SpeakerRole.choices)


class VisibleIdsField(serializers.ListField):
    """Ids of related protected records the caller may see: the viewset prefetches them through the gate into
    `visible_<name>` on each row."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.IntegerField(), read_only=True, **kwargs)

    def get_attribute(self, instance):
        return [obj.pk for obj in getattr(instance, f"visible_{self.field_name}", [])]


class AgencySlugsField(serializers.ListField):
    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def get_attribute(self, instance):
        return sorted(agency.slug for agency in getattr(instance, self.field_name).all())


class VisibleCaseField(serializers.IntegerField):
    """The exit case a request for help opened — only where the caller may see the case (annotated by the
    viewset as `exit_case_visible`)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def get_attribute(self, instance):
        return instance.exit_case_id if getattr(instance, "exit_case_visible", False) else None


# --- call-ins ---------------------------------------------------------------------------------------------


class CallInInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = bounded.DateTimeField(
        bounds.PLANNED, help_text=_("När call-in börjar. En planerad call-in ligger i framtiden.")
    )
    ends_at = bounded.DateTimeField(bounds.PLANNED, required=False, allow_null=True, default=None)
    venue = serializers.CharField(max_length=200)
    rehearsal_on = bounded.DateField(bounds.PLANNED, required=False, allow_null=True, default=None)
    message_moral = serializers.CharField(required=False, allow_blank=True, default="")
    message_consequences = serializers.CharField(required=False, allow_blank=True, default="")
    message_help = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    target_groups = VisiblePrimaryKeyField(CriminalGroup, many=True, required=False, help_text=_("Grupperingarnas id."))
    host_agencies = _agencies_input(_("Värdmyndigheternas kortnamn. De får call-in delad med sig."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()
    speakers = SpeakerSerializer(many=True, required=False)


class CallInUpdateInputSerializer(CallInInputSerializer):
    status = serializers.ChoiceField(choices=CallIn.Status.choices, required=False)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class CallInOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "call_in"
    url = serializers.HyperlinkedIdentityField(view_name="api:call-in-detail")
    speakers = SpeakerSerializer(many=True, read_only=True)
    target_groups = VisibleIdsField(help_text=_("Grupperingar som kallas och som du får se."))
    host_agencies = AgencySlugsField()
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CallIn
        fields = [
            "id", "url", "title", "starts_at", "ends_at", "venue", "status", "rehearsal_on", "message_moral",
            "message_consequences", "message_help", "notes", "speakers", "target_groups", "host_agencies",
            "owner_agency", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


# --- invitations ------------------------------------------------------------------------------------------


class InvitationInputSerializer(serializers.Serializer):
    call_in = VisiblePrimaryKeyField(CallIn, help_text=_("Call-ins id."))
    individual = VisiblePrimaryKeyField(Individual, help_text=_("Personens id."))
    accompanied_by = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reason_kind = serializers.ChoiceField(
        choices=InvitationReason.Kind.choices, required=False, allow_blank=True, default=""
    )
    reason_text = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Skälet blir en egen uppgift som bara din myndighet ser."),
    )
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()


class InvitationUpdateInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Invitation.Status.choices, required=False)
    accompanied_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    follow_up_on = bounded.DateField(bounds.PLANNED, required=False, allow_null=True)
    help_requested = serializers.BooleanField(
        required=False, help_text=_("`true` öppnar en förfrågan om avhopparärende, en gång.")
    )
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class InvitationOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "invitation"
    url = serializers.HyperlinkedIdentityField(view_name="api:invitation-detail")
    individual_alias = serializers.CharField(source="individual.alias", read_only=True)
    exit_case = VisibleCaseField(help_text=_("Avhopparärendet som begäran öppnade, om du får se det."))
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id", "url", "call_in", "individual", "individual_alias", "status", "accompanied_by", "follow_up_on",
            "help_requested", "exit_case", "owner_agency", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ReasonInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=InvitationReason.Kind.choices)
    text = serializers.CharField()


class ReasonOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "invitation_reason"
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = InvitationReason
        fields = ["invitation", "kind", "text", "owner_agency", "created_at", "updated_at", "version"]
        read_only_fields = fields


# --- custom notifications -----------------------------------------------------------------------------------


class NotificationInputSerializer(serializers.Serializer):
    individual = VisiblePrimaryKeyField(Individual, help_text=_("Personens id."))
    delivered_on = bounded.DateField(bounds.HAPPENED)
    place_type = serializers.ChoiceField(choices=CustomNotification.PlaceType.choices)
    message_delivered = serializers.ChoiceField(choices=CustomNotification.Delivered.choices)
    offer_made = serializers.BooleanField(required=False, default=False)
    offer_accepted = serializers.BooleanField(
        required=False, default=False, help_text=_("`true` öppnar en förfrågan om avhopparärende, en gång.")
    )
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    follow_up_on = bounded.DateField(bounds.PLANNED, required=False, allow_null=True, default=None)
    team_agencies = _agencies_input(_("Myndigheterna i teamet. De får samtalet delat med sig."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()
    speakers = SpeakerSerializer(many=True, required=False)


class NotificationUpdateInputSerializer(serializers.Serializer):
    delivered_on = bounded.DateField(bounds.HAPPENED, required=False)
    place_type = serializers.ChoiceField(choices=CustomNotification.PlaceType.choices, required=False)
    message_delivered = serializers.ChoiceField(choices=CustomNotification.Delivered.choices, required=False)
    offer_made = serializers.BooleanField(required=False)
    offer_accepted = serializers.BooleanField(required=False)
    outcome = serializers.CharField(required=False, allow_blank=True)
    follow_up_on = bounded.DateField(bounds.PLANNED, required=False, allow_null=True)
    team_agencies = _agencies_input(_("Myndigheterna i teamet (bara den ägande myndigheten)."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()
    speakers = SpeakerSerializer(many=True, required=False)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class NotificationOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "notification"
    url = serializers.HyperlinkedIdentityField(view_name="api:notification-detail")
    individual_alias = serializers.CharField(source="individual.alias", read_only=True)
    speakers = SpeakerSerializer(many=True, read_only=True)
    team_agencies = AgencySlugsField()
    exit_case = VisibleCaseField(help_text=_("Avhopparärendet som det antagna erbjudandet öppnade, om du får se det."))
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CustomNotification
        fields = [
            "id", "url", "individual", "individual_alias", "delivered_on", "place_type", "team_agencies", "speakers",
            "message_delivered", "offer_made", "offer_accepted", "outcome", "follow_up_on", "exit_case",
            "owner_agency", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class LegalRiskInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = serializers.IntegerField(min_value=1, required=False, help_text=VERSION_HELP)


class LegalRiskOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "legal_risk"
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = LegalRiskSummary
        fields = ["notification", "text", "owner_agency", "created_at", "updated_at", "version"]
        read_only_fields = fields


# --- enforcement responses and levers ---------------------------------------------------------------------


class ResponseInputSerializer(serializers.Serializer):
    group = VisiblePrimaryKeyField(CriminalGroup, help_text=_("Grupperingens id."))
    decided_on = bounded.DateField(bounds.HAPPENED)
    status = serializers.ChoiceField(
        choices=EnforcementResponse.Status.choices, default=EnforcementResponse.Status.DECIDED
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    trigger_incidents = VisiblePrimaryKeyField(Incident, many=True, required=False)
    warning_call_ins = VisiblePrimaryKeyField(CallIn, many=True, required=False)
    warning_notifications = VisiblePrimaryKeyField(CustomNotification, many=True, required=False)
    participating_agencies = _agencies_input(_("Deltagande myndigheter. De får insatsen delad med sig."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()
    communicated = serializers.BooleanField(required=False, default=False)
    communication = serializers.CharField(required=False, allow_blank=True, default="")


class ResponseUpdateInputSerializer(ResponseInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class LeverInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Lever.Kind.choices)
    description = serializers.CharField()
    starts_on = bounded.DateField(bounds.PLANNED)
    ends_on = bounded.DateField(bounds.PLANNED, required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=Lever.Status.choices, default=Lever.Status.PLANNED)
    outcome = serializers.CharField(required=False, allow_blank=True, default="")
    share_with = _agencies_input(_("Deltagande myndigheter som åtgärden delas med."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()


class LeverUpdateInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Lever.Kind.choices, required=False)
    description = serializers.CharField(required=False)
    starts_on = bounded.DateField(bounds.PLANNED, required=False)
    ends_on = bounded.DateField(bounds.PLANNED, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Lever.Status.choices, required=False)
    outcome = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class LeverOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "lever"
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Lever
        fields = [
            "id", "response", "kind", "description", "starts_on", "ends_on", "status", "outcome", "owner_agency",
            "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ResponseOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "enforcement_response"
    url = serializers.HyperlinkedIdentityField(view_name="api:enforcement-response-detail")
    group_name = serializers.CharField(source="group.name", read_only=True)
    trigger_incidents = VisibleIdsField()
    warning_call_ins = VisibleIdsField()
    warning_notifications = VisibleIdsField()
    participating_agencies = AgencySlugsField()
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = EnforcementResponse
        fields = [
            "id", "url", "group", "group_name", "decided_on", "status", "summary", "communicated", "communication",
            "trigger_incidents", "warning_call_ins", "warning_notifications", "participating_agencies",
            "owner_agency", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class ResponseDetailOutputSerializer(ResponseOutputSerializer):
    levers = serializers.SerializerMethodField(help_text=_("Åtgärder som du får se, tidigast först."))

    class Meta(ResponseOutputSerializer.Meta):
        fields = [*ResponseOutputSerializer.Meta.fields, "levers"]
        read_only_fields = fields

    def get_levers(self, response) -> list[dict]:
        return LeverOutputSerializer(self.context["levers"], many=True, context=self.context).data


# --- review meetings ----------------------------------------------------------------------------------------


class MeetingInputSerializer(serializers.Serializer):
    starts_at = bounded.DateTimeField(bounds.PLANNED)
    incidents = VisiblePrimaryKeyField(Incident, many=True, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    participating_agencies = _agencies_input(_("Deltagande myndigheter. De får genomgången delad med sig."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()


class MeetingUpdateInputSerializer(serializers.Serializer):
    starts_at = bounded.DateTimeField(bounds.PLANNED, required=False)
    status = serializers.ChoiceField(choices=ReviewMeeting.Status.choices, required=False)
    decisions = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)
    incidents = VisiblePrimaryKeyField(Incident, many=True, required=False)
    participating_agencies = _agencies_input(_("Deltagande myndigheter (bara den ägande myndigheten)."))
    legal_basis = _legal_basis_input()
    assessment = _assessment_input()
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class ActionInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    assignee_agency = serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.filter(active=True))
    due_on = bounded.DateField(bounds.PLANNED)
    exit_case = VisiblePrimaryKeyField(
        ExitCase,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Med ett ärende blir åtgärden dess uppgift."),
    )
    legal_basis = serializers.SlugRelatedField(
        slug_field="code",
        queryset=LegalBasis.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "Krävs när åtgärden blir en uppgift i ett ärende och ges till en annan myndighet: uppgiften lämnas då ut "
            "dit på denna grund."
        ),
    )
    assessment = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class ActionOutputSerializer(serializers.ModelSerializer):
    assignee_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ReviewAction
        fields = ["id", "title", "assignee_agency", "due_on", "status", "task", "created_at", "completed_at"]
        read_only_fields = fields


class MeetingOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "review_meeting"
    url = serializers.HyperlinkedIdentityField(view_name="api:review-meeting-detail")
    incidents = VisibleIdsField(help_text=_("Genomgångna händelser som du får se."))
    participating_agencies = AgencySlugsField()
    actions = ActionOutputSerializer(many=True, read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = ReviewMeeting
        fields = [
            "id", "url", "starts_at", "status", "decisions", "notes", "incidents", "participating_agencies",
            "actions", "owner_agency", "created_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields
