"""API for the tasks of joint cases (`/api/v1/tasks/`).

A task belongs to the agency that wrote it and is protected like an entry: visible to its owner, to the
assignee agency (to which it was disclosed on the change level when it was given) and to the participants it
was shared with, and only together with its case (cases.selectors.visible_tasks) — any other answers 404 like
a missing one. Its goal and entry are named only to those who may see them. Lists log the tasks shown and the
entries named, as the task pages do. The views only translate.
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.utils.serializer_helpers import ReturnList

from agencies import access, audit
from agencies.api.pagination import MAX_PAGE_SIZE, BoundedCursorPagination
from agencies.api.responses import created
from agencies.api.serializers import ShareOutputSerializer
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.filters.gated import GatedChoiceFilter
from agencies.models import Action
from cases import selectors, services
from cases.models import CaseEntry, Task

from .exit_case_serializers import (
    PlanShareInputSerializer,
    TaskCreateInputSerializer,
    TaskOutputSerializer,
    TaskStatusInputSerializer,
)
from .exit_case_views import SHARE_REFUSED, share_response
from .views import _validated, visible_cases


def _late() -> Q:
    return Q(status=Task.Status.OPEN, due_on__lt=timezone.localdate())


class TaskFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(
        label=_("Mina öppna uppgifter (tilldelade mig, eller min myndighet utan namngiven handläggare)"),
        method="filter_mine",
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Task.Status.choices)
    # An invisible case is as invalid a choice as a missing one.
    case = GatedChoiceFilter(kind="exit_case", label=_("Ärende"), queryset=visible_cases)
    overdue = django_filters.BooleanFilter(label=_("Försenade (öppna, sista dagen passerad)"), method="filter_overdue")

    class Meta:
        model = Task
        fields = ["mine", "status", "case", "overdue"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        # selectors.my_tasks holds the rule for "mine"; reused as a subquery so the two never drift apart.
        return queryset.filter(pk__in=selectors.my_tasks(self.request.user).values("pk"))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(_late()) if value else queryset.exclude(_late())


class TaskCursorPagination(BoundedCursorPagination):
    # Earliest due first: the overdue open tasks come at the top of the first page.
    ordering = ("due_on", "id")
    cursor_query_description = _("Sidmarkör från `next` eller `previous`.")
    page_size_query_description = _("Rader per sida.")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


NOT_ASSIGNEE = OpenApiResponse(
    VALIDATION_ERROR.response,
    description="Ogiltiga uppgifter, eller en regel nekar (`detail` och `code`, t.ex. `not_assignee` när din "
    "myndighet varken är ansvarig för uppgiften eller leder ärendet).",
)


@extend_schema_view(
    list=extend_schema(
        summary="Uppgifter i ärenden som din myndighet deltar i",
        description=(
            "Tidigast sista dag först, med sidmarkör. `mine=true` ger dina öppna uppgifter, `overdue=true` de "
            "försenade. Anropet loggas: ärendena som visas och de journalposter som uppgifterna pekar på."
        ),
        responses={200: TaskOutputSerializer(many=True), 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="En uppgift",
        description="404 om uppgiften inte är din myndighets, inte getts till den och inte delats med den, eller om "
        "ärendet inte är synligt. Läsningen loggas.",
        responses={200: TaskOutputSerializer, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Lägg till en uppgift i ett ärende",
        description=(
            "Ärendet måste vara synligt för dig och den ansvariga myndigheten delta i det; en namngiven handläggare "
            "måste arbeta där. Ett mål eller en journalpost måste höra till samma ärende. Uppgiften blir din "
            "myndighets; ges den till en annan myndighet lämnas den ut till den på `legal_basis` (med `assessment` "
            "där grunden kräver en bedömning), och det syns i utlämnanderegistret."
        ),
        request=TaskCreateInputSerializer,
        responses={201: TaskOutputSerializer, 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN},
    ),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Uppgifter i gemensamma ärenden: rubrik, ansvarig myndighet och handläggare, sista dag och status."""

    # Docstrings of API views are the API's documentation (drf-spectacular), so they are in Swedish.
    serializer_class = TaskOutputSerializer
    filterset_class = TaskFilter
    pagination_class = TaskCursorPagination
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.visible_tasks(self.request.user)

    def list(self, request):
        tasks = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._rows(tasks))

    def retrieve(self, request, pk=None):
        task = self.get_object()
        return Response(self._rows([task], log=Action.VIEW)[0])

    def create(self, request):
        data = _validated(TaskCreateInputSerializer, request)
        task = services.task_add(acting_user=request.user, **data)
        body = self._rows([self.get_queryset().get(pk=task.pk)], log=None)[0]
        return created(body)

    @extend_schema(
        summary="Ändra en uppgifts status",
        description="Klar, struken eller öppen igen. Bara myndigheten som skrev uppgiften eller den ansvariga "
        "myndigheten.",
        request=TaskStatusInputSerializer,
        responses={200: TaskOutputSerializer, 400: NOT_ASSIGNEE, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, pk=None):
        task = self.get_object()
        data = _validated(TaskStatusInputSerializer, request)
        services.task_set_status(task=task, acting_user=request.user, status=data["status"])
        return Response(self._rows([self.get_queryset().get(pk=task.pk)], log=None)[0])

    @extend_schema(
        summary="Dela en uppgift med en annan deltagande myndighet",
        description=(
            "Bara uppgiftens ägande myndighet delar, och bara med en myndighet som deltar i ärendet, på en rättslig "
            "grund som passar avsändare, mottagare och uppgift. Utlämnandet hamnar i utlämnanderegistret."
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
        task = self.get_object()
        data = _validated(PlanShareInputSerializer, request)
        return share_response(request, services.plan_share(record=task, acting_user=request.user, **data))

    def _rows(self, tasks: Iterable[Task], *, log: str | None = Action.LIST) -> ReturnList:
        """Serialized tasks, each naming its goal and entry only where the caller may see them; and the log of
        the read: the tasks themselves, and the entries named."""
        tasks = list(tasks)
        seen_entries = selectors.task_entry_visible(self.request.user, tasks)  # one query, none without entries
        goals = [task.goal for task in tasks if task.goal is not None]
        seen_goals = access.can_each(self.request.user, goals) if goals else set()
        if log is not None:
            actor = access.require_actor(self.request.user)
            audit.record(user=self.request.user, agency_id=actor.agency_id, action=log, model=Task, objects=tasks)
            entries: list[CaseEntry] = []
            for task in tasks:
                entry = task.entry if task.entry_id in seen_entries else None
                if entry is not None:
                    # The entry is on the task's own case (services.task_add): reuse the loaded case, so the
                    # log row's person costs no query per entry.
                    entry.case = task.case
                    entries.append(entry)
            if entries:
                audit.record_list(user=self.request.user, agency_id=actor.agency_id, model=CaseEntry, objects=entries)
        context = {**self.get_serializer_context(), "entries": seen_entries, "goals": seen_goals}
        return TaskOutputSerializer(tasks, many=True, context=context).data
