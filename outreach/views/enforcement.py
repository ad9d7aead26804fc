"""Enforcement responses: the list, deciding one, the response page with every participating agency's levers
as one timeline (each lever only where the user may see it), editing, and adding or updating a lever."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Agency
from cases.views.share import share_rows

from .. import selectors, services
from ..filters.enforcement import ResponseFilter
from ..forms.enforcement import LeverForm, LeverUpdateForm, ResponseForm, ResponseUpdateForm
from ..models import EnforcementResponse, Lever
from ..selectors.enforcement import with_visible_group
from ..services.enforcement import participants
from ._common import (
    HtmxHttpRequest,
    edit_with_conflict,
    error_summary,
    field_for,
    forbidden,
    gated_list,
    htmx_login_redirect,
    member_required,
    polish_filters,
)

FILTER_FIELDS = ("group", "status", "communicated", "decided_from", "decided_to")
ERROR_FIELDS = {
    "legal_basis_required": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "assessment_required": "assessment",
    "not_participant": "share_with",
    "dates": "ends_on",
}


def _field_for(exc: ApplicationError, form) -> str | None:
    return field_for(exc, form, ERROR_FIELDS)


@require_GET
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def response_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = ResponseFilter(request.GET or None, queryset=with_visible_group(request.user), request=request)
    polish_filters(filterset.form)
    return gated_list(
        request,
        model=EnforcementResponse,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="outreach/response_list.html",
        partial="outreach/_partials/response_results.html",
    )


@require_http_methods(["GET", "POST"])
@member_required
def response_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {"group": request.GET.get("group")} if request.GET.get("group") else None
    form = ResponseForm(data, initial=initial, user=request.user, own_agency_id=actor.agency_id)
    if data is not None and form.is_valid():
        try:
            response = services.response_decide(
                acting_user=request.user, group=form.cleaned_data["group"], **form.values()
            )
        except ApplicationError as exc:
            form.add_error(_field_for(exc, form), exc.message)
        else:
            messages.success(request, _("Insatsen har registrerats."))
            return redirect("response-detail", pk=response.pk)
    return render(request, "outreach/response_form.html", {"form": form, "response": None, **error_summary(form)})


@require_GET
@member_required
def response_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    response = access.get_or_404(user, EnforcementResponse, pk, queryset=with_visible_group(user))  # logged
    levers = list(selectors.levers(user, response))
    if levers:
        audit.record_list(user=user, agency_id=actor.agency_id, model=Lever, objects=levers)
    linked = selectors.linked(user, response)
    is_owner = access.owns(user, response)
    changeable = access.can_each(user, levers, "change")
    owned = access.owned_ids(user, levers)
    return render(
        request,
        "outreach/response_detail.html",
        {
            "response": response,
            "levers": [
                {"lever": lever, "can_change": lever.pk in changeable, "own": lever.pk in owned} for lever in levers
            ],
            "agencies": sorted({lever.owner_agency.name for lever in levers}),
            "participants": sorted(participants(response), key=lambda a: a.name) if is_owner else [],
            **linked,
            "is_owner": is_owner,
            "can_change": access.can(user, response, "change"),
            "shares": share_rows(access.shares_of(response), "enforcement_response") if is_owner else [],
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def response_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    response = access.get_or_404(user, EnforcementResponse, pk, queryset=with_visible_group(user))  # logged
    back = reverse("response-detail", kwargs={"pk": response.pk})
    if not access.can(user, response, "change"):
        return forbidden(request, _("Du får läsa men inte ändra insatsen."), back_url=back)
    editable = access.owns(user, response)

    def make_forms(response: EnforcementResponse, data):
        initial = ResponseUpdateForm.initial_for(response, user=user)
        return (
            ResponseUpdateForm(
                data, initial=initial, user=user, own_agency_id=actor.agency_id, participants_editable=editable
            ),
        )

    def save(response: EnforcementResponse, form) -> bool:
        services.response_update(
            response=response, acting_user=user, expected_version=form.cleaned_data["version"], **form.values()
        )
        return True

    return edit_with_conflict(
        request,
        response,
        make_forms=make_forms,
        save=save,
        done_url=lambda r: reverse("response-detail", kwargs={"pk": r.pk}),
        template="outreach/response_form.html",
        context=lambda r: {"response": r},
        error_field=_field_for,
    )


@require_http_methods(["GET", "POST"])
@member_required
def lever_add(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    response = access.get_or_404(user, EnforcementResponse, pk, queryset=selectors.response_base(), log=False)
    receivers = Agency.objects.filter(pk__in=[a.pk for a in participants(response)]).exclude(pk=actor.agency_id)
    form = LeverForm(request.POST if request.method == "POST" else None, receivers=receivers.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            services.lever_add(response=response, acting_user=user, **form.values())
        except ApplicationError as exc:
            form.add_error(_field_for(exc, form), exc.message)
        else:
            messages.success(request, _("Åtgärden har lagts till."))
            return redirect("response-detail", pk=response.pk)
    return render(
        request, "outreach/lever_form.html", {"form": form, "response": response, "lever": None, **error_summary(form)}
    )


def _lever_queryset(user):
    return Lever.objects.select_related("response", "response__group", "owner_agency").filter(
        response__in=access.visible(user, EnforcementResponse).values("pk")
    )


@require_http_methods(["GET", "POST"])
@member_required
def lever_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    lever = access.get_or_404(user, Lever, pk, queryset=_lever_queryset(user))  # logged
    back = reverse("response-detail", kwargs={"pk": lever.response_id})
    if not access.can(user, lever, "change"):
        return forbidden(request, _("Du får läsa men inte ändra åtgärden."), back_url=back)

    def make_forms(lever: Lever, data):
        return (LeverUpdateForm(data, initial=LeverUpdateForm.initial_for(lever)),)

    def save(lever: Lever, form) -> bool:
        services.lever_update(
            lever=lever, acting_user=user, expected_version=form.cleaned_data["version"], **form.values()
        )
        return True

    return edit_with_conflict(
        request,
        lever,
        make_forms=make_forms,
        save=save,
        done_url=lambda lever: reverse("response-detail", kwargs={"pk": lever.response_id}),
        template="outreach/lever_form.html",
        context=lambda lever: {"lever": lever, "response": lever.response},
        error_field=_field_for,
    )
