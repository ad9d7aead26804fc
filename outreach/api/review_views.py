"""API for the weekly incident review (`/api/v1/review-meetings/`, with `.../actions/`).

Through the gate; a meeting's incidents are listed only where the caller may see them, its actions with it.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Incident

from .. import selectors, services
from ..filters.reviews import ReviewFilter
from ..models import ReviewMeeting
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
    ActionInputSerializer,
    ActionOutputSerializer,
    MeetingInputSerializer,
    MeetingOutputSerializer,
    MeetingUpdateInputSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Veckogenomgångar som din myndighet får se",
        description="Senast registrerade först, med sidmarkör. Anropet loggas.",
        responses=list_responses(MeetingOutputSerializer),
    ),
    retrieve=extend_schema(
        summary="En veckogenomgång",
        responses={200: MeetingOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera en veckogenomgång",
        description=(
            "Utan `incidents` föreslås dagordningen: händelserna du får se sedan förra genomgången. Deltagande "
            "myndigheter får genomgången delad med sig på `legal_basis`."
        ),
        request=MeetingInputSerializer,
        responses={201: MeetingOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra en veckogenomgång",
        description="Bara de fält som skickas ändras. Ange `version`.",
        request=MeetingUpdateInputSerializer(partial=True),
        responses=_update_responses(MeetingOutputSerializer),
    ),
)
class ReviewMeetingViewSet(RecordViewSet):
    """Veckogenomgången av våldet: händelser, beslut och åtgärder med ansvarig myndighet och sista dag."""

    model = ReviewMeeting
    serializer_class = MeetingOutputSerializer
    filterset_class = ReviewFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return selectors.meeting_base().prefetch_related(
            "participating_agencies",
            "actions__assignee_agency",
            visible_prefetch(self.request.user, "incidents", Incident),
        )

    def create(self, request):
        data = _validated(MeetingInputSerializer, request)
        if "incidents" not in request.data:
            data["incidents"] = list(selectors.agenda(request.user, until=data["starts_at"]))
        meeting = services.meeting_schedule(acting_user=request.user, **data)
        return self.shown(meeting, created=True)

    def partial_update(self, request, pk=None):
        meeting = self.get_object()
        data = _validated(MeetingUpdateInputSerializer, request, partial=True)
        version = _version(data)
        if "participating_agencies" not in data:
            data.pop("legal_basis", None)
            data.pop("assessment", None)
        services.meeting_update(meeting=meeting, acting_user=request.user, expected_version=version, **data)
        return self.shown(meeting)

    @extend_schema(
        summary="Lägg till en åtgärd",
        description=(
            "Den ansvariga myndigheten måste delta i genomgången. Med `exit_case` blir åtgärden en uppgift i "
            "ärendet (myndigheten måste delta i ärendet)."
        ),
        request=ActionInputSerializer,
        responses={201: ActionOutputSerializer, 400: NOT_OWNER, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="actions", url_name="actions")
    def actions(self, request, pk=None):
        meeting = self.get_object()  # a write: needs change on the meeting (403 otherwise)
        data = _validated(ActionInputSerializer, request)
        created = services.action_add(meeting=meeting, acting_user=request.user, **data)
        return Response(ActionOutputSerializer(created).data, status=status.HTTP_201_CREATED)
