"""API for consents (samtycken, `/api/v1/consents/`): record, read, withdraw.

A consent is a protected record owned by the agency that recorded it and shared, on itself, with the other
agencies it names (cases.services.consent_record), so each of them sees it and may rest its own shares on it.
Withdrawing it revokes at once every share that rests on it, in one transaction, with the log rows
(cases.services.consent_withdraw). The views only translate.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access, bounds
from agencies.api import fields as bounded
from agencies.api.responses import created
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from agencies.models import Agency
from cases import services
from cases.models import Consent, ConsentCategory, Individual

from .exit_case_serializers import PersonAliasMixin
from .exit_case_views import visible_people
from .registry_serializers import VisiblePrimaryKeyField
from .views import _validated

# --- serializers ------------------------------------------------------------------------------------------


class ConsentCreateInputSerializer(serializers.Serializer):
    individual = VisiblePrimaryKeyField(Individual, help_text=_("Personens id."))
    # An empty list and a missing end date are let through so that the service refuses them with its own
    # message (a consent must name at least one agency and say how long it is valid).
    agencies = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Agency.objects.filter(active=True),
        many=True,
        allow_empty=True,
        default=list,
        help_text=_("Kortnamnen på myndigheterna som får utbyta uppgifterna, din egen medräknad."),
    )
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentCategory.choices),
        allow_empty=True,
        default=list,
        help_text=_("Vilka slags uppgifter samtycket gäller."),
    )
    purpose = serializers.CharField(allow_blank=True, default="", help_text=_("Ändamålet med utbytet."))
    given_on = bounded.DateField(bounds.HAPPENED, allow_null=True, default=None, help_text=_("Utelämnat: i dag."))
    valid_until = bounded.DateField(
        bounds.PLANNED, allow_null=True, default=None, help_text=_("Sista dag samtycket gäller.")
    )
    document_reference = serializers.CharField(
        max_length=200, allow_blank=True, default="", help_text=_("Var det undertecknade samtycket finns.")
    )


class ConsentWithdrawInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, default="", help_text=_("Hur och när personen återkallade."))


class ConsentOutputSerializer(PersonAliasMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:consent-detail")
    agencies = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=ConsentCategory.choices), read_only=True)
    is_valid = serializers.SerializerMethodField(help_text=_("Lämnat, inte återkallat och inte utgånget i dag."))
    owner_agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Consent
        fields = [
            "id",
            "url",
            "individual",
            "individual_alias",
            "agencies",
            "categories",
            "purpose",
            "given_on",
            "valid_until",
            "document_reference",
            "is_valid",
            "withdrawn_at",
            "withdrawal_note",
            "owner_agency",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    def get_is_valid(self, consent: Consent) -> bool:
        return consent.is_valid()


class ConsentWithdrawOutputSerializer(serializers.Serializer):
    consent = ConsentOutputSerializer()
    revoked_shares = serializers.ListField(
        child=serializers.IntegerField(), help_text=_("Id i utlämnanderegistret för de utlämnanden som återkallades.")
    )


# --- the filter -------------------------------------------------------------------------------------------


def _visible_individuals(request):
    if request is None:
        return Individual.objects.none()
    return access.visible(request.user, Individual)


class ConsentFilter(django_filters.FilterSet):
    # An invisible person is as invalid a choice as a missing one.
    individual = django_filters.ModelChoiceFilter(label=_("Person"), queryset=_visible_individuals)

    class Meta:
        model = Consent
        fields = ["individual"]


# --- the viewset ------------------------------------------------------------------------------------------

CONSENT_REFUSED = OpenApiResponse(
    VALIDATION_ERROR.response,
    description="Ogiltiga uppgifter, eller en regel nekar (`detail` och `code`, t.ex. `no_agency`, "
    "`valid_until_required`, `categories_required`, `dates`).",
)


@extend_schema_view(
    list=extend_schema(
        summary="Samtycken som din myndighet får se",
        description=(
            "Samtycken som din myndighet registrerat och samtycken som omfattar din myndighet, nyaste först, med "
            "sidmarkör. `individual` ger en persons samtycken. Anropet loggas med de id som returnerades."
        ),
        responses={
            200: ConsentOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="Ett samtycke",
        description="Läsningen loggas.",
        responses={200: ConsentOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Registrera ett samtycke",
        description=(
            "Personen måste vara synlig för dig. Samtycket måste ange minst en myndighet och hur länge det gäller. "
            "Det ägs av din myndighet och delas automatiskt med de andra myndigheter det omfattar."
        ),
        request=ConsentCreateInputSerializer,
        responses={201: ConsentOutputSerializer, 400: CONSENT_REFUSED, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
)
class ConsentViewSet(GatedViewSet):
    """Samtycken: person, myndigheter, uppgiftskategorier, ändamål, giltighetstid och återkallelse."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = Consent
    serializer_class = ConsentOutputSerializer
    filterset_class = ConsentFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return Consent.objects.select_related("owner_agency", "individual").prefetch_related("agencies")

    def list(self, request):
        within = self.filter_queryset(self.base_queryset())
        page = self.paginator.paginate(
            request,
            lambda cursor, size: access.visible_page(request.user, Consent, within=within, cursor=cursor, size=size),
        )
        return self.paginator.response(request, page, self._out(page.items, many=True))

    def retrieve(self, request, pk=None):
        return Response(self._out(self.get_object()))

    def create(self, request):
        data = _validated(ConsentCreateInputSerializer, request)
        consent = services.consent_record(acting_user=request.user, **data)
        body = self._out(self.base_queryset().get(pk=consent.pk))
        return created(body)

    @extend_schema(
        summary="Återkalla ett samtycke",
        description=(
            "Personen har återkallat sitt samtycke. Varje utlämnande som vilar på samtycket återkallas genast, i "
            "samma transaktion, och loggas; utlämnanden på annan rättslig grund påverkas inte. Alla myndigheter "
            "som ser samtycket kan registrera återkallelsen. Svaret anger de återkallade utlämnandenas id. Ett "
            "redan återkallat samtycke ger 400."
        ),
        request=ConsentWithdrawInputSerializer,
        responses={
            200: ConsentWithdrawOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        # Seeing the consent is enough: the person may tell any of the agencies it names. The service logs it.
        consent = access.get_or_404(request.user, Consent, pk, queryset=self.base_queryset(), log=False)
        data = _validated(ConsentWithdrawInputSerializer, request)
        revoked = services.consent_withdraw(consent=consent, acting_user=request.user, note=data["note"])
        body = {"consent": self._out(self.base_queryset().get(pk=consent.pk)), "revoked_shares": revoked}
        return Response(body)

    def _out(self, consents, *, many: bool = False):
        rows = consents if many else [consents]
        context = {**self.get_serializer_context(), "people": visible_people(self.request.user, rows)}
        return ConsentOutputSerializer(consents, many=many, context=context).data
