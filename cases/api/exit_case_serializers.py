"""API serializers for joint exit-support cases (avhopparärenden): the header, its entries and its tasks.

Input and output are separate (HackSoft style), as in serializers.py. Every id a caller sends that names a
protected record (a person, a case, an entry, a consent) is looked up through the gate: an id the caller may
not see is refused with the same message as an id that does not exist.

What the gate does not decide row by row is handed to the output serializers in their context by the view,
already selected through the gate: which of the persons are visible to the caller (`people`), the legal
basis of each foreign entry (`bases`), the case's participants (`participants`) and which of the tasks'
entries the caller may see (`entries`). Whether an entry is the caller's own is asked of the gate
(`access.owns`), never worked out here from agency ids.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies import access, bounds
from agencies.api import fields as bounded
from agencies.api.serializers import AgencySerializer
from agencies.models import Agency, LegalBasis, ShareLevel
from cases.models import (
    CaseEntry,
    Consent,
    EntryKind,
    ExitCase,
    Individual,
    InterventionStatus,
    NeedArea,
    NeedLevel,
    Outcome,
    Phase,
    PhaseChange,
    PlanGoal,
    Task,
)

from ..disclosure import ReceiverFieldsMixin
from .registry_serializers import VERSION_HELP, VisiblePrimaryKeyField


def _active_users():
    # Anyone working for an active agency. Whether they may act on the case is the services' business.
    return get_user_model().objects.filter(is_active=True, membership__agency__active=True)


def _agency_field(help_text):
    # Inactive agencies are accepted here so that the gate answers with its own message (`agency_inactive`).
    return serializers.SlugRelatedField(slug_field="slug", queryset=Agency.objects.all(), help_text=help_text)


def _legal_basis_field(**kwargs):
    kwargs.setdefault("help_text", _("Den rättsliga grundens kod."))
    return serializers.SlugRelatedField(slug_field="code", queryset=LegalBasis.objects.all(), **kwargs)


def _assessment_field():
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        default="",
        help_text=_(
            "Den skriftliga bedömning som den rättsliga grunden kräver (vem behöver uppgiften, varför, och varför "
            "den enskildes intresse inte väger tyngre); sparas i utlämnanderegistret."
        ),
    )


def _consent_field():
    return VisiblePrimaryKeyField(
        Consent,
        allow_null=True,
        default=None,
        help_text=_(
            "Samtyckets id. Krävs när den rättsliga grunden är samtycke; samtycket måste gälla och omfatta "
            "mottagaren och uppgiftens kategori."
        ),
    )


class PersonAliasMixin(serializers.Serializer):
    """`individual_alias` only where the caller may see the person; otherwise null.

    A case or a consent may be shared with an agency that the person record itself is not shared with.
    """

    individual_alias = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_individual_alias(self, obj) -> str | None:
        return obj.individual.alias if obj.individual_id in self.context["people"] else None


# --- the case header -------------------------------------------------------------------------------------


class ExitCaseCreateInputSerializer(serializers.Serializer):
    individual = VisiblePrimaryKeyField(Individual, help_text=_("Personens id."))
    summary = serializers.CharField(allow_blank=True, default="")
    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), allow_null=True, default=None, help_text=_("Samordnarens användar-id. Utelämnat: du.")
    )
    next_meeting = bounded.DateTimeField(bounds.PLANNED, allow_null=True, default=None)


class ExitCaseUpdateInputSerializer(serializers.Serializer):
    """The header fields a participant with change access edits; phase and outcome have their own actions."""

    coordinator = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), allow_null=True, help_text=_("Samordnarens användar-id.")
    )
    next_meeting = bounded.DateTimeField(bounds.PLANNED, allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


# The phases a case may be moved to by a phase change (closing has its own action). Named in the schema as
# ExitCaseOpenPhaseEnum (SPECTACULAR_SETTINGS).
OPEN_PHASES = [choice for choice in Phase.choices if choice[0] != Phase.CLOSED]


class PhaseInputSerializer(serializers.Serializer):
    to_phase = serializers.ChoiceField(
        choices=OPEN_PHASES,
        help_text=_("Ny fas. Ett ärende avslutas med `close` och ett utfall."),
    )
    # Blank is let through so that the service answers with its own message on a missing reason.
    reason = serializers.CharField(allow_blank=True, default="", help_text=_("Skälet till fasändringen."))
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class CloseInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason = serializers.CharField(allow_blank=True, default="", help_text=_("Skälet till att ärendet avslutas."))
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class ParticipantInputSerializer(serializers.Serializer):
    agency = _agency_field(_("Kortnamnet på myndigheten som ska delta i ärendet."))
    legal_basis = _legal_basis_field()
    assessment = _assessment_field()
    consent = _consent_field()
    level = serializers.ChoiceField(
        choices=ShareLevel.choices,
        default=ShareLevel.VIEW,
        help_text=_("`change` låter myndigheten också ändra ärendets grunduppgifter."),
    )


class DisclosureInputSerializer(serializers.Serializer):
    """One decision for one situation: several of the case's records to one agency, on one basis."""

    to_agency = _agency_field(_("Kortnamnet på den mottagande myndigheten."))
    records = serializers.ListField(
        child=serializers.RegexField(r"^[a-z_]+:[0-9]+$", max_length=60),
        min_length=1,
        max_length=200,
        help_text=_(
            "Uppgifterna som delas, som `<sort>:<id>`: `exit_case:<ärendets id>` (grunduppgifterna; myndigheten blir "
            "deltagare), `individual:<personens id>`, `identity:<personens id>` (bara en chef) och "
            "`case_entry:<id>` för din myndighets egna journalposter i ärendet."
        ),
    )
    level = serializers.ChoiceField(choices=ShareLevel.choices, default=ShareLevel.VIEW)
    legal_basis = _legal_basis_field()
    assessment = _assessment_field()
    consent = _consent_field()
    expires_at = bounded.DateTimeField(
        bounds.PLANNED,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Slutdatum för personen och journalposterna; deltagandet i ärendet gäller tills vidare."),
    )


class PhaseChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = PhaseChange
        # Who made the change stays with their agency's own log; the reason is what the partners need.
        fields = ["from_phase", "to_phase", "reason", "changed_at"]
        read_only_fields = fields


class ExitCaseOutputSerializer(ReceiverFieldsMixin, PersonAliasMixin, serializers.ModelSerializer):
    disclosed_kind = "exit_case"
    url = serializers.HyperlinkedIdentityField(view_name="api:exit-case-detail")
    lead_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    coordinator_name = serializers.SerializerMethodField()
    overdue_tasks = serializers.IntegerField(
        read_only=True, help_text=_("Öppna uppgifter vars sista dag har passerat.")
    )
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    # Declared, not generated: a generated read-only choice field loses allow_blank, and the schema then
    # said "" (no outcome yet) was not a valid answer (schemathesis, issue 8).
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = ExitCase
        fields = [
            "id",
            "url",
            "individual",
            "individual_alias",
            "lead_agency",
            "coordinator",
            "coordinator_name",
            "phase",
            "outcome",
            "opened_on",
            "closed_on",
            "next_meeting",
            "summary",
            "overdue_tasks",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_coordinator_name(self, case: ExitCase) -> str | None:
        user = case.coordinator
        return (user.get_full_name() or user.get_username()) if user is not None else None


class ExitCaseDetailOutputSerializer(ExitCaseOutputSerializer):
    """A case with its participants (the lead agency and every agency it is shared with) and phase history."""

    participants = serializers.SerializerMethodField()
    phase_changes = PhaseChangeSerializer(many=True, read_only=True)

    class Meta(ExitCaseOutputSerializer.Meta):
        fields = [*ExitCaseOutputSerializer.Meta.fields, "participants", "phase_changes"]
        read_only_fields = fields

    @extend_schema_field(AgencySerializer(many=True))
    def get_participants(self, case: ExitCase):
        return AgencySerializer(self.context["participants"], many=True).data


# --- entries --------------------------------------------------------------------------------------------


class NeedSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=NeedLevel.choices)
    comment = serializers.CharField(allow_blank=True, default="")


class EntryFieldsSerializer(serializers.Serializer):
    """An entry's own fields. Kind-specific fields stay empty for the other kinds."""

    occurred_on = bounded.DateField(bounds.HAPPENED, required=False, help_text=_("Utelämnat: i dag."))
    # Blank is let through so that the service answers with its own message.
    title = serializers.CharField(max_length=200, allow_blank=True)
    body = serializers.CharField(allow_blank=True, default="")
    needs = serializers.DictField(
        child=NeedSerializer(),
        default=dict,
        help_text=_("Behovsbedömning: område → nivå och kommentar. Områden: %(areas)s.")
        % {"areas": ", ".join(NeedArea.values)},
    )
    intervention_category = serializers.ChoiceField(choices=NeedArea.choices, allow_blank=True, default="")
    provider = serializers.CharField(max_length=200, allow_blank=True, default="")
    starts_on = bounded.DateField(bounds.PLANNED, allow_null=True, default=None)
    ends_on = bounded.DateField(bounds.PLANNED, allow_null=True, default=None)
    intervention_status = serializers.ChoiceField(choices=InterventionStatus.choices, allow_blank=True, default="")

    def validate_needs(self, value: dict) -> dict:
        unknown = sorted(set(value) - set(NeedArea.values))
        if unknown:
            raise serializers.ValidationError(_("Okända områden: %(areas)s.") % {"areas": ", ".join(unknown)})
        return value


class EntryCreateInputSerializer(EntryFieldsSerializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices, help_text=_("Hotbedömningar görs bara av Polisen."))


class EntryUpdateInputSerializer(EntryFieldsSerializer):
    """The kind and the case of an entry are fixed."""

    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class EntryShareInputSerializer(serializers.Serializer):
    to_agency = _agency_field(_("Mottagande myndighets kortnamn. Måste delta i ärendet."))
    level = serializers.ChoiceField(choices=ShareLevel.choices, default=ShareLevel.VIEW)
    legal_basis = _legal_basis_field()
    assessment = _assessment_field()
    consent = _consent_field()
    expires_at = bounded.DateTimeField(bounds.PLANNED, allow_null=True, default=None)


class EntryOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "case_entry"
    url = serializers.HyperlinkedIdentityField(view_name="api:case-entry-detail")
    needs = serializers.DictField(child=NeedSerializer(), read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    own = serializers.SerializerMethodField(help_text=_("Om posten ägs av din myndighet."))
    # Empty on entries that are not interventions; declared so the schema allows "" (see outcome above).
    intervention_category = serializers.ChoiceField(choices=NeedArea.choices, allow_blank=True, read_only=True)
    intervention_status = serializers.ChoiceField(choices=InterventionStatus.choices, allow_blank=True, read_only=True)

    class Meta:
        model = CaseEntry
        fields = [
            "id",
            "url",
            "case",
            "kind",
            "occurred_on",
            "title",
            "body",
            "needs",
            "intervention_category",
            "provider",
            "starts_on",
            "ends_on",
            "intervention_status",
            "owner_agency",
            "own",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_own(self, entry: CaseEntry) -> bool:
        return access.owns(self.context["request"].user, entry)


class TimelineEntrySerializer(EntryOutputSerializer):
    also_received = ("legal_basis",)
    legal_basis = serializers.SerializerMethodField(
        help_text=_("För en annan myndighets post: den rättsliga grund den delades med din myndighet på.")
    )

    class Meta(EntryOutputSerializer.Meta):
        fields = [*EntryOutputSerializer.Meta.fields, "legal_basis"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_legal_basis(self, entry: CaseEntry) -> str | None:
        return self.context["bases"].get(entry.pk)


# --- tasks ----------------------------------------------------------------------------------------------


class PlanShareInputSerializer(EntryShareInputSerializer):
    """A goal or task goes, like an entry, only to an agency taking part in its case."""


class GoalCreateInputSerializer(serializers.Serializer):
    case = VisiblePrimaryKeyField(ExitCase, help_text=_("Ärendets id."))
    description = serializers.CharField(allow_blank=True)
    target_date = bounded.DateField(bounds.PLANNED, allow_null=True, default=None)


class GoalStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=PlanGoal.Status.choices)


class GoalOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "plan_goal"
    url = serializers.HyperlinkedIdentityField(view_name="api:plan-goal-detail")
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PlanGoal
        fields = [
            "id",
            "url",
            "case",
            "description",
            "target_date",
            "status",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class TaskCreateInputSerializer(serializers.Serializer):
    case = VisiblePrimaryKeyField(ExitCase, help_text=_("Ärendets id."))
    title = serializers.CharField(max_length=200, allow_blank=True)
    assignee_agency = _agency_field(_("Ansvarig myndighets kortnamn. Måste delta i ärendet."))
    assignee_user = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(),
        allow_null=True,
        default=None,
        help_text=_("Ansvarig handläggares användar-id, valfritt. Måste arbeta på den ansvariga myndigheten."),
    )
    due_on = bounded.DateField(bounds.PLANNED)
    goal = VisiblePrimaryKeyField(
        PlanGoal, allow_null=True, default=None, help_text=_("Målets id i samma ärende, valfritt (ett mål du ser).")
    )
    legal_basis = _legal_basis_field(
        allow_null=True,
        default=None,
        help_text=_(
            "Krävs när uppgiften ges till en annan myndighet: den lämnas då ut till den (med ändringsbehörighet, så "
            "att den kan markera uppgiften klar) på denna grund. Kod från `/api/v1/legal-bases/`."
        ),
    )
    assessment = _assessment_field()
    consent = _consent_field()
    entry = VisiblePrimaryKeyField(
        CaseEntry, allow_null=True, default=None, help_text=_("Journalpostens id i samma ärende, valfritt.")
    )


class TaskStatusInputSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Task.Status.choices)


class TaskOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "task"
    url = serializers.HyperlinkedIdentityField(view_name="api:task-detail")
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee_user_name = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(help_text=_("Öppen och sista dagen har passerat."))
    entry = serializers.SerializerMethodField(
        help_text=_("Journalpostens id, bara om du får se posten (uppgiftens detaljer följer posten).")
    )
    goal = serializers.SerializerMethodField(help_text=_("Målets id, bara om du får se målet."))

    class Meta:
        model = Task
        fields = [
            "id",
            "url",
            "case",
            "title",
            "assignee_agency",
            "assignee_user",
            "assignee_user_name",
            "due_on",
            "status",
            "overdue",
            "goal",
            "entry",
            "owner_agency",
            "created_at",
            "updated_at",
            "completed_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee_user_name(self, task: Task) -> str | None:
        user = task.assignee_user
        return (user.get_full_name() or user.get_username()) if user is not None else None

    def get_overdue(self, task: Task) -> bool:
        return task.status == Task.Status.OPEN and task.due_on < timezone.localdate()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_entry(self, task: Task) -> int | None:
        return task.entry_id if task.entry_id in self.context["entries"] else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_goal(self, task: Task) -> int | None:
        return task.goal_id if task.goal_id in self.context["goals"] else None
