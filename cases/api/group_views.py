"""API for the group registry: groups (`/api/v1/groups/`), their members (`.../{id}/members/`), relations
between groups (`/api/v1/group-relations/`) and memberships (`/api/v1/memberships/`).

Everything goes through the gate (agencies.access, via GatedViewSet). A link between two records — a
membership, a relation — is shown only where the caller may see the link itself AND both its ends; otherwise
it answers 404 and is absent from lists, exactly as if it did not exist. Writes go through cases.services,
which write the access log. The views only translate.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.api.responses import created
from agencies.api.serializers import register_shareable
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from cases import selectors, services
from cases.filters.groups import GroupFilter, MembershipFilter, RelationFilter
from cases.filters.incidents import IncidentFilter
from cases.models import CriminalGroup, GroupMembership, GroupRelation, Individual

from .registry_serializers import (
    GroupInputSerializer,
    GroupOutputSerializer,
    GroupUpdateInputSerializer,
    MembershipCreateInputSerializer,
    MembershipOutputSerializer,
    MembershipReviewInputSerializer,
    RelationCreateInputSerializer,
    RelationOutputSerializer,
    RelationUpdateInputSerializer,
)
from .views import CONFLICT, READ_ONLY_SHARE, _validated

# The names the share register (`/api/v1/shares/`) uses for these records.
register_shareable("group", CriminalGroup)
register_shareable("group_relation", GroupRelation)
register_shareable("membership", GroupMembership)

# The `group` filter of relations and incidents takes a group's id through a filter method, whose value type
# the schema generator cannot infer. Documentation only: nothing about the filtering changes. (This belongs on
# the methods in cases/filters.py as `@extend_schema_field(OpenApiTypes.INT)`; harmless to keep once it is.)
for _filterset in (RelationFilter, IncidentFilter):
    extend_schema_field(OpenApiTypes.INT)(_filterset.involving)

NOT_OWNER = OpenApiResponse(
    VALIDATION_ERROR.response,
    description="Ogiltiga uppgifter, eller en regel nekar (`detail` och `code`, t.ex. `not_owner` när din myndighet "
    "får ändra men inte äger posten).",
)


def _version(data: dict) -> int:
    # A PATCH may leave out any field but this one: without it a concurrent change could be lost.
    if "version" not in data:
        raise serializers.ValidationError({"version": [_("Ange den version du läste.")]})
    return data.pop("version")


def _update_responses(output) -> dict:
    return {
        200: output,
        400: VALIDATION_ERROR,
        401: UNAUTHENTICATED,
        403: READ_ONLY_SHARE,
        404: NOT_FOUND,
        409: CONFLICT,
    }


# --- groups --------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Grupperingar som din myndighet får se",
        description=(
            "Egna grupperingar och grupperingar som delats med din myndighet, nyaste först, med sidmarkör. "
            "`relation` ger grupperingar med en aktiv eller vilande relation av den typen som du får se. "
            "Medlemmarna ingår inte: de har en egen adress och egen behörighet. Anropet loggas med de id som "
            "returnerades."
        ),
        responses={200: GroupOutputSerializer(many=True), 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="En gruppering",
        description="Grupperingens sammanfattning, utan medlemmar. Läsningen loggas.",
        responses={200: GroupOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera en gruppering",
        description="Grupperingen ägs av din myndighet.",
        request=GroupInputSerializer,
        responses={201: GroupOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra en gruppering",
        description="Bara de fält som skickas ändras; `districts` ersätter hela listan. Ange `version` som du läste.",
        request=GroupUpdateInputSerializer(partial=True),
        responses=_update_responses(GroupOutputSerializer),
    ),
)
class GroupViewSet(GatedViewSet):
    """Kriminella grupperingar: namn, andra namn, stadsdelar, status och beskrivning."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = CriminalGroup
    serializer_class = GroupOutputSerializer
    filterset_class = GroupFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return selectors.group_base()

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        data = _validated(GroupInputSerializer, request)
        group = services.group_create(acting_user=request.user, **data)
        out = self.get_serializer(self.base_queryset().get(pk=group.pk))
        return created(out.data)

    def partial_update(self, request, pk=None):
        group = self.get_object()
        data = _validated(GroupUpdateInputSerializer, request, partial=True)
        version = _version(data)
        services.group_update(group=group, acting_user=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.base_queryset().get(pk=group.pk)).data)

    @extend_schema(
        summary="Grupperingens medlemmar som du får se",
        description=(
            "Bara medlemskap som din myndighet får se, och bara där även personen är synlig för dig. En gruppering "
            "som delats utan sina medlemmar ger en tom lista: det går inte att skilja från en gruppering utan "
            "medlemmar. Nyaste först, med sidmarkör. Anropet loggas med de medlemskap som returnerades."
        ),
        responses={
            200: MembershipOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], url_path="members", url_name="members", filter_backends=[])
    def members(self, request, pk=None):
        # The group must be visible. Not logged as a read of the group: only its memberships are read here.
        group = access.get_or_404(request.user, CriminalGroup, pk, log=False)
        within = selectors.group_members(request.user, group)
        page = self.paginator.paginate(
            request,
            lambda cursor, size: access.visible_page(
                request.user, GroupMembership, within=within, cursor=cursor, size=size
            ),
        )
        data = MembershipOutputSerializer(page.items, many=True, context=self.get_serializer_context()).data
        return self.paginator.response(request, page, data)


