"""API serializers of the agencies app: reference data, the disclosure register, and the error bodies.

Input and output are separate serializers (HackSoft style): an input serializer only validates what the
caller sent; an output serializer only describes what the caller may read.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from agencies import bounds
from agencies.api import fields as bounded
from agencies.models import Agency, LegalBasis, ProtectedModel, Share, ShareBundle, ShareLevel

# --- which records can be shared through the API -----------------------------------------------------
#
# `agencies` imports no other app (docs/architecture.md), so the apps above register their shareable models under the
# name the API uses for them ("individual", "identity"), and the register endpoint speaks those names.

_shareable: dict[str, type[ProtectedModel]] = {}
_shareable_queryset: dict[str, Callable[[object], models.QuerySet]] = {}


def register_shareable(
    name: str, model: type[ProtectedModel], *, queryset: Callable[[object], models.QuerySet] | None = None
) -> None:
    """Called by an app (its API module, or its AppConfig.ready): `register_shareable("individual", Individual)`.

    `queryset(user)`, when given, is the base the share endpoint looks the record up in (through the gate),
    e.g. for a link record only those whose both ends the user may see — the same base as the share dialog.
    """
    if not issubclass(model, ProtectedModel):
        raise TypeError(f"{model._meta.label} is not a protected model")
    _shareable[name] = model
    if queryset is not None:
        _shareable_queryset[name] = queryset


def shareable_model(name: str) -> type[ProtectedModel]:
    return _shareable[name]


def shareable_queryset(name: str, user) -> models.QuerySet | None:
    make = _shareable_queryset.get(name)
    return make(user) if make is not None else None


def shareable_names() -> list[str]:
    return list(_shareable)


def shareable_name_of(content_type: ContentType) -> str:
    for name, model in _shareable.items():
        if (model._meta.app_label, model._meta.model_name) == (content_type.app_label, content_type.model):
            return name
    return f"{content_type.app_label}.{content_type.model}"


# --- error bodies, for the schema -----------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """What the exception handler returns for 400 (business rule), 401, 403 and 404."""

    detail = serializers.CharField()
    code = serializers.CharField(required=False)


class ConflictSerializer(serializers.Serializer):
    """409: the update named an older version than the stored one; nothing was written."""

    detail = serializers.CharField()
    code = serializers.CharField()
    current_version = serializers.IntegerField()


# --- reference data -----------------------------------------------------------------------------------


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["slug", "name", "kind"]
        read_only_fields = fields


class LegalBasisSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalBasis
        fields = [
            "code",
            "name",
            "description",
            "requires_consent",
            "requires_assessment",
            "assessment_prompt",
            "sender_kinds",
            "receiver_kinds",
            "record_kinds",
            "max_age",
        ]
        read_only_fields = fields


# --- the disclosure register ------------------------------------------------------------------------------


class ObjectTypeField(serializers.ChoiceField):
    """The registered shareable names. Choices are read when the serializer is built, after apps registered."""

    def __init__(self, **kwargs):
        super().__init__(choices=shareable_names(), **kwargs)


class ShareCreateInputSerializer(serializers.Serializer):
    object_type = ObjectTypeField(help_text=_("Vilken sorts uppgift som delas."))
    object_id = serializers.IntegerField(
        min_value=1, help_text=_("Postens id. Identitetsuppgifter har samma id som personen.")
    )
    to_agency = serializers.SlugRelatedField(
        slug_field="slug", queryset=Agency.objects.all(), help_text=_("Mottagande myndighets kortnamn.")
    )
    level = serializers.ChoiceField(choices=ShareLevel.choices, default=ShareLevel.VIEW)
    legal_basis = serializers.SlugRelatedField(
        slug_field="code", queryset=LegalBasis.objects.all(), help_text=_("Den rättsliga grundens kod.")
    )
    expires_at = bounded.DateTimeField(bounds.PLANNED, required=False, allow_null=True, default=None)
    to_user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_(
            "En namngiven användare hos den mottagande myndigheten (t.ex. en mentor i ett ärende): då får bara "
            "den användaren tillgång, inte hela myndigheten."
        ),
    )
    assessment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        default="",
        help_text=_(
            "Den skriftliga bedömning som den rättsliga grunden kräver (se `requires_assessment` och "
            "`assessment_prompt` på grunden); sparas i utlämnanderegistret."
        ),
    )


class FittingBasesInputSerializer(serializers.Serializer):
    object_type = ObjectTypeField(help_text=_("Vilken sorts uppgift som ska delas."))
    object_id = serializers.IntegerField(min_value=1, help_text=_("Postens id."))
    to_agency = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Agency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Mottagande myndighets kortnamn (utan: de grunder som passar avsändaren och uppgiften)."),
    )


class MissingBasisSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    reason = serializers.CharField(help_text=_("Varför grunden inte kan användas här, på en rad."))


class FittingBasesSerializer(serializers.Serializer):
    fitting = LegalBasisSerializer(many=True, help_text=_("Grunder som passar avsändare, mottagare och uppgift."))
    missing = MissingBasisSerializer(many=True, help_text=_("Övriga grunder i bruk och varför de inte passar."))


class ShareRevokeInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Varför utlämnandet återkallas."))


class ShareOutputSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:share-detail")
    object_type = serializers.SerializerMethodField()
    from_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_user = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # null: a share to the whole agency
    legal_basis = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    bundle = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text=_("Beslutet som raden ingick i, när flera uppgifter delades i ett beslut; annars null."),
    )

    class Meta:
        model = Share
        fields = [
            "id",
            "url",
            "object_type",
            "object_id",
            "from_agency",
            "to_agency",
            "to_user",
            "level",
            "legal_basis",
            "assessment",
            "decided_at",
            "expires_at",
            "revoked_at",
            "revoke_reason",
            "is_active",
            "bundle",
        ]
        read_only_fields = fields

    def get_object_type(self, share: Share) -> str:
        return shareable_name_of(share.content_type)


class BundleOutputSerializer(serializers.ModelSerializer):
    """One decision that disclosed several records at once, with its register rows (one per record)."""

    url = serializers.SerializerMethodField(help_text=_("Beslutets rader i utlämnanderegistret."))
    from_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    legal_basis = serializers.SlugRelatedField(slug_field="code", read_only=True)
    consent = serializers.IntegerField(source="consent_id", read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(source="created_at", read_only=True)
    shares = ShareOutputSerializer(many=True, read_only=True)

    class Meta:
        model = ShareBundle
        fields = [
            "id",
            "url",
            "from_agency",
            "to_agency",
            "legal_basis",
            "assessment",
            "consent",
            "decided_at",
            "shares",
        ]
        read_only_fields = fields

    def get_url(self, bundle: ShareBundle) -> str:
        # A decision has no page of its own: its rows are the register list filtered by it.
        path = f"{reverse('api:share-list')}?bundle={bundle.pk}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


def share_queryset() -> models.QuerySet[Share]:
    """What a register list or detail loads with each row (no per-row queries)."""
    return Share.objects.select_related("content_type", "from_agency", "to_agency", "legal_basis")
