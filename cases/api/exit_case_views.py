"""API for joint exit-support cases (`/api/v1/exit-cases/`) and the entries on a case (`.../{id}/entries/`).

Everything goes through the gate (agencies.access, via GatedViewSet). The case header is visible to the
participating agencies (joining a case is a share of the header with a legal basis); each agency's entries
are visible to their owner and to whom they were explicitly shared, and only together with their case. A case
the caller may not see answers 404, and so does everything below it. Writes go through cases.services, which
write the access log; lists log the ids they return. The views only translate.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access, audit, second_factor
from agencies.api.responses import created
from agencies.api.serializers import (
    BundleOutputSerializer,
    ShareOutputSerializer,
    register_shareable,
    share_queryset,
)
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from agencies.models import ShareBundle
from cases import selectors, services
from cases.filters.exit_cases import ExitCaseFilter
from cases.models import CaseEntry, Consent, ExitCase, Individual
from cases.services import disclosures

from .exit_case_serializers import (
    CloseInputSerializer,
    DisclosureInputSerializer,
    EntryCreateInputSerializer,
    EntryOutputSerializer,
    ExitCaseCreateInputSerializer,
    ExitCaseDetailOutputSerializer,
    ExitCaseOutputSerializer,
    ExitCaseUpdateInputSerializer,
    ParticipantInputSerializer,
    PhaseInputSerializer,
    TimelineEntrySerializer,
)
from .group_views import _update_responses, _version
from .views import READ_ONLY_SHARE, _validated

# The names the share register (`/api/v1/shares/`) uses for these records. An entry is not among them: it may
# go only to an agency taking part in its case (services.entry_share), a rule the generic register endpoint
# does not know; entries are shared through `/api/v1/case-entries/{id}/share/` instead.
register_shareable("exit_case", ExitCase)
register_shareable("consent", Consent)

CLOSED_OR_RULE = OpenApiResponse(
    VALIDATION_ERROR.response,
    description="Ogiltiga uppgifter, eller en regel nekar (`detail` och `code`, t.ex. `reason_required`, `closed`, "
    "`same_phase`).",
)
SHARE_REFUSED = OpenApiResponse(
    VALIDATION_ERROR.response,
    description="Ogiltiga uppgifter, eller en regel nekar (`detail` och `code`, t.ex. `not_owner`, "
    "`not_participant`, `consent_required`, `consent_not_covering`, `own_agency`).",
)


def visible_people(user, records) -> set[int]:
    """Of the persons these records are about, the ids the caller may see. One query through the gate."""
    ids = {record.individual_id for record in records}
    if not ids:
        return set()
    return set(access.visible(user, Individual).filter(pk__in=ids).values_list("pk", flat=True))


def share_response(request, record) -> Response:
    """201 with the register row, as `/api/v1/shares/` answers."""
    out = ShareOutputSerializer(share_queryset().get(pk=record.pk), context={"request": request})
    return created(out.data)


@extend_schema_view(
    list=extend_schema(
        summary="Avhopparärenden som din myndighet deltar i",
        description=(
            "Ärenden som din myndighet leder och ärenden som delats med den (deltagande myndigheter), nyaste "
            "först, med sidmarkör och antal försenade uppgifter. Deltagarna och journalposterna finns i "
            "detaljvyn och under `entries`. `individual_alias` är null när personen inte är delad med dig. "
            "Anropet loggas med de id som returnerades."
        ),
        responses={
            200: ExitCaseOutputSerializer(many=True),
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
        },
    ),
    retrieve=extend_schema(
        summary="Ett avhopparärende",
        description=(
            "Ärendets grunduppgifter med deltagande myndigheter och fashistorik. Journalposterna finns under "
            "`entries`. Läsningen loggas."
        ),
        responses={200: ExitCaseDetailOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Öppna ett avhopparärende",
        description=(
            "Personen måste vara synlig för dig. Din myndighet leder och äger ärendet; andra myndigheter tas in "
            "med `participants`."
        ),
        request=ExitCaseCreateInputSerializer,
        responses={201: ExitCaseDetailOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    partial_update=extend_schema(
        summary="Ändra ärendets grunduppgifter",
        description=(
            "Samordnare, nästa möte och sammanfattning; bara de fält som skickas ändras. Fas och utfall ändras med "
            "`phase` och `close`. Ange `version` som du läste: en äldre ger 409 och inget ändras."
        ),
        request=ExitCaseUpdateInputSerializer(partial=True),
        responses=_update_responses(ExitCaseDetailOutputSerializer),
    ),
)
class ExitCaseViewSet(GatedViewSet):
    """Gemensamma avhopparärenden: person, ansvarig myndighet, samordnare, fas och utfall."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = ExitCase
    serializer_class = ExitCaseOutputSerializer
    filterset_class = ExitCaseFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        return selectors.case_base()

    def list(self, request):
        within = self.filter_queryset(self.base_queryset())
        page = self.paginator.paginate(
            request,
            lambda cursor, size: access.visible_page(request.user, ExitCase, within=within, cursor=cursor, size=size),
        )
        context = {**self.get_serializer_context(), "people": visible_people(request.user, page.items)}
        data = ExitCaseOutputSerializer(page.items, many=True, context=context).data
        return self.paginator.response(request, page, data)

    def retrieve(self, request, pk=None):
        return Response(self._detail(self.get_object()))

    def create(self, request):
        data = _validated(ExitCaseCreateInputSerializer, request)
        case = services.case_open(acting_user=request.user, **data)
        body = self._detail(self.base_queryset().get(pk=case.pk))
        return created(body)

    def partial_update(self, request, pk=None):
        case = self.get_object()
        data = _validated(ExitCaseUpdateInputSerializer, request, partial=True)
        version = _version(data)
        services.case_update(case=case, acting_user=request.user, expected_version=version, **data)
        return Response(self._detail(self.base_queryset().get(pk=case.pk)))

    @extend_schema(
        summary="Byt fas",
        description=(
            "Förfrågan, bedömning, aktivt stöd eller uppföljning, med ett skäl som sparas i fashistoriken. Ett "
            "ärende avslutas med `close`. Kräver ändringsbehörighet på ärendet. Ange `version` som du läste."
        ),
        request=PhaseInputSerializer,
        responses={**_update_responses(ExitCaseDetailOutputSerializer), 400: CLOSED_OR_RULE},
    )
    @action(detail=True, methods=["post"])
    def phase(self, request, pk=None):
        case = self.get_object()
        data = _validated(PhaseInputSerializer, request)
        services.case_change_phase(
            case=case,
            acting_user=request.user,
            to_phase=data["to_phase"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(self._detail(self.base_queryset().get(pk=case.pk)))

    @extend_schema(
        summary="Avsluta ärendet",
        description=(
            "Med ett utfall och ett skäl. Kräver ändringsbehörighet på ärendet. Ange `version` som du läste. Ett "
            "avslutat ärende tar inte emot nya journalposter."
        ),
        request=CloseInputSerializer,
        responses={**_update_responses(ExitCaseDetailOutputSerializer), 400: CLOSED_OR_RULE},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        data = _validated(CloseInputSerializer, request)
        services.case_close(
            case=case,
            acting_user=request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        return Response(self._detail(self.base_queryset().get(pk=case.pk)))

    @extend_schema(
        summary="Ta in en myndighet i ärendet",
        description=(
            "Att delta i ärendet är ett utlämnande av ärendets grunduppgifter med en rättslig grund; det hamnar i "
            "utlämnanderegistret (`/api/v1/shares/`, där det också återkallas). Bara den ansvariga myndigheten. "
            "Journalposter följer inte med; de delas var för sig."
        ),
        request=ParticipantInputSerializer,
        responses={
            201: ShareOutputSerializer,
            400: SHARE_REFUSED,
            401: UNAUTHENTICATED,
            403: READ_ONLY_SHARE,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def participants(self, request, pk=None):
        case = self.get_object()
        data = _validated(ParticipantInputSerializer, request)
        record = services.case_join(
            case=case,
            to_agency=data["agency"],
            legal_basis=data["legal_basis"],
            consent=data["consent"],
            level=data["level"],
            assessment=data["assessment"],
            acting_user=request.user,
        )
        return share_response(request, record)

    @extend_schema(
        summary="Dela ärendet, personen och valda journalposter i ett beslut",
        description=(
            "Bara ärendets ansvariga myndighet; för alla andra 404, som för ett ärende som inte finns. En rättslig "
            "grund och en bedömning för alla uppgifter, en rad i utlämnanderegistret per uppgift (med beslutets id i "
            "`bundle`), allt eller inget: passar grunden inte en av uppgifterna, eller nekar en regel en av dem, "
            "delas ingenting och svaret är 400 med `detail` (som namnger uppgiften) och `code` (t.ex. "
            "`legal_basis_not_fitting`, `assessment_required`, `consent_not_covering`, `not_participant`, "
            "`not_in_case`). Varje rad återkallas för sig (`/api/v1/shares/{id}/revoke/`). Identitetsuppgifter "
            "delas bara av en chef, i webbläsarens session bara strax efter en engångskod (annars 403)."
        ),
        request=DisclosureInputSerializer,
        responses={
            201: BundleOutputSerializer,
            400: SHARE_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def disclosures(self, request, pk=None):
        # Not logged as a read: the decision logs each share. A participant sees the case but may not disclose it.
        case = access.get_or_404(request.user, ExitCase, pk, queryset=self.base_queryset(), log=False)
        if not access.owns(request.user, case):
            raise Http404
        data = _validated(DisclosureInputSerializer, request)
        actor = access.require_actor(request.user)
        if (
            any(key.startswith("identity:") for key in data["records"])
            and request.auth is None
            and actor.is_lead
            and not second_factor.step_up_fresh(request._request)
        ):
            # As POST /shares/: a lead in the browser's session shares identity details only after a fresh code.
            raise PermissionDenied(
                _(
                    "Identitetsuppgifter delas bara efter att du nyss har bekräftat med en engångskod. Bekräfta i "
                    "webbläsaren (Tvåstegsverifiering) och försök igen."
                )
            )
        bundle = disclosures.case_disclose(case=case, keys=data.pop("records"), acting_user=request.user, **data)
        fresh = ShareBundle.objects.select_related("from_agency", "to_agency", "legal_basis").prefetch_related(
            Prefetch("shares", queryset=share_queryset().order_by("pk"))
        )
        out = BundleOutputSerializer(fresh.get(pk=bundle.pk), context=self.get_serializer_context())
        return created(out.data)

    # --- entries ----------------------------------------------------------------------------------------

    @extend_schema(
        methods=["GET"],
        summary="Journalposterna i ärendet som du får se",
        description=(
            "En tidslinje över alla myndigheters poster som din myndighet får se: egna poster och poster som "
            "uttryckligen delats med den, nyaste först (efter datum). Varje post anger ägande myndighet, och en "
            "annan myndighets post den rättsliga grund den delades på. Inget i svaret avslöjar poster du inte får "
            "se. Inte sidindelad. 404 om ärendet inte är synligt. Anropet loggas med de id som returnerades."
        ),
        responses={200: TimelineEntrySerializer(many=True), 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["POST"],
        summary="Skriv en journalpost i ärendet",
        description=(
            "Posten ägs av din myndighet och syns för andra först när den delas (`/api/v1/case-entries/{id}/share/`)."
            " Hotbedömningar görs bara av Polisen; ett avslutat ärende tar inte emot poster (400 med `detail` och "
            "`code`)."
        ),
        request=EntryCreateInputSerializer,
        responses={
            201: EntryOutputSerializer,
            400: OpenApiResponse(
                VALIDATION_ERROR.response,
                description="Ogiltiga uppgifter, eller en regel nekar (`code` t.ex. `threat_police_only`, `closed`).",
            ),
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def entries(self, request, pk=None):
        # The case must be visible, else 404. Not logged as a read of the header: only its entries are read here.
        case = access.get_or_404(request.user, ExitCase, pk, log=False)
        actor = access.require_actor(request.user)
        if request.method == "POST":
            data = _validated(EntryCreateInputSerializer, request)
            entry = services.entry_add(case=case, acting_user=request.user, **data)
            out = EntryOutputSerializer(
                selectors.entry_base().get(pk=entry.pk),
                context=self.get_serializer_context(),
            )
            return created(out.data)
        timeline = selectors.case_timeline(request.user, case)
        entries = [item.entry for item in timeline]
        # The timeline is a list of entries read: one log entry with their ids (as the case page logs it).
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=CaseEntry, objects=entries)
        context = {
            **self.get_serializer_context(),
            "bases": {item.entry.pk: item.legal_basis for item in timeline if not item.own},
        }
        return Response(TimelineEntrySerializer(entries, many=True, context=context).data)

    def _detail(self, case: ExitCase) -> dict:
        context = {
            **self.get_serializer_context(),
            "people": visible_people(self.request.user, [case]),
            "participants": sorted(services.participants(case), key=lambda agency: agency.name),
        }
        return ExitCaseDetailOutputSerializer(case, context=context).data