# --- relations between groups -------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Konflikter och allianser som du får se",
        description=(
            "Bara relationer som din myndighet får se och vars båda grupperingar du också får se. Nyaste först, "
            "med sidmarkör. Anropet loggas med de id som returnerades."
        ),
        responses={
            200: RelationOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="En relation mellan två grupperingar",
        description="404 även när relationen är synlig men någon av grupperingarna inte är det. Läsningen loggas.",
        responses={200: RelationOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera en konflikt eller allians",
        description=(
            "Båda grupperingarna måste vara synliga för dig (en osynlig ger samma fel som en som inte finns). "
            "Relationen ägs av din myndighet."
        ),
        request=RelationCreateInputSerializer,
        responses={201: RelationOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra en relation",
        description="Typ, status, datum, anteckningar och källa; grupperingarna ligger fast. Ange `version` som du läste.",
        request=RelationUpdateInputSerializer(partial=True),
        responses=_update_responses(RelationOutputSerializer),
    ),
)
class GroupRelationViewSet(GatedViewSet):
    """Konflikter och allianser mellan två grupperingar."""

    model = GroupRelation
    serializer_class = RelationOutputSerializer
    filterset_class = RelationFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        # visible_relations() holds the rule "both groups visible too"; the gate adds the relation's own check.
        return selectors.visible_relations(self.request.user).select_related("owner_agency")

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        data = _validated(RelationCreateInputSerializer, request)
        relation = services.relation_create(acting_user=request.user, **data)
        out = self.get_serializer(self.base_queryset().get(pk=relation.pk))
        return created(out.data)

    def partial_update(self, request, pk=None):
        relation = self.get_object()
        data = _validated(RelationUpdateInputSerializer, request, partial=True)
        version = _version(data)
        services.relation_update(relation=relation, acting_user=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.base_queryset().get(pk=relation.pk)).data)


# --- memberships ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Medlemskap som du får se",
        description=(
            "Bara medlemskap som din myndighet får se och där både personen och grupperingen är synliga för dig. "
            "Nyaste först, med sidmarkör. Anropet loggas med de id som returnerades."
        ),
        responses={
            200: MembershipOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="Ett medlemskap",
        description="404 även när medlemskapet är synligt men personen eller grupperingen inte är det. Läsningen loggas.",
        responses={200: MembershipOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera ett medlemskap",
        description=(
            "Kräver underlag (`evidence`) och källtyp (`source_type`): saknas de ges 400 med ett meddelande som "
            "säger det. Personen och grupperingen måste vara synliga för dig. Omprövas inom tolv månader om inget "
            "annat anges. Medlemskapet ägs av din myndighet."
        ),
        request=MembershipCreateInputSerializer,
        responses={201: MembershipOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
)
class MembershipViewSet(GatedViewSet):
    """Medlemskap i grupperingar, med underlag, källa, säkerhet och omprövningsdatum.

    Ett medlemskap ändras bara genom omprövning (`review`), så att varje ändring har sitt underlag.
    """

    model = GroupMembership
    serializer_class = MembershipOutputSerializer
    filterset_class = MembershipFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        # A membership is shown only with both its ends: seeing the claim must not reveal a person or a group
        # the caller may not see. (The gate adds the membership's own check.)
        user = self.request.user
        return selectors.membership_base().filter(
            individual__in=access.visible(user, Individual).values("pk"),
            group__in=access.visible(user, CriminalGroup).values("pk"),
        )

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        data = _validated(MembershipCreateInputSerializer, request)
        membership = services.membership_record(acting_user=request.user, **data)
        out = self.get_serializer(self.base_queryset().get(pk=membership.pk))
        return created(out.data)

    @extend_schema(
        summary="Ompröva ett medlemskap",
        description=(
            "`confirm` bekräftar med nytt underlag, `change` ändrar säkerhet eller roll med nytt underlag, `end` "
            "avslutar med ett skäl. Tidigare underlag behålls. Bekräftelse och ändring ger en ny omprövningsperiod "
            "på tolv månader. Bara den ägande myndigheten omprövar: en myndighet som får läsa får 403, en som får "
            "ändra men inte äger får 400 med `code` `not_owner`."
        ),
        request=MembershipReviewInputSerializer,
        responses={
            200: MembershipOutputSerializer,
            400: NOT_OWNER,
            401: UNAUTHENTICATED,
            403: READ_ONLY_SHARE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        membership = self.get_object()
        data = _validated(MembershipReviewInputSerializer, request)
        services.membership_review(membership=membership, acting_user=request.user, **data)
        return Response(self.get_serializer(self.base_queryset().get(pk=membership.pk)).data)
