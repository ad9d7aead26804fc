"""The person list: search and filters through the shared FilterSet, the page through the gate's fast path."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from agencies.access import Actor

from .. import selectors
from ..filters.individuals import IndividualFilter
from ..models import Individual
from ._common import htmx_login_redirect, member_required
from ._listing import gated_list

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
    return gated_list(
        request,
        model=Individual,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="cases/individual_list.html",
        partial="cases/_partials/individual_results.html",
    )


def _polish_filter_form(form) -> None:
    # The FilterSet is shared with the API; these touches only concern the HTML form.
    form.fields["q"].widget.input_type = "search"
    form.fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")
    form.fields["district"].empty_label = _("Alla stadsdelar")
    form.fields["birth_year"].widget.attrs.update(inputmode="numeric", min=1900)
