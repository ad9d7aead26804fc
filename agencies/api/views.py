"""API of the agencies app: reference lists and the disclosure register (`/api/v1/shares/`).

The views only translate: validate input, call agencies.access, serialize output.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access, legal_bases, second_factor
from agencies.models import Agency, LegalBasis, Share

from .pagination import MAX_PAGE_SIZE, BoundedCursorPagination
from .responses import created
from .serializers import (
    AgencySerializer,
    ErrorSerializer,
    FittingBasesInputSerializer,
    FittingBasesSerializer,
    LegalBasisSerializer,
    ShareCreateInputSerializer,
    ShareOutputSerializer,
    ShareRevokeInputSerializer,
    share_queryset,
    shareable_model,
    shareable_names,
    shareable_queryset,
)

# Responses every authenticated endpoint can give, documented once.
UNAUTHENTICATED = OpenApiResponse(ErrorSerializer, description="Ingen eller ogiltig inloggning/nyckel.")
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Inte medlem i en aktiv myndighet, eller får inte göra detta.")
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="Finns inte, eller är inte synlig för din myndighet (samma svar i båda fallen)."
)
VALIDATION_ERROR = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Ogiltiga uppgifter: fältnamn → lista med felmeddelanden, eller `detail` och `code` när en regel "
    "i åtkomstkontrollen nekar.",
)


# --- reference data -----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Aktiva myndigheter", responses={200: AgencySerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN}
    ),
    retrieve=extend_schema(
        summary="En myndighet", responses={200: AgencySerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND}
    ),
)
class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Aktiva samverkansmyndigheter: de möjliga mottagarna av ett utlämnande."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    # Reference data, not case data: not logged.

    serializer_class = AgencySerializer
    queryset = Agency.objects.filter(active=True).order_by("name")
    lookup_field = "slug"
    pagination_class = None


@extend_schema_view(
    list=extend_schema(
        summary="Rättsliga grunder för utlämnande",
        responses={200: LegalBasisSerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="En rättslig grund",
        responses={200: LegalBasisSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class LegalBasisViewSet(viewsets.ReadOnlyModelViewSet):
    """Rättsliga grunder som ett utlämnande kan vila på (bara de som fortfarande används)."""

    serializer_class = LegalBasisSerializer
    queryset = LegalBasis.objects.filter(active=True).order_by("name")
    lookup_field = "code"
    pagination_class = None


# --- the disclosure register ------------------------------------------------------------------------------


class ShareFilter(filters.FilterSet):
    direction = filters.ChoiceFilter(
        label=gettext_lazy("Riktning"),
        choices=[
            ("made", gettext_lazy("Gjorda av min myndighet")),
            ("received", gettext_lazy("Mottagna av min myndighet")),
        ],
        method="filter_direction",
    )
    active = filters.BooleanFilter(label=gettext_lazy("Gäller nu"), method="filter_active")
    # Callable: the shareable names are registered by the apps above at import time (see serializers).
    object_type = filters.ChoiceFilter(
        label=gettext_lazy("Posttyp"), choices=lambda: [(n, n) for n in shareable_names()], method="filter_object"
    )
    object_id = filters.NumberFilter(label=gettext_lazy("Post-id"))
    # The rows of one decision (several records disclosed together; the rows' `bundle`).
    bundle = filters.NumberFilter(label=gettext_lazy("Beslut"))

    class Meta:
        model = Share
        fields = ["direction", "active", "object_type", "object_id", "bundle"]

    def filter_direction(self, queryset, name, value):
        actor = access.actor_for(self.request.user)
        if actor is None:
            return queryset.none()
        field = "from_agency_id" if value == "made" else "to_agency_id"
        return queryset.filter(**{field: actor.agency_id})

    def filter_active(self, queryset, name, value):
        now = timezone.now()
        live = Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        return queryset.filter(live) if value else queryset.exclude(live)

    def filter_object(self, queryset, name, value: str):
        return queryset.filter(content_type=ContentType.objects.get_for_model(shareable_model(value)))


class ShareCursorPagination(BoundedCursorPagination):
    ordering = ("-decided_at", "-id")
    cursor_query_description = gettext_lazy("Sidmarkör från `next` eller `previous`.")
    page_size_query_description = gettext_lazy("Rader per sida.")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


@extend_schema_view(
    list=extend_schema(
        summary="Utlämnanden som min myndighet gjort eller tagit emot",
        description="Nyaste först. Bara rader där din myndighet är avsändare eller mottagare.",
        responses={200: ShareOutputSerializer(many=True), 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="Ett utlämnande",
        responses={200: ShareOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class ShareViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Utlämnanderegistret. En rad syns bara för den utlämnande och den mottagande myndigheten."""

    # Share is not itself a protected record: a row is visible to the two agencies it concerns and to no
    # one else (get_queryset). Writes go through agencies.access.share and .revoke, which keep the guardian
    # grants in step with the register and write the access log.

    serializer_class = ShareOutputSerializer
    pagination_class = ShareCursorPagination
    filterset_class = ShareFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        actor = access.actor_for(self.request.user)
        if actor is None:
            return Share.objects.none()
        return share_queryset().filter(Q(from_agency_id=actor.agency_id) | Q(to_agency_id=actor.agency_id))

    @extend_schema(
        summary="Dela en uppgift med en annan myndighet",
        description=(
            "Endast den ägande myndigheten kan dela; identitetsuppgifter bara av en chef, och i webbläsarens "
            "session bara inom några minuter efter en engångskod (annars 403). Posten måste vara "
            "synlig för dig, annars 404. Ett utlämnande som en regel nekar (t.ex. saknad rättslig grund, egen "
            "myndighet, samtycke krävs) ger 400 med `detail` och `code`."
        ),
        request=ShareCreateInputSerializer,
        responses={
            201: ShareOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    def create(self, request):
        data = self._validated(ShareCreateInputSerializer, request.data)
        model = shareable_model(data["object_type"])
        # Visibility first: an object the caller cannot see answers 404, exactly as if it did not exist.
        # Not logged as a read: the share itself is logged by access.share.
        obj = access.get_or_404(
            request.user,
            model,
            data["object_id"],
            queryset=shareable_queryset(data["object_type"], request.user),
            log=False,
        )
        if (
            model.share_requires_lead
            and request.auth is None
            and access.require_actor(request.user).is_lead
            and not second_factor.step_up_fresh(request._request)
        ):
            # A lead in the browser's session (a token has request.auth): identity details need a fresh
            # one-time code, as in the share dialog. Anyone else is refused by the rules in access.share, and
            # tokens belong to integration accounts, which may not share identity details at all.
            raise PermissionDenied(
                _(
                    "Identitetsuppgifter delas bara efter att du nyss har bekräftat med en engångskod. Bekräfta i "
                    "webbläsaren (Tvåstegsverifiering) och försök igen."
                )
            )
        record = access.share(
            obj,
            to_agency=data["to_agency"],
            level=data["level"],
            legal_basis=data["legal_basis"],
            acting_user=request.user,
            expires_at=data["expires_at"],
            to_user=data["to_user"],
            assessment=data["assessment"],
        )
        out = ShareOutputSerializer(share_queryset().get(pk=record.pk), context=self.get_serializer_context())
        return created(out.data)

    @extend_schema(
        summary="Rättsliga grunder som passar ett utlämnande",
        description=(
            "De grunder i bruk som din myndighet kan lämna ut posten på till mottagaren, och för varje annan "
            "grund en rad om varför den inte passar. Samma beslut som `POST /shares/` gör: en grund som inte "
            "finns bland `fitting` nekas där med 400 (`legal_basis_not_fitting`). Samtycke kräver dessutom ett "
            "giltigt samtycke som täcker mottagaren och uppgiften. Posten måste vara synlig för dig, annars 404."
        ),
        parameters=[FittingBasesInputSerializer],
        responses={200: FittingBasesSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 404: NOT_FOUND},
    )
    @action(detail=False, methods=["get"])
    def bases(self, request):
        data = self._validated(FittingBasesInputSerializer, request.query_params)
        obj = access.get_or_404(
            request.user,
            shareable_model(data["object_type"]),
            data["object_id"],
            queryset=shareable_queryset(data["object_type"], request.user),
            log=False,
        )
        actor = access.require_actor(request.user)
        fit = legal_bases.fitting_bases(sender=actor.agency_kind, receiver=data["to_agency"], obj=obj)
        out = {
            "fitting": fit.fitting,
            "missing": [{"code": b.code, "name": b.name, "reason": reason} for b, reason in fit.missing],
        }
        return Response(FittingBasesSerializer(out).data)

    @extend_schema(
        summary="Återkalla ett utlämnande",
        description=(
            "Åtkomsten upphör omedelbart. Bara den myndighet som delade kan återkalla: den mottagande "
            "myndigheten får 403, andra myndigheter 404. Ett redan återkallat utlämnande ger 400."
        ),
        request=ShareRevokeInputSerializer,
        responses={
            200: ShareOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        record = self.get_object()
        access.require_actor(request.user)
        if not access.may_revoke(request.user, record):
            # The receiver can see the row (so 404 would be a lie) but it is not theirs to withdraw.
            raise PermissionDenied(_("Endast myndigheten som delade kan återkalla."))
        data = self._validated(ShareRevokeInputSerializer, request.data)
        access.revoke(record, acting_user=request.user, reason=data["reason"])
        out = ShareOutputSerializer(share_queryset().get(pk=record.pk), context=self.get_serializer_context())
        return Response(out.data)

    def _validated(self, serializer_class, data) -> dict:
        serializer = serializer_class(data=data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
