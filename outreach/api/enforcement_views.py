"""API for enforcement responses (`/api/v1/enforcement-responses/`) and their levers (`.../levers/`).

Through the gate; a response only where the caller may also see its group. Each lever is its agency's own
record: the detail and `.../levers/` carry only the levers the caller may see, as one timeline.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.api.pagination import MAX_PAGE_SIZE
from cases.models import Incident

from .. import selectors, services
from ..filters.enforcement import ResponseFilter
from ..models import CallIn, CustomNotification, EnforcementResponse, Lever
from ..selectors.enforcement import with_visible_group
from ._common import (
    FORBIDDEN,
    NOT_FOUND,
    NOT_OWNER,
    UNAUTHENTICATED,
    VALIDATION_ERROR,
    RecordViewSet,
    _update_responses,
    _validated,
    _version,
    list_responses,
    visible_prefetch,
)
from .serializers import (
    LeverInputSerializer,
    LeverOutputSerializer,
    LeverUpdateInputSerializer,
    ResponseDetailOutputSerializer,
    ResponseInputSerializer,
    ResponseOutputSerializer,
    ResponseUpdateInputSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Insatser efter våld som din myndighet får se",
        description="Bara där du också får se grupperingen. Åtgärderna finns i detaljvyn. Anropet loggas.",
        responses=list_responses(ResponseOutputSerializer),
    ),
    retrieve=extend_schema(
        summary="En insats med de åtgärder du får se",
        description=f"`levers`: högst {MAX_PAGE_SIZE} åtgärder som du får se, tidigast först; läsningen loggas.",
        responses={200: ResponseDetailOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Besluta om en insats",
        description=(
            "Grupperingen och allt som länkas måste vara synligt för dig. Deltagande myndigheter får insatsen "
            "delad med sig på `legal_basis`."
        ),
        request=ResponseInputSerializer,
        responses={201: ResponseOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra en insats",
        description="Bara de fält som skickas ändras (grupperingen ligger fast). Ange `version`.",
        request=ResponseUpdateInputSerializer(partial=True),
        responses=_update_responses(ResponseOutputSerializer),
    ),
)
class EnforcementResponseViewSet(RecordViewSet):
    """Insatser mot en gruppering som fortsatt med våld efter att ha varnats, och varje myndighets åtgärder."""

    model = EnforcementResponse
    serializer_class = ResponseOutputSerializer
    filterset_class = ResponseFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        user = self.request.user
        return with_visible_group(user).prefetch_related(
            "participating_agencies",
            visible_prefetch(user, "trigger_incidents", Incident),
            visible_prefetch(user, "warning_call_ins", CallIn),
            visible_prefetch(user, "warning_notifications", CustomNotification),
        )

    def _levers(self, request, response) -> list[Lever]:
        # Through visible_page so that reading the levers is logged like any list.
        return access.visible_page(
            request.user, Lever, within=selectors.levers(request.user, response), size=MAX_PAGE_SIZE
        ).items

    def retrieve(self, request, pk=None):
        response = self.get_object()
        levers = sorted(self._levers(request, response), key=lambda lever: (lever.starts_on, lever.pk))
        context = {**self.get_serializer_context(), "levers": levers}
        return Response(ResponseDetailOutputSerializer(response, context=context).data)

    def create(self, request):
        data = _validated(ResponseInputSerializer, request)
        response = services.response_decide(acting_user=request.user, **data)
        return self.shown(response, created=True)

    def partial_update(self, request, pk=None):
        response = self.get_object()
        data = _validated(ResponseUpdateInputSerializer, request, partial=True)
        version = _version(data)
        data.pop("group", None)
        if "participating_agencies" not in data:
            data.pop("legal_basis", None)
            data.pop("assessment", None)
        services.response_update(response=response, acting_user=request.user, expected_version=version, **data)
        return self.shown(response)

    @extend_schema(
        methods=["GET"],
        summary="Åtgärderna i en insats",
        description="De åtgärder du får se, tidigast först. Läsningen loggas.",
        responses={200: LeverOutputSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Lägg till din myndighets åtgärd",
        description=(
            "Åtgärden ägs av din myndighet. Grupperingen måste vara synlig för din myndighet. `share_with` (bland "
            "insatsens deltagare) får den delad på `legal_basis`."
        ),
        request=LeverInputSerializer,
        responses={201: LeverOutputSerializer, 400: NOT_OWNER, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "post"], url_path="levers", url_name="levers", pagination_class=None)
    def levers(self, request, pk=None):
        if request.method == "GET":
            response = self.get_object()
            levers = sorted(self._levers(request, response), key=lambda lever: (lever.starts_on, lever.pk))
            return Response(LeverOutputSerializer(levers, many=True, context={"request": request}).data)
        # Seeing the response is enough to add one's own lever (not changing it): no change check here.
        response = access.get_or_404(
            request.user, EnforcementResponse, pk, queryset=selectors.response_base(), log=False
        )
        data = _validated(LeverInputSerializer, request)
        lever = services.lever_add(response=response, acting_user=request.user, **data)
        return Response(LeverOutputSerializer(lever, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Ändra en åtgärd",
        description="Kräver ändringsbehörighet på åtgärden. Ange `version`.",
        request=LeverUpdateInputSerializer(partial=True),
        responses=_update_responses(LeverOutputSerializer),
    )
    @action(detail=True, methods=["patch"], url_path=r"levers/(?P<lever_pk>\d+)", url_name="lever")
    def lever(self, request, pk=None, lever_pk=None):
        response = access.get_or_404(
            request.user, EnforcementResponse, pk, queryset=with_visible_group(request.user), log=False
        )
        lever = access.get_or_404(
            request.user, Lever, lever_pk, queryset=Lever.objects.filter(response=response), log=False
        )
        if not access.can(request.user, lever, "change"):
            raise PermissionDenied(_("Du får läsa men inte ändra den här uppgiften."))
        data = _validated(LeverUpdateInputSerializer, request, partial=True)
        version = _version(data)
        services.lever_update(lever=lever, acting_user=request.user, expected_version=version, **data)
        lever.refresh_from_db()
        return Response(LeverOutputSerializer(lever, context={"request": request}).data)
