from django.core.paginator import Paginator
from django.shortcuts import render

from agencies import selectors
from agencies.filters.access_log import AccessLogFilter

from .decorators import lead_required

PAGE_SIZE = 50


@lead_required
def access_log(request, *, actor):
    filterset = AccessLogFilter(
        request.GET, queryset=selectors.access_log_entries(agency_id=actor.agency_id), request=request
    )
    # An invalid filter (say, a user of another agency) shows nothing rather than silently everything.
    entries = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agencies/access_log.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "entries": selectors.access_log_rows(page_obj),
            "actor": actor,
        },
    )
