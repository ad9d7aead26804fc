"""The lead's access log: the agency's own entries in human terms, filtered, paged, exported as CSV, and per person
("who has read this person", for the leads of the agency that owns the person)."""

from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies import access, audit, selectors
from agencies.filters.access_log import AccessLogFilter
from agencies.models import Action
from agencies.selectors.log_export import csv_lines, log_export_started

from .decorators import agency_member_required, lead_required

PAGE_SIZE = 50


def _filtered(request, actor):
    filterset = AccessLogFilter(
        request.GET, queryset=selectors.access_log_entries(agency_id=actor.agency_id), request=request
    )
    # An invalid filter (say, a user of another agency) shows nothing rather than silently everything.
    entries = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    return filterset, entries


def _page(request, entries):
    page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_obj, selectors.describe_rows(user=request.user, entries=page_obj)


@lead_required
def access_log(request, *, actor):
    filterset, entries = _filtered(request, actor)
    page_obj, rows = _page(request, entries)
    return render(
        request,
        "agencies/access_log.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "rows": rows,
            "persons": filterset.persons(),
            "export_query": request.GET.urlencode(),
            "actor": actor,
        },
    )


def _export_filters(filterset) -> dict:
    """The filters of an export as the log keeps them: ids and days, never the person search's term."""
    data = filterset.form.cleaned_data
    kept = {
        "user": data["user"].pk if data.get("user") else None,
        "persons": data.get("person") or None,
        "kind": data.get("kind") or None,
        "action": data.get("action") or None,
        "date_from": data["date_from"].isoformat() if data.get("date_from") else None,
        "date_to": data["date_to"].isoformat() if data.get("date_to") else None,
    }
    return {key: value for key, value in kept.items() if value}


@lead_required
def access_log_export(request, *, actor):
    filterset, entries = _filtered(request, actor)
    if not filterset.is_valid():
        # The same page as a bad filter on the log: the form with its Swedish errors, never a 500 or a file.
        page_obj, rows = _page(request, entries)
        context = {"filter": filterset, "page_obj": page_obj, "rows": rows, "persons": [], "actor": actor}
        return render(request, "agencies/access_log.html", context, status=400)
    log_export_started(user=request.user, agency_id=actor.agency_id, filters=_export_filters(filterset))
    response = StreamingHttpResponse(
        csv_lines(user=request.user, entries=entries), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="atkomstlogg-{stamp}.csv"'
    return response


@agency_member_required
def person_reads(request, pk, *, actor):
    """Who at the agency has read, listed, changed or shared this person (and their identity details and records
    about them). Only the leads of the agency that owns the person; anyone else gets 404, as for a missing one."""
    if not actor.is_lead:
        raise Http404
    Person = selectors.person_model()
    person = access.find(request.user, Person, pk, log=False)
    if person is None or not access.owns(request.user, person):
        raise Http404
    # Logged only once it is certain the page is shown (a non-owner's 404 reads nothing).
    audit.record(user=request.user, agency_id=actor.agency_id, action=Action.VIEW, model=Person, objects=[person])
    entries = selectors.about_persons(selectors.access_log_entries(agency_id=actor.agency_id), [person.pk])
    page_obj, rows = _page(request, entries)
    return render(
        request,
        "agencies/person_reads.html",
        {"person": person, "page_obj": page_obj, "rows": rows, "actor": actor},
    )
