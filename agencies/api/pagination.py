from django.core.exceptions import ValidationError
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from agencies.access import Page

MAX_PAGE_SIZE = 100


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
