"""The person list: search and filters through the shared FilterSet, the page through the gate's fast path."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from agencies import access
from agencies.access import Actor

from .. import selectors
from ..filters import IndividualFilter
from ..models import Individual
from ._common import htmx_login_redirect, member_required

PAGE_SIZE = 50
FILTER_FIELDS = ("q", "district", "birth_year")


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails  # set by django_htmx.middleware.HtmxMiddleware


@require_GET
# The same URL answers with the whole page or only the results, so caches must tell the two apart.
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def individual_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = IndividualFilter(request.GET or None, queryset=selectors.individual_base(), request=request)
    _polish_filter_form(filterset.form)
    cursor = request.GET.get("cursor") or None
    cursor_error = None
    try:
        # Logs the ids it returns.
        page = access.visible_page(request.user, Individual, within=filterset.qs, cursor=cursor, size=PAGE_SIZE)
    except ValidationError:
        # A cursor edited by hand or from an old link: say so and start from the first page, never a 500.
        cursor_error = _("Länken till sidan var ogiltig. Visar första sidan i stället.")
        cursor = None
        page = access.visible_page(request.user, Individual, within=filterset.qs, size=PAGE_SIZE)

    query = request.GET.copy()
    query.pop("cursor", None)
    for key in list(query):
        if key not in FILTER_FIELDS or not any(query.getlist(key)):
            del query[key]
    context = {
        "filterset": filterset,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(query),
        "paged": cursor is not None,
        "cursor_error": cursor_error,
    }
    # A history restore (the user reloads or goes back to a pushed URL htmx no longer has cached) needs
    # the whole page, although it comes from htmx.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "cases/_partials/individual_results.html", context)
    return render(request, "cases/individual_list.html", context)


def _polish_filter_form(form) -> None:
    # The FilterSet is shared with the API; these touches only concern the HTML form.
    form.fields["q"].widget.input_type = "search"
    form.fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")
    form.fields["district"].empty_label = _("Alla stadsdelar")
    form.fields["birth_year"].widget.attrs.update(inputmode="numeric", min=1900)
