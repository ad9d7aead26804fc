"""API serializers for persons and their identity details.

Input and output are separate (HackSoft style). The person's output never says whether identity details
exist: they are a separate protected record with their own endpoint, which answers 404 alike whether the
details do not exist or are not shared with the caller.

`district` is the district's id, in input, output and the `district` filter (the same FilterSet as the
web list). Ids stay stable when an administrator renames a district; `district_name` is there for display,
and `/api/v1/districts/` lists the ids.
"""

from django.utils.translation import gettext as _
from rest_framework import serializers

from cases.models import District, IdentityDetails, Individual
from cases.personnummer import normalise

from ..disclosure import ReceiverFieldsMixin


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "name"]
        read_only_fields = fields


# --- identity details -------------------------------------------------------------------------------------


class IdentityInputSerializer(serializers.Serializer):
    """On PUT a field left out is emptied; on PATCH it is kept."""

    personnummer = serializers.CharField(
        max_length=20,
        allow_blank=True,
        default="",
        help_text="Personnummer eller samordningsnummer, 10 eller 12 siffror, med eller utan skiljetecken. "
        "Sparas som 12 siffror.",
    )
    full_name = serializers.CharField(max_length=200, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, allow_blank=True, default="")

    def validate_personnummer(self, value: str) -> str:
        # cases.personnummer raises a Django ValidationError with a Swedish message; DRF keeps it on the field.
        return normalise(value) if value.strip() else ""


class IdentityWriteInputSerializer(IdentityInputSerializer):
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="Versionen du läste. Krävs när uppgifterna redan finns; en äldre version ger 409.",
    )


class IdentityOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    disclosed_kind = "identity"
    url = serializers.HyperlinkedIdentityField(view_name="api:individual-identity", lookup_field="pk")
    individual = serializers.PrimaryKeyRelatedField(read_only=True)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = IdentityDetails
        fields = [
            "individual",
            "url",
            "personnummer",
            "full_name",
            "address",
            "phone",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields


# --- persons --------------------------------------------------------------------------------------------


class IndividualFieldsSerializer(serializers.Serializer):
    """A person's own fields. On PUT a field left out (other than alias) is emptied; on PATCH it is kept."""

    alias = serializers.CharField(max_length=120)
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100, allow_null=True, default=None)
    district = serializers.PrimaryKeyRelatedField(
        queryset=District.objects.filter(active=True), allow_null=True, default=None, help_text="Stadsdelens id."
    )
    notes = serializers.CharField(allow_blank=True, default="")

    def validate_alias(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("Ange ett alias."))
        return value


class IndividualCreateInputSerializer(IndividualFieldsSerializer):
    identity = IdentityInputSerializer(
        required=False, help_text="Identitetsuppgifter, valfria. Ägs av samma myndighet som personen."
    )


class IndividualUpdateInputSerializer(IndividualFieldsSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="Versionen du läste. En äldre version än den sparade ger 409 och inget ändras."
    )


class IndividualOutputSerializer(ReceiverFieldsMixin, serializers.ModelSerializer):
    """A person. Another agency (a share receiver) gets the fields cases.disclosure declares: not the notes."""

    disclosed_kind = "individual"
    url = serializers.HyperlinkedIdentityField(view_name="api:individual-detail")
    district_name = serializers.CharField(source="district.name", read_only=True, allow_null=True, default=None)
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Individual
        fields = [
            "id",
            "url",
            "alias",
            "birth_year",
            "district",
            "district_name",
            "notes",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields
