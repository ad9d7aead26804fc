"""API serializers for the group registry and the incident register.

Input and output are separate (HackSoft style), as in serializers.py. Every id a caller sends that names a
protected record (a group, a person) is looked up through the gate: an id the caller may not see is refused
with the same message as an id that does not exist, so the answer never tells the two apart.

A group's representation never carries its members: membership lists are protected separately and have
their own address (`/api/v1/groups/{id}/members/`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agencies import access, bounds
from agencies.api import fields as bounded
from cases.models import (
    CriminalGroup,
    District,
    GroupMembership,
    GroupRelation,
    Incident,
    IncidentGroup,
    IncidentPerson,
    Individual,
)
from cases.services.groups import EVIDENCE_REQUIRED, Review

from ..disclosure import ReceiverFieldsMixin

VERSION_HELP = _("Versionen du läste. En äldre version än den sparade ger 409 och inget ändras.")


class VisiblePrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """The id of a record the caller may see; an invisible one is as invalid as a missing one."""

    def __init__(self, model, **kwargs):
        self.model = model
        # The empty queryset only tells the schema generator the model; lookups use get_queryset().
        super().__init__(queryset=model._default_manager.none(), **kwargs)

    def get_queryset(self):
        return access.visible(self.context["request"].user, self.model)


def _districts_field(**kwargs):
    return serializers.PrimaryKeyRelatedField(
        queryset=District.objects.filter(active=True), many=True, help_text=_("Stadsdelarnas id."), **kwargs
    )


# --- groups --------------------------------------------------------------------------------------------


class GroupInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=120), default=list, help_text=_("Andra namn som gruppen går under.")
    )
    districts = _districts_field(default=list)
    status = serializers.ChoiceField(choices=CriminalGroup.Status.choices, default=CriminalGroup.Status.ACTIVE)
    description = serializers.CharField(allow_blank=True, default="")
    first_seen = bounded.DateField(bounds.HAPPENED, allow_null=True, default=None)
    last_seen = bounded.DateField(bounds.HAPPENED, allow_null=True, default=None)


class GroupUpdateInputSerializer(GroupInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class GroupOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "group"
    url = serializers.HyperlinkedIdentityField(view_name="api:group-detail")
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    districts = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text=_("Stadsdelarnas id."))
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = CriminalGroup
        fields = [
            "id",
            "url",
            "name",
            "aliases",
            "districts",
            "status",
            "description",
            "first_seen",
            "last_seen",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


# --- relations between groups -------------------------------------------------------------------------------


class RelationFieldsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=GroupRelation.Kind.choices)
    status = serializers.ChoiceField(choices=GroupRelation.Status.choices, default=GroupRelation.Status.ACTIVE)
    since = bounded.DateField(bounds.HAPPENED, allow_null=True, default=None)
    notes = serializers.CharField(allow_blank=True, default="")
    source = serializers.CharField(max_length=200, help_text=_("Vad uppgiften om relationen bygger på."))


class RelationCreateInputSerializer(RelationFieldsSerializer):
    group_a = VisiblePrimaryKeyField(CriminalGroup, help_text=_("Grupperingens id."))
    group_b = VisiblePrimaryKeyField(CriminalGroup, help_text=_("Motpartens id."))


class RelationUpdateInputSerializer(RelationFieldsSerializer):
    """The two groups of a relation are fixed; record a new relation for other groups."""

    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class RelationOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "group_relation"
    url = serializers.HyperlinkedIdentityField(view_name="api:group-relation-detail")
    group_a_name = serializers.CharField(source="group_a.name", read_only=True)
    group_b_name = serializers.CharField(source="group_b.name", read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = GroupRelation
        fields = [
            "id",
            "url",
            "group_a",
            "group_a_name",
            "group_b",
            "group_b_name",
            "kind",
            "status",
            "since",
            "notes",
            "source",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


# --- memberships ------------------------------------------------------------------------------------------


class EvidenceChoiceField(serializers.ChoiceField):
    """A source type that answers a missing or empty value with the registry's own message on evidence."""

    def to_internal_value(self, data):
        if data == "":
            self.fail("required")
        return super().to_internal_value(data)


# The rule and its wording belong to the service (cases.services.groups); these fields only make sure the
# caller hears it, field by field, before anything is written.
_EVIDENCE_ERRORS = {"required": EVIDENCE_REQUIRED, "blank": EVIDENCE_REQUIRED, "null": EVIDENCE_REQUIRED}


class MembershipCreateInputSerializer(serializers.Serializer):
    individual = VisiblePrimaryKeyField(Individual, help_text=_("Personens id."))
    group = VisiblePrimaryKeyField(CriminalGroup, help_text=_("Grupperingens id."))
    role = serializers.ChoiceField(choices=GroupMembership.Role.choices)
    source_type = EvidenceChoiceField(
        choices=GroupMembership.SourceType.choices,
        error_messages=_EVIDENCE_ERRORS,
        help_text=_("Varifrån uppgiften kommer."),
    )
    evidence = serializers.CharField(
        error_messages=_EVIDENCE_ERRORS, help_text=_("Underlaget: vad uppgiften om medlemskapet bygger på.")
    )
    confidence = serializers.ChoiceField(choices=GroupMembership.Confidence.choices)
    valid_from = bounded.DateField(bounds.HAPPENED, allow_null=True, default=None)
    valid_to = bounded.DateField(bounds.PLANNED, allow_null=True, default=None)
    review_due = bounded.DateField(
        bounds.PLANNED,
        allow_null=True,
        default=None,
        help_text=_("Omprövas senast. Utelämnat: tolv månader från i dag."),
    )


class MembershipReviewInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(Review.CONFIRM, _("Bekräfta")), (Review.CHANGE, _("Ändra")), (Review.END, _("Avsluta"))],
        help_text=_("`confirm` och `change` kräver nytt underlag; `end` kräver ett skäl."),
    )
    evidence = serializers.CharField(allow_blank=True, default="", help_text=_("Nytt underlag."))
    confidence = serializers.ChoiceField(choices=GroupMembership.Confidence.choices, allow_null=True, default=None)
    role = serializers.ChoiceField(choices=GroupMembership.Role.choices, allow_null=True, default=None)
    end_reason = serializers.CharField(allow_blank=True, default="", help_text=_("Varför medlemskapet avslutas."))


class MembershipOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "membership"
    url = serializers.HyperlinkedIdentityField(view_name="api:membership-detail")
    individual_alias = serializers.CharField(source="individual.alias", read_only=True)
    group_name = serializers.CharField(source="group.name", read_only=True)
    expires_on = serializers.DateField(
        read_only=True, help_text=_("Dagen medlemskapet löper ut om det inte omprövas före dess.")
    )
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = GroupMembership
        # Who at the owning agency recorded the claim stays with that agency (its own log has it); the
        # owner agency answers for it towards everyone else.
        fields = [
            "id",
            "url",
            "individual",
            "individual_alias",
            "group",
            "group_name",
            "role",
            "valid_from",
            "valid_to",
            "source_type",
            "evidence",
            "confidence",
            "review_due",
            "expires_on",
            "last_reviewed_at",
            "status",
            "ended_at",
            "end_reason",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


# --- incidents --------------------------------------------------------------------------------------------


class IncidentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    occurred_at = bounded.DateTimeField(bounds.HAPPENED)
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.filter(active=True), allow_null=True, default=None, help_text=_("Stadsdelens id.")
    )
    place = serializers.CharField(max_length=200, allow_blank=True, default="", help_text=_("Ungefärlig plats."))
    dead = serializers.IntegerField(min_value=0, max_value=32767, default=0)
    injured = serializers.IntegerField(min_value=0, max_value=32767, default=0)
    status = serializers.ChoiceField(choices=Incident.Status.choices, default=Incident.Status.OPEN)
    investigation_hours = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=0, default=0)
    summary = serializers.CharField(allow_blank=True, default="")


class IncidentUpdateInputSerializer(IncidentInputSerializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class IncidentGroupInputSerializer(serializers.Serializer):
    group = VisiblePrimaryKeyField(CriminalGroup, help_text=_("Grupperingens id."))
    certainty = serializers.ChoiceField(choices=IncidentGroup.Certainty.choices)
    side = serializers.ChoiceField(choices=IncidentGroup.Side.choices)


class IncidentPersonInputSerializer(serializers.Serializer):
    individual = VisiblePrimaryKeyField(Individual, help_text=_("Personens id."))
    role = serializers.ChoiceField(choices=IncidentPerson.Role.choices)
    notes = serializers.CharField(allow_blank=True, default="")


class IncidentGroupOutputSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)

    class Meta:
        model = IncidentGroup
        fields = ["id", "group", "group_name", "certainty", "side"]
        read_only_fields = fields


class IncidentPersonOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "incident_person"
    individual_alias = serializers.CharField(source="individual.alias", read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = IncidentPerson
        fields = [
            "id",
            "incident",
            "individual",
            "individual_alias",
            "role",
            "notes",
            "owner_agency",
            "created_at",
            "version",
        ]
        read_only_fields = fields


class IncidentOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "incident"
    url = serializers.HyperlinkedIdentityField(view_name="api:incident-detail")
    district_name = serializers.CharField(source="district.name", read_only=True, allow_null=True, default=None)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "url",
            "kind",
            "occurred_at",
            "district",
            "district_name",
            "place",
            "dead",
            "injured",
            "status",
            "investigation_hours",
            "summary",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


class IncidentDetailOutputSerializer(IncidentOutputSerializer):
    """An incident with its involved groups and persons, each only where the caller may see it.

    The view selects both lists through the gate and hands them over in the context (`groups`, `persons`).
    """

    groups = serializers.SerializerMethodField()
    persons = serializers.SerializerMethodField()

    class Meta(IncidentOutputSerializer.Meta):
        fields = [*IncidentOutputSerializer.Meta.fields, "groups", "persons"]
        read_only_fields = fields

    @extend_schema_field(IncidentGroupOutputSerializer(many=True))
    def get_groups(self, incident: Incident):
        return IncidentGroupOutputSerializer(self.context["groups"], many=True, context=self.context).data

    @extend_schema_field(IncidentPersonOutputSerializer(many=True))
    def get_persons(self, incident: Incident):
        return IncidentPersonOutputSerializer(self.context["persons"], many=True, context=self.context).data


class MonthlyCountSerializer(serializers.Serializer):
    month = serializers.DateField(help_text=_("Månadens första dag."))
    count = serializers.IntegerField(help_text=_("Antal händelser."))
    lethal = serializers.IntegerField(help_text=_("Antal händelser med minst en död."))
