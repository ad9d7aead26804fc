"""API for persons (`/api/v1/individuals/`) and their identity details (`.../{id}/identity/`).

Everything a caller may see comes through the gate (agencies.access, via GatedViewSet); writes go through
cases.services, which write the access log. The views only translate.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.api.responses import created
from agencies.api.serializers import ConflictSerializer, register_shareable
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from cases import selectors, services
from cases.filters.individuals import IndividualFilter
from cases.models import District, ExitCase, IdentityDetails, Individual

from .serializers import (
    DistrictSerializer,
    IdentityOutputSerializer,
    IdentityWriteInputSerializer,
    IndividualCreateInputSerializer,
    IndividualOutputSerializer,
    IndividualUpdateInputSerializer,
)

# The names the share register (`/api/v1/shares/`) uses for these records.
register_shareable("individual", Individual)
register_shareable("identity", IdentityDetails)

CONFLICT = OpenApiResponse(
    ConflictSerializer,
    description="`version` är äldre än den sparade: inget ändrades. `current_version` anger den sparade.",
)
READ_ONLY_SHARE = OpenApiResponse(
    FORBIDDEN.response, description="Uppgiften är delad med din myndighet för läsning, inte för ändring."
)


def visible_cases(request):
    """The cases a filter's `case` may name (an invisible case is as invalid a choice as a missing one)."""
    if request is None:
        return ExitCase.objects.none()
    return access.visible(request.user, ExitCase)


def _validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(
    list=extend_schema(
        summary="Personer som din myndighet får se",
        description=(
            "Egna personer och personer som delats med din myndighet, nyaste först, med sidmarkör. `q` söker på "
            "alias, eller på personnummer bland de identitetsuppgifter du får se. Varje anrop loggas med de "
            "id som returnerades."
        ),
        responses={
            200: IndividualOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="En person",
        responses={200: IndividualOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera en person",
        description="Personen (och eventuella identitetsuppgifter) ägs av din myndighet.",
        request=IndividualCreateInputSerializer,
        responses={201: IndividualOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    update=extend_schema(
        summary="Ändra en person (alla fält)",
        description="Fält som utelämnas (utom alias) töms. Ange `version` som du läste.",
        request=IndividualUpdateInputSerializer,
        responses={
            200: IndividualOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: READ_ONLY_SHARE,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
    partial_update=extend_schema(
        summary="Ändra en person (valda fält)",
        description="Bara de fält som skickas ändras. Ange `version` som du läste.",
        request=IndividualUpdateInputSerializer(partial=True),
        responses={
            200: IndividualOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: READ_ONLY_SHARE,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    ),
)
class IndividualViewSet(GatedViewSet):
    """Personer: alias, födelseår och stadsdel. Identitetsuppgifter har en egen adress och egen behörighet."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = Individual
    serializer_class = IndividualOutputSerializer
    filterset_class = IndividualFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return selectors.individual_base()

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        data = _validated(IndividualCreateInputSerializer, request)
        individual = services.individual_create(acting_user=request.user, **data)
        out = self.get_serializer(self.base_queryset().get(pk=individual.pk))
        return created(out.data)

    def update(self, request, pk=None, partial=False):
        individual = self.get_object()
        data = _validated(IndividualUpdateInputSerializer, request, partial=partial)
        if "version" not in data:
            # A PATCH may leave out any field but this one: without it a concurrent change could be lost.
            raise serializers.ValidationError({"version": [_("Ange den version du läste.")]})
        version = data.pop("version")
        services.individual_update(individual=individual, acting_user=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.base_queryset().get(pk=individual.pk)).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    # --- identity details -------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="Identitetsuppgifter för en person",
        description=(
            "404 om personen inte är synlig, och 404 om identitetsuppgifterna inte finns eller inte är delade med "
            "din myndighet: de två fallen går inte att skilja åt. Läsningen loggas."
        ),
        responses={200: IdentityOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        summary="Registrera eller ändra identitetsuppgifter",
        description=(
            "Finns uppgifterna krävs ändringsbehörighet på dem och `version` (PUT tömmer utelämnade fält, PATCH "
            "behåller dem). Finns de inte kan personens ägande myndighet registrera dem (201). Personnummer "
            "normaliseras till 12 siffror."
        ),
        request=IdentityWriteInputSerializer,
        responses={
            200: IdentityOutputSerializer,
            201: IdentityOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: READ_ONLY_SHARE,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(detail=True, methods=["get", "put", "patch"], url_path="identity", url_name="identity")
    def identity(self, request, pk=None):
        # The person must be visible first. Not logged: only the identity details are read here.
        individual = access.get_or_404(request.user, Individual, pk, log=False)
        if request.method == "GET":
            identity = selectors.identity_for(user=request.user, individual=individual)  # logs the read
            if identity is None:
                raise Http404
            return Response(IdentityOutputSerializer(identity, context=self.get_serializer_context()).data)
        return self._identity_write(request, individual, partial=request.method == "PATCH")

    def _identity_write(self, request, individual: Individual, *, partial: bool) -> Response:
        access.require_actor(request.user)
        identity = access.find(request.user, IdentityDetails, individual.pk, log=False, count_denial=False)
        if identity is None:
            # Only the person's owner may record new details. For anyone else "not shared" and "not there"
            # must look the same, so both are 404.
            if not access.owns(request.user, individual) or IdentityDetails.objects.filter(pk=individual.pk).exists():
                raise Http404
            data = _validated(IdentityWriteInputSerializer, request)
            data.pop("version", None)
            if not any(data.values()):
                raise serializers.ValidationError({"detail": [_("Ange minst en identitetsuppgift.")]})
            created = services.identity_set(individual=individual, acting_user=request.user, **data)
            return Response(
                IdentityOutputSerializer(created, context=self.get_serializer_context()).data,
                status=status.HTTP_201_CREATED,
            )
        if not access.can(request.user, identity, "change"):
            raise PermissionDenied(_("Du får läsa men inte ändra den här uppgiften."))
        data = _validated(IdentityWriteInputSerializer, request, partial=partial)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("Ange den version du läste.")]})
        version = data.pop("version")
        changed = services.identity_set(
            individual=individual, acting_user=request.user, expected_version=version, **data
        )
        return Response(IdentityOutputSerializer(changed, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(
        summary="Örebros stadsdelar",
        responses={200: DistrictSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
)
class DistrictViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Örebros stadsdelar: de id som fältet och filtret `district` tar."""

    serializer_class = DistrictSerializer
    queryset = District.objects.filter(active=True).order_by("name")
    pagination_class = None
