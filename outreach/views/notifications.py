"""Custom notifications: the list with filters, the form used after a visit (works on a phone), the page,
editing, and the legal-risk summary (police only; its own record, shown only where shared)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from agencies import access
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Agency
from cases.models import ExitCase
from cases.views.share import share_rows

from .. import selectors, services
from ..filters.notifications import NotificationFilter
from ..forms._fields import SpeakerFormSet, speaker_initial, speakers_of
from ..forms.notifications import LegalRiskForm, NotificationForm, NotificationUpdateForm
from ..models import CustomNotification
from ..selectors.notifications import with_visible_person
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

FILTER_FIELDS = ("q", "place_type", "message_delivered", "offer_accepted", "delivered_from", "delivered_to")
ERROR_FIELDS = {
    "future": "delivered_on",
    "no_offer": "offer_accepted",
    "follow_up_before": "follow_up_on",
    "legal_basis_required": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "assessment_required": "assessment",
    "police_only": "legal_risk",
    "not_found": "individual",
}


def _field_for(exc: ApplicationError, form) -> str | None:
    return field_for(exc, form, ERROR_FIELDS)


def _is_police(actor: Actor) -> bool:
    return Agency.objects.filter(pk=actor.agency_id, kind=Agency.Kind.POLICE).exists()


@require_GET
@vary_on_headers("HX-Request")
@htmx_login_redirect
@member_required
def notification_list(request: HtmxHttpRequest, *, actor: Actor) -> HttpResponse:
    filterset = NotificationFilter(request.GET or None, queryset=with_visible_person(request.user), request=request)
    polish_filters(filterset.form)
    del filterset.form.fields["individual"]  # the API's filter; the page searches by alias
    return gated_list(
        request,
        model=CustomNotification,
        filterset=filterset,
        filter_fields=FILTER_FIELDS,
        template="outreach/notification_list.html",
        partial="outreach/_partials/notification_results.html",
        extra=lambda page: {"repeats": selectors.repeats(request.user, page.items)},
    )


@require_http_methods(["GET", "POST"])
@member_required
def notification_create(request: HttpRequest, *, actor: Actor) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    initial = {"individual": request.GET.get("individual")} if request.GET.get("individual") else None
    form = NotificationForm(
        data, initial=initial, user=request.user, own_agency_id=actor.agency_id, is_police=_is_police(actor)
    )
    speakers = SpeakerFormSet(data, prefix="speakers")
    if data is not None and form.is_valid() and speakers.is_valid():
        values = form.values()
        try:
            notification = services.notification_record(
                acting_user=request.user,
                individual=form.cleaned_data["individual"],
                speakers=speakers_of(speakers),
                legal_risk=form.cleaned_data.get("legal_risk", ""),
                **values,
            )
        except ApplicationError as exc:
            form.add_error(_field_for(exc, form), exc.message)
        else:
            messages.success(request, _("Samtalet har registrerats."))
            return redirect("notification-detail", pk=notification.pk)
    return render(
        request,
        "outreach/notification_form.html",
        {"form": form, "speakers": speakers, "notification": None, **error_summary(form, *speakers.forms)},
    )


@require_GET
@member_required
def notification_detail(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    notification = access.get_or_404(user, CustomNotification, pk, queryset=with_visible_person(user))  # logged
    legal_risk = selectors.legal_risk_for(user, notification)  # logged when found
    is_owner = access.owns(user, notification)
    shares = []
    if is_owner:
        shares = share_rows(access.shares_of(notification), "notification")
    risk_shares = (
        share_rows(access.shares_of(legal_risk), "legal_risk") if legal_risk and access.owns(user, legal_risk) else []
    )
    nth, total = selectors.repeats(user, [notification])[notification.pk]
    case = access.find(user, ExitCase, notification.exit_case_id, log=False) if notification.exit_case_id else None
    return render(
        request,
        "outreach/notification_detail.html",
        {
            "notification": notification,
            "speakers": list(notification.speakers.all()),
            "team": list(notification.team_agencies.order_by("name")),
            "legal_risk": legal_risk,
            "is_owner": is_owner,
            "can_change": access.can(user, notification, "change"),
            "may_write_risk": _is_police(actor) and (legal_risk is None or access.can(user, legal_risk, "change")),
            "owns_risk": legal_risk is not None and access.owns(user, legal_risk),
            "shares": shares,
            "risk_shares": risk_shares,
            "nth": nth,
            "total": total,
            "case": case,
        },
    )


@require_http_methods(["GET", "POST"])
@member_required
def notification_update(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    notification = access.get_or_404(user, CustomNotification, pk, queryset=with_visible_person(user))  # logged
    back = reverse("notification-detail", kwargs={"pk": notification.pk})
    if not access.can(user, notification, "change"):
        return forbidden(request, _("Du får läsa men inte ändra samtalet."), back_url=back)
    data = request.POST if request.method == "POST" else None
    speakers = SpeakerFormSet(data, initial=speaker_initial(notification.speakers.all()), prefix="speakers")
    team_editable = access.owns(user, notification)

    def make_forms(notification: CustomNotification, data):
        form = NotificationUpdateForm(
            data,
            initial=NotificationUpdateForm.initial_for(notification),
            user=user,
            own_agency_id=actor.agency_id,
            is_police=False,
            team_editable=team_editable,
        )
        return (form,)

    def save(notification: CustomNotification, form) -> bool:
        if not speakers.is_valid():
            raise ApplicationError(_("Rätta uppgifterna om deltagarna."), code="speakers")
        values = form.values()
        accepted = values.pop("offer_accepted")
        services.notification_update(
            notification=notification,
            acting_user=user,
            expected_version=form.cleaned_data["version"],
            speakers=speakers_of(speakers),
            offer_accepted=True if accepted else (False if notification.offer_accepted else None),
            **values,
        )
        return True

    return edit_with_conflict(
        request,
        notification,
        make_forms=make_forms,
        save=save,
        done_url=lambda n: reverse("notification-detail", kwargs={"pk": n.pk}),
        template="outreach/notification_form.html",
        context=lambda n: {"notification": n, "speakers": speakers},
        error_field=_field_for,
    )


@require_http_methods(["GET", "POST"])
@member_required
def legal_risk(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    notification = access.get_or_404(user, CustomNotification, pk, queryset=with_visible_person(user), log=False)
    back = reverse("notification-detail", kwargs={"pk": notification.pk})
    if not _is_police(actor):
        return forbidden(request, _("Den juridiska riskbilden skrivs av Polisen."), back_url=back)
    current = selectors.legal_risk_for(user, notification)
    initial = {"text": current.text, "version": current.version} if current is not None else None
    form = LegalRiskForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_risk_set(
                notification=notification,
                acting_user=user,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ApplicationError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(request, _("Den juridiska riskbilden har sparats."))
            return redirect(back)
    return render(
        request,
        "outreach/legal_risk_form.html",
        {"form": form, "notification": notification, **error_summary(form)},
    )
