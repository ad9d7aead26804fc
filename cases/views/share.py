"""The share dialog: the owner agency discloses one of its records to another agency on a legal basis.

One view and one template for every kind in cases.shareables (a person — and, by a lead, their identity
details — a group, a relation, a membership, an incident, a person's part in an incident). A page mounts it
for its kind:

    path("<int:pk>/dela/", share.share_object, {"kind": "group"}, name="group-share")

and links to it, optionally with `?next=<the page to return to>`.

The records of a joint case (a case header, an entry) also name their receivers (the case's participants),
their own service (services.case_join, services.entry_share), and offer consent as a basis only where
selectors.consents_covering finds one for the chosen receiver; changing the receiver re-offers the bases
(htmx on the field, or a button without JavaScript) without saving anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from agencies import access, legal_bases, second_factor
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.forms.shares import ShareRevokeForm
from agencies.models import Agency, Share

from .. import disclosure, selectors, shareables
from ..forms.sharing import ShareForm
from ..models import Consent
from ._common import error_summary, forbidden, member_required

# Which form field a refusal from access.share is about, so the message sits next to what must change.
ERROR_FIELDS = {
    "legal_basis_required": "legal_basis",
    "legal_basis_inactive": "legal_basis",
    "consent_required": "legal_basis",
    "consent_not_covering": "legal_basis",
    "legal_basis_not_fitting": "legal_basis",
    "assessment_required": "assessment",
    "not_participant": "to_agency",
    "own_agency": "to_agency",
    "agency_inactive": "to_agency",
    "invalid_level": "level",
    "expiry_in_past": "expires_on",
    "lead_required": "what",
}
STEP_UP_MESSAGE = _(
    "Identitetsuppgifter delas bara efter att du nyss har bekräftat med en engångskod. Bekräfta och dela sedan igen."
)


@require_http_methods(["GET", "POST"])
@member_required
def share_object(request: HttpRequest, pk: int, *, kind: str, actor: Actor) -> HttpResponse:
    entry = shareables.get(kind)
    if entry is None:
        raise Http404
    obj = access.get_or_404(request.user, entry.model, pk, queryset=entry.queryset(request.user))  # logged
    if not access.owns(request.user, obj):
        # Visible (so not a 404) but only the data controller may disclose it.
        return forbidden(request, str(entry.not_owner_message), back_url=entry.back_url(obj))

    parts = entry.parts(request.user, actor, obj)
    data = request.POST if request.method == "POST" else None
    # "refresh": the receiver changed (htmx, or the button shown without JavaScript); offer the bases that
    # fit it, keeping what was typed, and save nothing.
    refresh = data is not None and "refresh" in data
    receivers = entry.receivers(request.user, actor, obj) if entry.receivers else None
    receiver = _chosen_receiver(receivers, data or request.GET)
    # Consent is a basis for records about one person (what a consent is about); the rest is the law's table.
    about_person = obj.audit_person_id() is not None
    fit = legal_bases.fitting_bases(sender=actor.agency_kind, receiver=receiver, obj=obj)
    form = ShareForm(
        None if refresh else data,
        initial=data.dict() if data is not None and refresh else (request.GET.dict() or None),
        own_agency_id=actor.agency_id,
        parts=[(part.kind, part.choice_label) for part in parts] if entry.extra_parts else None,
        receivers=receivers,
        consents=_covering_consents(request, obj, receiver) if about_person else None,
        expiry=entry.has_expiry,
        bases=fit.fitting,
    )
    # The bases that fit depend on the receiver: re-offer them when it changes (htmx; a button without JS).
    form.fields["to_agency"].widget.attrs.update(
        {
            "hx-post": request.get_full_path(),
            "hx-trigger": "change",
            "hx-vals": '{"refresh": "1"}',
            "hx-target": "#share-form",
            "hx-select": "#share-form",
            "hx-swap": "outerHTML",
        }
    )
    back = next_url(request) or entry.back_url(obj)
    # Identity details go out only after a fresh one-time code (agencies.second_factor): the step-up.
    step_up_needed = any(type(p.target).share_requires_lead for p in parts) and not second_factor.step_up_fresh(request)
    if request.method == "POST" and not refresh and form.is_valid():
        # A part is only offered (and so only a valid choice) when the user may share it.
        chosen = form.cleaned_data.get("what") or entry.kind
        part = next(p for p in parts if p.kind == chosen)
        to_agency = form.cleaned_data["to_agency"]
        disclose = entry.disclose if part.target is obj and entry.disclose else access.share
        if type(part.target).share_requires_lead and step_up_needed:
            form.add_error("what" if "what" in form.fields else None, STEP_UP_MESSAGE)
        elif _disclose(request, form, part, disclose):
            messages.success(request, shareables.wording(part.kind).shared_message % {"agency": to_agency.name})
            return redirect(back)

    now = timezone.now()
    register = sorted(
        (row for part in parts for row in share_rows(access.shares_of(part.target), part.kind, now)),
        key=lambda row: row["record"].decided_at,
        reverse=True,
    )
    return render(
        request,
        "cases/share.html",
        {
            "entry": entry,
            "object": obj,
            "title": entry.title(obj),
            "crumbs": entry.crumbs(obj),
            "back_url": back,
            "next": next_url(request),
            "form": form,
            "shares": register,
            "offers_consent": True,
            "disclosed_fields": disclosure.dialog_fields(entry.kind),
            "owner_only": disclosure.OWNER_ONLY.get(entry.kind, ()),
            "missing_bases": _missing(fit, form, about_person, receiver),
            "consent_url": _consent_url(obj, receiver, fit, form) if about_person else "",
            "step_up_needed": step_up_needed,
            **error_summary(form),
        },
    )


def _disclose(request: HttpRequest, form: ShareForm, part, disclose) -> bool:
    """Make the disclosure the valid form asks for; a refusal by the rules becomes an error on its field."""
    return refusal_on_form(
        form,
        ERROR_FIELDS,
        lambda: disclose(
            part.target,
            to_agency=form.cleaned_data["to_agency"],
            level=form.cleaned_data["level"],
            legal_basis=form.cleaned_data["legal_basis"],
            consent=form.cleaned_data.get("consent"),
            acting_user=request.user,
            expires_at=form.expires_at(),
            assessment=form.cleaned_data.get("assessment") or "",
        ),
    )


def refusal_on_form(form: forms.Form, error_fields: dict[str, str], make: Callable[[], object]) -> bool:
    """Call `make`; a refusal by the rules (ApplicationError) becomes an error on the field its code names."""
    try:
        make()
    except ApplicationError as exc:
        field = error_fields.get(exc.code)
        form.add_error(field if field in form.fields else None, exc.message)
        return False
    return True


def _chosen_receiver(receivers, data) -> Agency | None:
    """The receiving agency chosen in `data`, if it is one the record may go to; None until one is."""
    raw = str(data.get("to_agency") or "")
    if not raw.isdigit():
        return None
    candidates = receivers if receivers is not None else Agency.objects.filter(active=True)
    return candidates.filter(pk=int(raw)).first()


def _covering_consents(request: HttpRequest, obj, to_agency: Agency | None) -> list[Consent]:
    """The valid consents that would carry `obj` to the chosen receiver (none until one is chosen)."""
    if to_agency is None:
        return []
    return selectors.consents_covering(request.user, obj=obj, to_agency=to_agency)


def _missing(
    fit: legal_bases.Fit, form: ShareForm, about_person: bool, receiver: Agency | None
) -> list[tuple[str, str]]:
    """Each basis in use that the form does not offer, with one line saying why (name, reason)."""
    offered = {basis.pk for basis in _offered(form)}
    rows = [(basis.name, reason) for basis, reason in fit.missing]
    for basis in fit.fitting:
        if basis.pk in offered:
            continue
        if not about_person:
            rows.append((basis.name, str(_("samtycke gäller uppgifter om en person"))))
        elif receiver is not None:
            rows.append((basis.name, str(_("inget giltigt samtycke täcker mottagaren och uppgiften"))))
        else:
            rows.append((basis.name, str(_("välj mottagare först; erbjuds när ett giltigt samtycke täcker den"))))
    return rows


def _offered(form: ShareForm):
    return cast(forms.ModelChoiceField, form.fields["legal_basis"]).queryset


def _consent_url(obj, receiver: Agency | None, fit: legal_bases.Fit, form: ShareForm) -> str:
    """Where to register a consent, when consent would fit this receiver but none covers the disclosure."""
    consent_fits = any(basis.requires_consent for basis in fit.fitting)
    offered = any(basis.requires_consent for basis in _offered(form))
    if receiver is None or not consent_fits or offered:
        return ""
    return reverse("consent-create", kwargs={"individual_pk": obj.audit_person_id()})


def individual_share(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's dialog under its own URL name (`individual-share`), kept for the links that use it."""
    return share_object(request, pk, kind="individual")


def share_rows(records, kind: str, now: datetime | None = None) -> list[dict]:
    """The disclosure register of one record as rows for templates/cases/_partials/share_register.html."""
    now = now or timezone.now()
    words = shareables.wording(kind)
    return [_share_row(record, kind, words, now) for record in records]


def _share_row(record: Share, kind: str, words: shareables.Wording, now: datetime) -> dict:
    lapsed = record.expires_at is not None and record.expires_at <= (record.revoked_at or now)
    if record.revoked_at is not None and not (lapsed and record.revoked_by_id is None):
        status = "revoked"
    elif lapsed:
        # Past its end date, whether or not the nightly task has closed the register row yet.
        status = "expired"
    else:
        status = "active"
    row = {
        "record": record,
        "what": kind,
        "what_label": words.row_label,
        "revoke_label": words.revoke_label % {"agency": record.to_agency.name},
        "status": status,
    }
    if status == "active":
        # One form per row: auto_id keeps the ids unique on the page (each label points at one textarea).
        row["revoke_form"] = ShareRevokeForm(auto_id=f"revoke-{record.pk}-%s")
    return row


def next_url(request: HttpRequest) -> str:
    """The `next` page named by the request, if it is on this site; else ""."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""
