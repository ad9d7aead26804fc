"""A lead's count of refused attempts on their agency's records, per trying user (agencies.audit.record_denied)."""

from django.core.paginator import Paginator
from django.shortcuts import render

from agencies import selectors

from .decorators import lead_required

PAGE_SIZE = 50


@lead_required
def denied_access(request, *, actor):
    page_obj = Paginator(selectors.denied_access_per_user(agency_id=actor.agency_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "agencies/denied_access.html", {"page_obj": page_obj, "actor": actor})
