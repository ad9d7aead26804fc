from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from agencies.access import CURSOR_MAX_ID, CURSOR_YEARS, Page

MAX_PAGE_SIZE = 100
INVALID_CURSOR = _("Ogiltig sidmarkör.")


class GateCursorPagination(BasePagination):
    """Cursor pagination over a page the gate already cut (agencies.access.visible_page). No COUNT."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    default_page_size = 50

    def page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.default_page_size
        try:
            size = int(raw)
        except ValueError:
            raise ApiValidationError({"page_size": ["Ange ett heltal."]}) from None
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ApiValidationError({"page_size": [f"Ange ett tal mellan 1 och {MAX_PAGE_SIZE}."]})
        return size

    def cursor(self, request) -> str | None:
        return request.query_params.get(self.cursor_query_param) or None

    def link(self, request, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = request.build_absolute_uri()
        return replace_query_param(remove_query_param(url, self.cursor_query_param), self.cursor_query_param, cursor)

    def paginate(self, request, fetch) -> Page:
        """Calls fetch(cursor=..., size=...) and turns a bad cursor into a 400."""
        try:
            return fetch(cursor=self.cursor(request), size=self.page_size(request))
        except ValidationError as exc:
            raise ApiValidationError({self.cursor_query_param: exc.messages}) from None

    def response(self, request, page: Page, data) -> Response:
        return Response(
            {
                "next": self.link(request, page.next_cursor),
                "previous": self.link(request, page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "string"},
                "description": "Sidmarkör från `next` eller `previous`.",
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "description": "Rader per sida.",
            },
        ]


class BoundedCursorPagination(CursorPagination):
    """DRF's cursor pagination for the lists that are not protected records (shares, tasks), hardened.

    DRF answers a cursor it cannot decode with 404 and passes the position inside a decodable one straight
    to the database: year 1 or 9999 in a hand-made cursor overflowed the time-zone conversion (a 500). Both
    become the same 400 as the gate's lists: `{"cursor": ["Ogiltig sidmarkör."]}`.
    """

    def paginate_queryset(self, queryset, request, view=None):
        ordering = self.get_ordering(request, queryset, view)
        self._position_field = queryset.model._meta.get_field(ordering[0].lstrip("-"))
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ApiValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
        if cursor is not None and cursor.position is not None and not self._position_is_sane(cursor.position):
            raise ApiValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        return cursor

    def _position_is_sane(self, position: str) -> bool:
        field = getattr(self, "_position_field", None)
        if field is None:
            return True
        try:
            value = field.to_python(position)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return False
        if isinstance(value, datetime):
            return timezone.is_aware(value) and CURSOR_YEARS[0] <= value.year <= CURSOR_YEARS[1]
        if isinstance(value, date):
            return CURSOR_YEARS[0] <= value.year <= CURSOR_YEARS[1]
        if isinstance(value, int):
            return abs(value) <= CURSOR_MAX_ID
        return True
