"""The joint dashboard (every member of every agency), a lead's dashboard (their own agency) and the lead's
drill-down lists. Thin: a filter form, a selector, a template."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from agencies import audit
from agencies.access import Actor
from agencies.views.decorators import agency_member_required, lead_required

from .. import selectors
from ..forms.filters import JointFilterForm, LeadFilterForm, _month
from ..selectors.common import month_after
from ..selectors.drill import DRILLS, drill_records

PAGE_SIZE = 50


def joint_filters(request: HttpRequest) -> tuple[JointFilterForm, int, int | None]:
    form = JointFilterForm(request.GET or None, years=selectors.years())
    if form.is_bound and form.is_valid():
        district = form.cleaned_data["district"]
        return form, form.cleaned_data["year"], district.pk if district else None
    return form, form.default_year, None


def lead_filters(request: HttpRequest) -> tuple[LeadFilterForm, selectors.Period]:
    form = LeadFilterForm(request.GET or {})
    if form.is_valid():
        data = form.cleaned_data
        district = data["district"]
        period = selectors.Period(data["start"], month_after(data["end"]), district.pk if district else None)
    else:
        default = LeadFilterForm({})
        default.is_valid()
        period = selectors.Period(default.cleaned_data["start"], month_after(default.cleaned_data["end"]))
    return form, period


@agency_member_required
def joint(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form, year, district_id = joint_filters(request)
    context = selectors.joint_dashboard(year=year, district_id=district_id)
    return render(request, "dashboards/joint.html", {**context, "form": form, "actor": actor,
                                                     "query": request.GET.urlencode()})  # fmt: skip


@lead_required
def lead(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form, period = lead_filters(request)
    context = selectors.lead_dashboard(agency_id=actor.agency_id, period=period)
    return render(request, "dashboards/lead.html", {**context, "form": form, "period": period, "actor": actor,
                                                    "query": request.GET.urlencode()})  # fmt: skip


@lead_required
def drill(request: HttpRequest, figure: str, *, actor: Actor) -> HttpResponse:
    if figure not in DRILLS:
        raise Http404
    try:
        month = _month(request.GET.get("month", ""))
    except Exception as exc:  # a malformed month is a missing page, not an error
        raise Http404 from exc
    district = request.GET.get("district")
    district_id = int(district) if district and district.isdigit() else None
    records = drill_records(
        user=request.user, actor=actor, figure=figure, month=month, next_month=month_after(month),
        district_id=district_id,
    )  # fmt: skip
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    if page.object_list:
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=DRILLS[figure].model,
                          objects=page.object_list)  # fmt: skip
    return render(request, "dashboards/drill.html", {
        "drill": DRILLS[figure], "figure": figure, "month": month, "page_obj": page, "actor": actor,
        "base_query": f"month={month:%Y-%m}" + (f"&district={district_id}" if district_id else ""),
    })  # fmt: skip
