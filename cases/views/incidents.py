"""The incident register: the list with its month-by-month count, the incident page, create and edit.

Every incident, group, involvement and person shown comes through agencies.access (the gate); a link
between records is shown only where the user may see the link and both ends (cases.selectors.registry).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import selectors, services
from ..filters.incidents import IncidentFilter
from ..forms.incidents import IncidentForm, IncidentUpdateForm
from ..models import CriminalGroup, Incident, IncidentPerson
from ._common import error_summary, forbidden, htmx_login_redirect, member_required
from ._editing import edit_with_conflict
from ._listing import gated_list
from .incident_months import month_chart
from .list import HtmxHttpRequest
from .share import share_rows

FILTER_FIELDS = ("q", "occurred_from", "occurred_to", "kind", "district", "group")


@require_GET
# The same URL answers with the whole page or only the results, so caches must tell the two apart.
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def incident_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = IncidentFilter(request.GET or None, queryset=selectors.incident_base(), request=request)
    _polish_filter_form(filterset.form)
    return gated_list(
        request,
        model=Incident,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="cases/incident_list.html",
        partial="cases/_partials/incident_results.html",
        extra=lambda page: _month_context(request, filterset),
    )


def _month_context(request, filterset) -> dict:
    # Counted over every visible incident the filters select, not only this page. Aggregates of records
    # the user may see; nothing about an invisible incident enters them.
    months = selectors.incidents_by_month(access.visible(request.user, Incident, queryset=filterset.qs))
    # The chart runs to this month (or to the filter's end date, if earlier), not to the last incident.
    through = timezone.localdate()
    until = filterset.form.cleaned_data.get("occurred_to") if filterset.is_valid() else None
    if until is not None and until < through:
        through = until
    return {"months": months, "chart": month_chart(months, through)}


def _polish_filter_form(form) -> None:
    # The FilterSet is shared with the API; these touches only concern the HTML form.
    form.fields["q"].widget.input_type = "search"
    for name in ("occurred_from", "occurred_to"):
        form.fields[name].widget.input_type = "date"
        form.fields[name].widget.format = "%Y-%m-%d"
    # django-filter's choice field prepends its own empty choice when its choices are set: set them again
    # after the label.
    form.fields["kind"].empty_label = _("Alla typer")
    form.fields["kind"].choices = Incident.Kind.choices
    form.fields["district"].empty_label = _("Alla stadsdelar")
    form.fields["group"].empty_label = _("Alla grupperingar")


@require_GET
@member_required
def incident_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    incident = access.get_or_404(request.user, Incident, pk, queryset=selectors.incident_base())  # logged
    groups = list(selectors.incident_groups(request.user, incident))
    persons = list(selectors.incident_persons(request.user, incident))
    # Which links between records this page showed. Empty sections are not shown, so there is no read
    # to log.
    if groups:
        audit.record_list(
            user=request.user, agency_id=actor.agency_id, model=CriminalGroup, objects=[row.group for row in groups]
        )
    if persons:
        audit.record_list(user=request.user, agency_id=actor.agency_id, model=IncidentPerson, objects=persons)
    is_owner = access.owns(request.user, incident)
    return render(
        request,
        "cases/incident_detail.html",
        {
            "incident": incident,
            "groups": groups,
            "persons": persons,
            "is_owner": is_owner,
            "can_change": access.can(request.user, incident, "change"),
            # The owner's disclosure register of the incident itself; each involvement is shared on its own
            # (never along with the incident or the person), from its row.
            "shares": share_rows(access.shares_of(incident), "incident") if is_owner else [],
            # Which involvements the agency may share (only the data controller discloses).
            "owned_persons": access.owned_ids(request.user, persons),
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def incident_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    form = IncidentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_record(acting_user=request.user, **form.values())
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Händelsen har registrerats."))
            return redirect("incident-detail", pk=incident.pk)
    return render(request, "cases/incident_form.html", {"form": form, "incident": None, **error_summary(form)})


@require_http_methods(["GET", "POST"])
@member_required
def incident_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    # Seeing comes first, so an incident the user may not see is a 404 like any missing one; only then 403.
    incident = access.get_or_404(request.user, Incident, pk, queryset=selectors.incident_base())  # logged
    if not access.can(request.user, incident, "change"):
        return forbidden(
            request,
            _("Du får läsa uppgifterna om den här händelsen men inte ändra dem."),
            back_url=reverse("incident-detail", kwargs={"pk": incident.pk}),
            back_label=_("Tillbaka till händelsen"),
        )

    def make_forms(incident: Incident, data) -> tuple[IncidentUpdateForm]:
        if data is None:
            return (_fresh_form(incident),)
        return (IncidentUpdateForm(data, current_district_id=incident.district_id),)

    def save(incident: Incident, form: IncidentUpdateForm) -> bool:
        changed = _changes(incident, form.values())
        if changed:
            services.incident_update(
                incident=incident, acting_user=request.user, expected_version=form.cleaned_data["version"], **changed
            )
        return bool(changed)

    return edit_with_conflict(
        request,
        incident,
        make_forms=make_forms,
        save=save,
        done_url=lambda incident: reverse("incident-detail", kwargs={"pk": incident.pk}),
        template="cases/incident_form.html",
        context=lambda incident: {"incident": incident},
    )


def _fresh_form(incident: Incident) -> IncidentUpdateForm:
    return IncidentUpdateForm(initial=IncidentForm.initial_for(incident), current_district_id=incident.district_id)


def _changes(incident: Incident, values: dict) -> dict:
    changed = {name: value for name, value in values.items() if getattr(incident, name) != value}
    # The form shows the time to the minute; an unchanged field must not wipe the stored seconds.
    stored = incident.occurred_at.replace(second=0, microsecond=0)
    if "occurred_at" in changed and changed["occurred_at"] == stored:
        del changed["occurred_at"]
    return changed
