"""API for call-ins (`/api/v1/call-ins/`) and invitations (`/api/v1/invitations/`, with `.../reason/`).

Through the gate (GatedViewSet, via RecordViewSet): an invitation is found and listed only where the caller may see it and both
its ends (the person and the call-in). The reason for an invitation is its own record with its own address:
404 alike whether it does not exist or is not shared with the caller. Writes go through outreach.services.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from cases.models import CriminalGroup

from .. import selectors, services
from ..filters.callins import CallInFilter, InvitationFilter
from ..models import CallIn, Invitation
from ..selectors.callins import with_visible_ends
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
    case_visible,
    list_responses,
    visible_prefetch,
)
from .serializers import (
    CallInInputSerializer,
    CallInOutputSerializer,
    CallInUpdateInputSerializer,
    InvitationInputSerializer,
    InvitationOutputSerializer,
    InvitationUpdateInputSerializer,
    ReasonInputSerializer,
    ReasonOutputSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Call-ins som din myndighet får se",
        description="Egna och delade, senast registrerade först, med sidmarkör. Anropet loggas med de id som returnerades.",
        responses=list_responses(CallInOutputSerializer),
    ),
    retrieve=extend_schema(
        summary="En call-in",
        responses={200: CallInOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Planera en call-in",
        description=(
            "Ägs av din myndighet. Tiden måste ligga i framtiden. Värdmyndigheter får call-in delad med sig på "
            "`legal_basis`, som då krävs."
        ),
        request=CallInInputSerializer,
        responses={201: CallInOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra en call-in",
        description="Bara de fält som skickas ändras; `status` ändras för sig (repeterad, genomförd, inställd). Ange `version`.",
        request=CallInUpdateInputSerializer(partial=True),
        responses=_update_responses(CallInOutputSerializer),
    ),
)
class CallInViewSet(RecordViewSet):
    """Call-ins: tid, plats, budskapets tre delar, talare, värdmyndigheter, grupperingar som kallas och status."""

    model = CallIn
    serializer_class = CallInOutputSerializer
    filterset_class = CallInFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return selectors.call_in_base().prefetch_related(
            "speakers", "host_agencies", visible_prefetch(self.request.user, "target_groups", CriminalGroup)
        )

    def create(self, request):
        data = _validated(CallInInputSerializer, request)
        call_in = services.call_in_plan(acting_user=request.user, **data)
        return self.shown(call_in, created=True)

    def partial_update(self, request, pk=None):
        call_in = self.get_object()
        data = _validated(CallInUpdateInputSerializer, request, partial=True)
        version = _version(data)
        new_status = data.pop("status", None)
        if "host_agencies" not in data:
            data.pop("legal_basis", None)
            data.pop("assessment", None)
        if data:
            services.call_in_update(call_in=call_in, acting_user=request.user, expected_version=version, **data)
        elif new_status is None:
            # Nothing to change but the version check itself.
            services.call_in_update(call_in=call_in, acting_user=request.user, expected_version=version)
        if new_status is not None and new_status != call_in.status:
            services.call_in_set_status(call_in=call_in, acting_user=request.user, status=new_status)
        return self.shown(call_in)


@extend_schema_view(
    list=extend_schema(
        summary="Inbjudningar som din myndighet får se",
        description=(
            "Bara där du får se inbjudan, personen och call-in. Filtrera med `call_in`. Skälet till en inbjudan "
            "finns på en egen adress. Anropet loggas."
        ),
        responses=list_responses(InvitationOutputSerializer),
    ),
    retrieve=extend_schema(
        summary="En inbjudan",
        responses={200: InvitationOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Bjud in en person till en call-in",
        description=(
            "Inbjudan ägs av din myndighet. Planeras call-in av en annan myndighet delas inbjudan med den (för "
            "närvaron) på `legal_basis`, som då krävs, och personen måste redan vara synlig för den. Skälet "
            "blir en egen uppgift som bara din myndighet ser."
        ),
        request=InvitationInputSerializer,
        responses={201: InvitationOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Närvaro och uppföljning",
        description=(
            "`status`: närvarande eller frånvarande tidigast samma dag, aldrig på en inställd call-in. "
            "`help_requested: true` öppnar en förfrågan om avhopparärende, en gång. Ange `version`."
        ),
        request=InvitationUpdateInputSerializer(partial=True),
        responses=_update_responses(InvitationOutputSerializer),
    ),
)
class InvitationViewSet(RecordViewSet):
    """Inbjudningar till call-ins: person, status och närvaro, följeslagare, uppföljning och begäran om hjälp."""

    model = Invitation
    serializer_class = InvitationOutputSerializer
    filterset_class = InvitationFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return with_visible_ends(self.request.user).annotate(exit_case_visible=case_visible(self.request.user))

    def create(self, request):
        data = _validated(InvitationInputSerializer, request)
        invitation = services.invitation_create(acting_user=request.user, **data)
        return self.shown(invitation, created=True)

    def partial_update(self, request, pk=None):
        invitation = self.get_object()
        data = _validated(InvitationUpdateInputSerializer, request, partial=True)
        version = _version(data)
        new_status = data.pop("status", None)
        services.invitation_follow_up(invitation=invitation, acting_user=request.user, expected_version=version, **data)
        if new_status is not None and new_status != invitation.status:
            services.invitation_set_status(invitation=invitation, acting_user=request.user, status=new_status)
        return self.shown(invitation)

    @extend_schema(
        methods=["GET"],
        summary="Skälet till en inbjudan",
        description="404 om skälet inte finns eller inte är delat med din myndighet: de två går inte att skilja åt. Läsningen loggas.",
        responses={200: ReasonOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Ange skälet till en inbjudan",
        description="Bara den inbjudande myndigheten.",
        request=ReasonInputSerializer,
        responses={200: ReasonOutputSerializer, 400: NOT_OWNER, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get", "put"], url_path="reason", url_name="reason")
    def reason(self, request, pk=None):
        invitation = access.get_or_404(
            request.user, Invitation, pk, queryset=with_visible_ends(request.user), log=False
        )
        if request.method == "GET":
            found = selectors.reason_for(request.user, invitation)  # logs the read
            if found is None:
                raise Http404
            return Response(ReasonOutputSerializer(found, context={"request": request}).data)
        data = _validated(ReasonInputSerializer, request)
        saved = services.reason_set(invitation=invitation, acting_user=request.user, **data)
        return Response(ReasonOutputSerializer(saved, context={"request": request}).data)
