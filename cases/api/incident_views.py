"""API for the incident register (`/api/v1/incidents/`), its involvement rows and its month-by-month count.

Everything goes through the gate (agencies.access, via GatedViewSet). An incident's involved groups are
shown where the caller may see the group; an involved person where the caller may see the involvement record
itself AND the person — that someone was a suspect or a victim is itself sensitive. The list carries the
incidents only (no per-row queries); the detail adds the involvements. Writes go through cases.services,
which write the access log; recording a victim never creates a group membership.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.api.pagination import MAX_PAGE_SIZE
from agencies.api.responses import created
from agencies.api.serializers import register_shareable
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from cases import selectors, services
from cases.filters.incidents import IncidentFilter
from cases.models import Incident, IncidentPerson

from .group_views import NOT_OWNER, _update_responses, _version
from .registry_serializers import (
    IncidentDetailOutputSerializer,
    IncidentGroupInputSerializer,
    IncidentGroupOutputSerializer,
    IncidentInputSerializer,
    IncidentOutputSerializer,
    IncidentPersonInputSerializer,
    IncidentPersonOutputSerializer,
    IncidentUpdateInputSerializer,
    MonthlyCountSerializer,
)
from .views import READ_ONLY_SHARE, _validated

# The names the share register (`/api/v1/shares/`) uses for these records.
register_shareable("incident", Incident)
register_shareable("incident_person", IncidentPerson)

INVOLVEMENT_RESPONSES = {
    400: NOT_OWNER,
    401: UNAUTHENTICATED,
    403: READ_ONLY_SHARE,
    404: NOT_FOUND,
}


@extend_schema_view(
    list=extend_schema(
        summary="Händelser som din myndighet får se",
        description=(
            "Egna händelser och händelser som delats med din myndighet, nyaste registrering först, med sidmarkör. "
            "Inblandade grupperingar och personer finns i detaljvyn. Anropet loggas med de id som returnerades."
        ),
        responses={
            200: IncidentOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="En händelse med inblandade grupperingar och personer",
        description=(
            "`groups`: inblandade grupperingar som du får se. `persons`: inblandade personer där både "
            "uppgiften om inblandningen och personen är synliga för dig (högst "
            f"{MAX_PAGE_SIZE}, nyaste först). Att en gruppering eller person inte visas säger inget om huruvida "
            "den finns. Läsningen av händelsen och av de visade inblandningarna loggas."
        ),
        responses={200: IncidentDetailOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera en händelse",
        description="Händelsen ägs av din myndighet. Svaret är händelsen utan inblandade.",
        request=IncidentInputSerializer,
        responses={201: IncidentOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra en händelse",
        description="Bara de fält som skickas ändras. Ange `version` som du läste. Svaret är händelsen utan inblandade.",
        request=IncidentUpdateInputSerializer(partial=True),
        responses=_update_responses(IncidentOutputSerializer),
    ),
)
class IncidentViewSet(GatedViewSet):
    """Skjutningar, sprängningar, annat grovt våld och hot: tid, stadsdel, döda och skadade, utredningstimmar."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = Incident
    serializer_class = IncidentOutputSerializer
    filterset_class = IncidentFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return selectors.incident_base()

    def retrieve(self, request, pk=None):
        incident = self.get_object()
        groups = list(selectors.incident_groups(request.user, incident))
        # Through visible_page so that reading who was involved is logged, person by person, like any list.
        persons = access.visible_page(
            request.user,
            IncidentPerson,
            within=selectors.incident_persons(request.user, incident).select_related("owner_agency"),
            size=MAX_PAGE_SIZE,
        ).items
        context = {**self.get_serializer_context(), "groups": groups, "persons": persons}
        return Response(IncidentDetailOutputSerializer(incident, context=context).data)

    def create(self, request):
        data = _validated(IncidentInputSerializer, request)
        incident = services.incident_record(acting_user=request.user, **data)
        out = self.get_serializer(self.base_queryset().get(pk=incident.pk))
        return created(out.data)

    def partial_update(self, request, pk=None):
        incident = self.get_object()
        data = _validated(IncidentUpdateInputSerializer, request, partial=True)
        version = _version(data)
        services.incident_update(incident=incident, acting_user=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.base_queryset().get(pk=incident.pk)).data)

    @extend_schema(
        summary="Registrera en inblandad gruppering",
        description=(
            "Bara händelsens ägande myndighet. Grupperingen måste vara synlig för dig (en osynlig ger samma fel "
            "som en som inte finns)."
        ),
        request=IncidentGroupInputSerializer,
        responses={201: IncidentGroupOutputSerializer, **INVOLVEMENT_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="groups", url_name="groups")
    def add_group(self, request, pk=None):
        incident = self.get_object()
        data = _validated(IncidentGroupInputSerializer, request)
        row = services.incident_add_group(incident=incident, acting_user=request.user, **data)
        return Response(IncidentGroupOutputSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Registrera en inblandad person",
        description=(
            "Bara händelsens ägande myndighet; inblandningen blir en egen uppgift som ägs av den och delas för sig "
            "(`incident_person` i utlämnanderegistret). Personen måste vara synlig för dig. Att registrera ett "
            "offer (eller någon annan) skapar aldrig ett medlemskap i en gruppering."
        ),
        request=IncidentPersonInputSerializer,
        responses={201: IncidentPersonOutputSerializer, **INVOLVEMENT_RESPONSES},
    )
    @action(detail=True, methods=["post"], url_path="persons", url_name="persons")
    def add_person(self, request, pk=None):
        incident = self.get_object()
        data = _validated(IncidentPersonInputSerializer, request)
        row = services.incident_add_person(incident=incident, acting_user=request.user, **data)
        created = IncidentPerson.objects.select_related("individual", "owner_agency").get(pk=row.pk)
        return Response(IncidentPersonOutputSerializer(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Antal händelser per månad",
        description=(
            "Räknar bara händelser som din myndighet får se, med samma filter som listan. Månader utan händelser "
            "utelämnas. Svaret är antal, inga poster."
        ),
        responses={
            200: MonthlyCountSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def monthly(self, request):
        incidents = self.filter_queryset(access.visible(request.user, Incident))
        rows = [
            {"month": _local_date(row["month"]), "count": row["count"], "lethal": row["dead"]}
            for row in selectors.incidents_by_month(incidents)
        ]
        return Response(MonthlyCountSerializer(rows, many=True).data)


def _local_date(month):
    # TruncMonth truncates in the current time zone and returns an aware datetime (on every backend Django
    # supports); the month is the date of that local midnight.
    return timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
