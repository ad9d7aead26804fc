"""API for one agency's entries on joint cases (`/api/v1/case-entries/`): read, edit, share.

An entry is visible to its owner agency and to the agencies it was explicitly shared with, and only together
with its case: an entry whose case the caller may not see answers 404 like one that does not exist. Entries
are written at `/api/v1/exit-cases/{id}/entries/`; they are shared here rather than through the generic
register endpoint, because an entry may go only to an agency taking part in its case
(cases.services.entry_share). The views only translate.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.api.serializers import ShareOutputSerializer
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from agencies.filters.gated import GatedChoiceFilter
from cases import selectors, services
from cases.models import CaseEntry, EntryKind, ExitCase

from .exit_case_serializers import EntryOutputSerializer, EntryShareInputSerializer, EntryUpdateInputSerializer
from .exit_case_views import SHARE_REFUSED, share_response
from .group_views import _update_responses, _version
from .views import _validated, visible_cases


class CaseEntryFilter(django_filters.FilterSet):
    case = GatedChoiceFilter(kind="exit_case", label=_("Ärende"), queryset=visible_cases)
    kind = django_filters.ChoiceFilter(label=_("Typ"), choices=EntryKind.choices)

    class Meta:
        model = CaseEntry
        fields = ["case", "kind"]


@extend_schema_view(
    list=extend_schema(
        summary="Journalposter som din myndighet får se, i alla ärenden",
        description=(
            "Egna poster och poster som delats med din myndighet, i ärenden som din myndighet också får se, nyaste "
            "registrering först, med sidmarkör. Ett enskilt ärendes tidslinje med rättslig grund per post finns på "
            "`/api/v1/exit-cases/{id}/entries/`. Anropet loggas med de id som returnerades."
        ),
        responses={200: EntryOutputSerializer(many=True), 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="En journalpost",
        description="404 om posten inte är din myndighets eller delad med den, eller om ärendet inte är synligt. "
        "Läsningen loggas.",
        responses={200: EntryOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Ändra en journalpost",
        description=(
            "Bara de fält som skickas ändras; typen och ärendet ligger fast. Kräver ändringsbehörighet på posten. "
            "Ange `version` som du läste: en äldre ger 409 med `current_version` och inget ändras."
        ),
        request=EntryUpdateInputSerializer(partial=True),
        responses=_update_responses(EntryOutputSerializer),
    ),
)
class CaseEntryViewSet(GatedViewSet):
    """En myndighets journalposter i gemensamma ärenden: anteckningar, behovs- och hotbedömningar, insatser."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = CaseEntry
    serializer_class = EntryOutputSerializer
    filterset_class = CaseEntryFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        # An entry is shown only with its case: the gate adds the entry's own check.
        cases = access.visible(self.request.user, ExitCase).values("pk")
        return selectors.entry_base().filter(case__in=cases)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def partial_update(self, request, pk=None):
        entry = self.get_object()
        data = _validated(EntryUpdateInputSerializer, request, partial=True)
        version = _version(data)
        services.entry_update(entry=entry, acting_user=request.user, expected_version=version, **data)
        return Response(self.get_serializer(self.base_queryset().get(pk=entry.pk)).data)

    @extend_schema(
        summary="Dela en journalpost med en annan deltagande myndighet",
        description=(
            "Bara postens ägande myndighet delar, och bara med en myndighet som deltar i ärendet. Med samtycke som "
            "rättslig grund krävs ett giltigt samtycke (`consent`) som omfattar mottagaren och postens kategori. "
            "Utlämnandet hamnar i utlämnanderegistret (`/api/v1/shares/`, där det också återkallas)."
        ),
        request=EntryShareInputSerializer,
        responses={
            201: ShareOutputSerializer,
            400: SHARE_REFUSED,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        # Visibility first (404 as if missing); whether the caller may disclose it is the gate's rule (400).
        # Not logged as a read: the share itself is logged by the gate.
        entry = access.get_or_404(request.user, CaseEntry, pk, queryset=self.base_queryset(), log=False)
        data = _validated(EntryShareInputSerializer, request)
        record = services.entry_share(entry=entry, acting_user=request.user, **data)
        return share_response(request, record)
