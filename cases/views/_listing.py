"""The one shape every registry list shares: a FilterSet, a page through the gate's fast path, cursors,
and the results alone for htmx. The person, group, incident and case lists differ only in what they add."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from agencies import access
from agencies.access import Page

PAGE_SIZE = 50


def gated_list(
    request: HttpRequest,
    *,
    model,
    filterset,
    filter_fields: tuple[str, ...],
    template: str,
    partial: str,
    extra: Callable[[Page], dict] | None = None,
) -> HttpResponse:
    """Render one page of `model` that the user may see, newest first, filtered by `filterset`."""
    cursor = request.GET.get("cursor") or None
    cursor_error = None
    try:
        # Logs the ids it returns.
        page = access.visible_page(request.user, model, within=filterset.qs, cursor=cursor, size=PAGE_SIZE)
    except ValidationError:
        # A cursor edited by hand or from an old link: say so and start from the first page, never a 500.
        cursor_error = _("Länken till sidan var ogiltig. Visar första sidan i stället.")
        cursor = None
        page = access.visible_page(request.user, model, within=filterset.qs, size=PAGE_SIZE)

    query = request.GET.copy()
    query.pop("cursor", None)
    for key in list(query):
        if key not in filter_fields or not any(query.getlist(key)):
            del query[key]
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(query),
        "paged": cursor is not None,
        "cursor_error": cursor_error,
        **(extra(page) if extra else {}),
    }
    # The same URL answers with the whole page or only the results (the views vary on HX-Request). A
    # history restore — a reload or back to a URL htmx no longer has cached — needs the whole page
    # although it comes from htmx.
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, partial, context)
    return render(request, template, context)
