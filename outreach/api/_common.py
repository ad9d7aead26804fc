"""What every outreach API view shares: validated input, the version rule, documented responses, and the
prefetches that carry only what the caller may see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch
from rest_framework.response import Response

from agencies import access
from agencies.api import responses
from agencies.api.views import FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, VALIDATION_ERROR
from agencies.api.viewsets import GatedViewSet
from cases.api.group_views import NOT_OWNER, _update_responses, _version
from cases.api.views import CONFLICT, READ_ONLY_SHARE, _validated
from cases.models import ExitCase

__all__ = [
    "CONFLICT",
    "FORBIDDEN",
    "NOT_FOUND",
    "NOT_OWNER",
    "READ_ONLY_SHARE",
    "RecordViewSet",
    "UNAUTHENTICATED",
    "VALIDATION_ERROR",
    "case_visible",
    "list_responses",
    "visible_prefetch",
    "_update_responses",
    "_validated",
    "_version",
]


def list_responses(output) -> dict:
    return {200: output(many=True), 400: VALIDATION_ERROR, 401: UNAUTHENTICATED, 403: FORBIDDEN}


def visible_prefetch(user, field: str, model) -> Prefetch:
    """Prefetch a many-to-many of protected records into `visible_<field>`, only those the user may see (one
    query for a whole page)."""
    return Prefetch(field, queryset=access.visible(user, model).order_by("pk"), to_attr=f"visible_{field}")


def case_visible(user) -> Exists:
    """Annotation: whether the user may see the row's exit case (a subquery, not a query per row)."""
    return Exists(access.visible(user, ExitCase).filter(pk=OuterRef("exit_case_id")))


class RecordViewSet(GatedViewSet):
    """The answers every outreach viewset gives alike: a record as the list shows it (read again through
    `base_queryset`, so the gated prefetches apply), and a created one with its Location."""

    def retrieve(self, request, pk=None):
        return Response(self.get_serializer(self.get_object()).data)

    def shown(self, obj, *, created: bool = False) -> Response:
        out = self.get_serializer(self.base_queryset().get(pk=obj.pk))
        if created:
            return responses.created(out.data)
        return Response(out.data)
