"""API for custom notifications (`/api/v1/notifications/`, with `.../legal-risk/`).

Through the gate; a notification only where the caller may also see its person. The legal-risk summary is the
police's own record at its own address: 404 alike whether it does not exist or is not shared with the caller.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access

from .. import selectors, services
from ..filters.notifications import NotificationFilter
from ..models import CustomNotification
from ..selectors.notifications import with_visible_person
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
)
from .serializers import (
    LegalRiskInputSerializer,
    LegalRiskOutputSerializer,
    NotificationInputSerializer,
    NotificationOutputSerializer,
    NotificationUpdateInputSerializer,
)


@extend_schema_view(
    list=extend_schema(
        summary="Individuella samtal som din myndighet får se",
        description="Bara där du också får se personen. Senast registrerade först, med sidmarkör. Anropet loggas.",
        responses=list_responses(NotificationOutputSerializer),
    ),
    retrieve=extend_schema(
        summary="Ett individuellt samtal",
        responses={200: NotificationOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera ett individuellt samtal",
        description=(
            "Ägs av din myndighet. Teamets myndigheter får samtalet delat med sig på `legal_basis`. "
            "`offer_accepted: true` öppnar en förfrågan om avhopparärende, en gång."
        ),
        request=NotificationInputSerializer,
        responses={201: NotificationOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra ett individuellt samtal",
        description="Bara de fält som skickas ändras. Ange `version`.",
        request=NotificationUpdateInputSerializer(partial=True),
        responses=_update_responses(NotificationOutputSerializer),
    ),
)
class NotificationViewSet(RecordViewSet):
    """Individuella samtal och hembesök: person, datum, plats, team, om budskapet framfördes, erbjudande och utfall."""

    model = CustomNotification
    serializer_class = NotificationOutputSerializer
    filterset_class = NotificationFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        user = self.request.user
        return (
            with_visible_person(user)
            .prefetch_related("speakers", "team_agencies")
            .annotate(exit_case_visible=case_visible(user))
        )

    def create(self, request):
        data = _validated(NotificationInputSerializer, request)
        notification = services.notification_record(acting_user=request.user, **data)
        return self.shown(notification, created=True)

    def partial_update(self, request, pk=None):
        notification = self.get_object()
        data = _validated(NotificationUpdateInputSerializer, request, partial=True)
        version = _version(data)
        if "team_agencies" not in data:
            data.pop("legal_basis", None)
            data.pop("assessment", None)
        services.notification_update(
            notification=notification, acting_user=request.user, expected_version=version, **data
        )
        return self.shown(notification)

    @extend_schema(
        methods=["GET"],
        summary="Den juridiska riskbilden",
        description="404 om den inte finns eller inte är delad med din myndighet: de två går inte att skilja åt. Läsningen loggas.",
        responses={200: LegalRiskOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT"],
        summary="Skriv den juridiska riskbilden",
        description="Bara Polisen. En befintlig riskbild kräver ändringsbehörighet på den och `version`.",
        request=LegalRiskInputSerializer,
        responses={
            200: LegalRiskOutputSerializer,
            400: NOT_OWNER,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "put"], url_path="legal-risk", url_name="legal-risk")
    def legal_risk(self, request, pk=None):
        notification = access.get_or_404(
            request.user, CustomNotification, pk, queryset=with_visible_person(request.user), log=False
        )
        if request.method == "GET":
            found = selectors.legal_risk_for(request.user, notification)  # logs the read
            if found is None:
                raise Http404
            return Response(LegalRiskOutputSerializer(found, context={"request": request}).data)
        data = _validated(LegalRiskInputSerializer, request)
        saved = services.legal_risk_set(
            notification=notification, acting_user=request.user, text=data["text"], expected_version=data.get("version")
        )
        return Response(LegalRiskOutputSerializer(saved, context={"request": request}).data)
