"""API for the goals of joint cases' plans (`/api/v1/plan-goals/`): read, write, change status, share.

A goal belongs to the agency that wrote it and is protected like an entry: visible to its owner and to the
participants it was shared with (the joint plan is what the lead agency shares, on a basis), and only together
with its case — a goal the caller may not see answers 404 like a missing one. Only the owner (or an agency it
shared the goal with on the change level) changes its status. The views only translate.
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.response import Response

from agencies import access
from agencies.api.responses import created
from agencies.api.serializers import ShareOutputSerializer
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from agencies.filters.gated import GatedChoiceFilter
from cases import services
from cases.models import ExitCase, PlanGoal

from .exit_case_serializers import (
    GoalCreateInputSerializer,
    GoalOutputSerializer,
    GoalStatusInputSerializer,
    PlanShareInputSerializer,
)
from .exit_case_views import SHARE_REFUSED, share_response
from .views import _validated, visible_cases


class GoalFilter(django_filters.FilterSet):
    case = GatedChoiceFilter(kind="exit_case", label=_("Ärende"), queryset=visible_cases)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlanGoal.Status.choices)

    class Meta:
        model = PlanGoal
        fields = ["case", "status"]


@extend_schema_view(
    list=extend_schema(
        summary="Mål i planerna som din myndighet får se",
        description=(
            "Din myndighets egna mål och mål som delats med den, i ärenden som din myndighet också får se, nyaste "
            "först, med sidmarkör. Ett mål som delats med dig har `provenance`: från vem, när, på vilken grund och "
            "till när. Anropet loggas med de id som returnerades."
        ),
        responses={200: GoalOutputSerializer(many=True), 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="Ett mål",
        description="404 om målet inte är din myndighets eller delat med den, eller om ärendet inte är synligt. "
        "Läsningen loggas.",
        responses={200: GoalOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Lägg till ett mål i ett ärendes plan",
        description="Målet blir din myndighets; de andra deltagarna ser det när du delar det (`share`).",
        request=GoalCreateInputSerializer,
        responses={201: GoalOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
)
class PlanGoalViewSet(GatedViewSet):
    """Mål i gemensamma ärendens planer: varje mål ägs av myndigheten som skrev det."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    model = PlanGoal
    serializer_class = GoalOutputSerializer
    filterset_class = GoalFilter
    lookup_value_regex = r"\d+"

    def base_queryset(self):
        # A goal is shown only with its case: the gate adds the goal's own check.
        cases = access.visible(self.request.user, ExitCase).values("pk")
        return PlanGoal.objects.select_related("owner_agency", "case").filter(case__in=cases)

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def create(self, request):
        data = _validated(GoalCreateInputSerializer, request)
        goal = services.goal_add(acting_user=request.user, **data)
        return created(self.get_serializer(self.base_queryset().get(pk=goal.pk)).data)

    @extend_schema(
        summary="Ändra ett måls status",
        description="Bara myndigheten som skrev målet (eller som fått det med ändringsbehörighet); andra som ser "
        "målet får 403.",
        request=GoalStatusInputSerializer,
        responses={
            200: GoalOutputSerializer,
            400: VALIDATION_ERROR,
            401: UNAUTHENTICATED,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        goal = self.get_object()
        data = _validated(GoalStatusInputSerializer, request)
        services.goal_set_status(goal=goal, acting_user=request.user, status=data["status"])
        return Response(self.get_serializer(self.base_queryset().get(pk=goal.pk)).data)

    @extend_schema(
        summary="Dela ett mål med en annan deltagande myndighet",
        description=(
            "Bara målets ägande myndighet delar, och bara med en myndighet som deltar i ärendet, på en rättslig grund "
            "som passar avsändare, mottagare och uppgift. Utlämnandet hamnar i utlämnanderegistret "
            "(`/api/v1/shares/`, där det också återkallas)."
        ),
        request=PlanShareInputSerializer,
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
        goal = access.get_or_404(request.user, PlanGoal, pk, queryset=self.base_queryset(), log=False)
        data = _validated(PlanShareInputSerializer, request)
        return share_response(request, services.plan_share(record=goal, acting_user=request.user, **data))
