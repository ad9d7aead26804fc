"""Exports of what a dashboard shows (CSV, Excel) and the printable quarterly report of the joint figures."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from agencies.access import Actor
from agencies.views.decorators import agency_member_required, lead_required

from .. import selectors
from ..exports import as_csv, as_xlsx
from .pages import joint_filters, lead_filters

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _respond(context: dict, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(as_csv(context), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(as_xlsx(context), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@agency_member_required
def joint_export(request: HttpRequest, fmt: str, *, actor: Actor) -> HttpResponse:
    _form, year, district_id = joint_filters(request)
    context = selectors.joint_dashboard(year=year, district_id=district_id)
    return _respond(context, fmt, f"gemensam-instrumentpanel-{year}")


@lead_required
def lead_export(request: HttpRequest, fmt: str, *, actor: Actor) -> HttpResponse:
    _form, period = lead_filters(request)
    context = selectors.lead_dashboard(agency_id=actor.agency_id, period=period)
    return _respond(context, fmt, f"instrumentpanel-{period.start:%Y-%m}")


@agency_member_required
def quarterly_report(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    """The steering group's quarterly report: the joint figures of a year, printed (static/css/print.css)."""
    form, year, district_id = joint_filters(request)
    quarter = request.GET.get("quarter", "")
    quarter_number = int(quarter) if quarter in ("1", "2", "3", "4") else None
    context = selectors.joint_dashboard(year=year, district_id=district_id)
    return render(request, "dashboards/report.html", {**context, "form": form, "quarter": quarter_number,
                                                      "actor": actor})  # fmt: skip
