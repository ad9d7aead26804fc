"""Recording who and what was involved in an incident. Only the incident's owner agency does this (the
services refuse anyone else); the groups and persons offered are those the user may see."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError

from .. import selectors, services
from ..forms.incidents import IncidentGroupForm, IncidentPersonForm, PersonSearchForm
from ..models import Incident, Individual
from ._common import error_summary, forbidden, member_required

# Enough to pick from; a longer list means the search should be narrower.
MAX_CANDIDATES = 20


def _owned_incident(request: HttpRequest, pk: int, actor: Actor) -> tuple[Incident, HttpResponse | None]:
    incident = access.get_or_404(request.user, Incident, pk, queryset=selectors.incident_base())  # logged
    if not access.owns(request.user, incident):
        # Visible (so not a 404), but only the data controller records who was involved.
        return incident, forbidden(
            request,
            _("Endast den myndighet som äger händelsen kan registrera inblandade."),
            back_url=reverse("incident-detail", kwargs={"pk": incident.pk}),
            back_label=_("Tillbaka till händelsen"),
        )
    return incident, None


@require_http_methods(["GET", "POST"])
@member_required
def incident_group_add(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    incident, refused = _owned_incident(request, pk, actor)
    if refused:
        return refused
    form = IncidentGroupForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        group = form.cleaned_data["group"]
        try:
            services.incident_add_group(
                incident=incident,
                acting_user=request.user,
                group=group,
                certainty=form.cleaned_data["certainty"],
                side=form.cleaned_data["side"],
            )
        except ApplicationError as exc:
            form.add_error("group" if exc.code in ("duplicate", "not_found") else None, exc.message)
        else:
            messages.success(request, _("%(group)s har lagts till i händelsen.") % {"group": group.name})
            return redirect(reverse("incident-detail", kwargs={"pk": incident.pk}) + "#groups-heading")
    return render(
        request, "cases/incident_group_form.html", {"incident": incident, "form": form, **error_summary(form)}
    )


@require_http_methods(["GET", "POST"])
@member_required
def incident_person_add(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    incident, refused = _owned_incident(request, pk, actor)
    if refused:
        return refused
    data = request.POST if request.method == "POST" else None
    term = ((data or request.GET).get("q") or "").strip()
    candidates: list[Individual] = []
    if term:
        visible = access.visible(request.user, Individual, queryset=selectors.individual_base())
        matches = selectors.individual_search(user=request.user, queryset=visible, term=term)
        candidates = list(matches.order_by("alias", "pk")[:MAX_CANDIDATES])
        if candidates:
            # The search results are a list read like any other: log which persons were shown.
            audit.record_list(user=request.user, agency_id=actor.agency_id, model=Individual, objects=candidates)

    form = IncidentPersonForm(data, user=request.user, candidates=candidates, initial={"q": term})
    if data is not None and form.is_valid():
        individual = form.cleaned_data["individual"]
        role = form.cleaned_data["role"]
        try:
            row = services.incident_add_person(
                incident=incident,
                acting_user=request.user,
                individual=individual,
                role=role,
                notes=form.cleaned_data["notes"].strip(),
            )
        except ApplicationError as exc:
            form.add_error("individual" if exc.code in ("duplicate", "not_found") else None, exc.message)
        else:
            messages.success(
                request,
                _("%(alias)s har lagts till i händelsen som %(role)s.")
                % {"alias": individual.alias, "role": row.get_role_display().lower()},
            )
            return redirect(reverse("incident-detail", kwargs={"pk": incident.pk}) + "#persons-heading")
    return render(
        request,
        "cases/incident_person_form.html",
        {
            "incident": incident,
            "form": form,
            "term": term,
            # Its own id prefix: the add form carries the same `q` as a hidden field.
            "search_form": PersonSearchForm(initial={"q": term}, auto_id="search_%s"),
            "candidates": candidates,
            "max_candidates": MAX_CANDIDATES,
            **error_summary(form),
        },
    )
