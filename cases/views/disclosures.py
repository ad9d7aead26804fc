"""One decision for one situation: from a joint case, its lead agency discloses the case header, the person and
chosen entries to one agency in one form (/arenden/<pk>/dela/). Only the lead agency sees the form; anyone else
gets 404, the same as for a case that does not exist.

The bases offered are those that fit every ticked record (agencies.services.bundles.fitting_for_all); every
other basis is listed with one line saying why. Changing the receiver or the records re-offers them (htmx, or a
button without JavaScript) without saving anything, as the single share dialog does.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from agencies import access, audit, second_factor
from agencies.access import Actor
from agencies.models import Action, Agency, Share
from agencies.services import bundles

from .. import bundle_parts, selectors, shareables
from ..forms.disclosures import BundleForm
from ..models import CaseEntry, Consent, ExitCase, IdentityDetails
from ..services import disclosures
from ._common import error_summary, member_required
from .share import ERROR_FIELDS, STEP_UP_MESSAGE, refusal_on_form, share_rows

# Ticked on a fresh form: the header and the person; entries (and identity details) are chosen one by one.
DEFAULT_KINDS = ("exit_case", "individual")
BUNDLE_ERROR_FIELDS = {**ERROR_FIELDS, "not_in_case": "records", "bundle_empty": "records", "lead_required": "records"}


@require_http_methods(["GET", "POST"])
@member_required
def exit_case_disclose(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    user = request.user
    # Not logged yet: a participant may see the header but gets 404 here, as for a case that does not exist.
    case = access.find(user, ExitCase, pk, queryset=selectors.case_base(), log=False)
    if case is None or not access.owns(user, case):
        raise Http404
    audit.record(user=user, agency_id=actor.agency_id, action=Action.VIEW, model=ExitCase, objects=[case])
    groups = bundle_parts.parts(user, actor, case)
    offered = {part.key: part for _kind, found in groups for part in found}
    # The titles of the agency's own entries are on the form: a list read, as the case page logs it.
    entries = [part.target for part in offered.values() if isinstance(part.target, CaseEntry)]
    audit.record_list(user=user, agency_id=actor.agency_id, model=CaseEntry, objects=entries)

    data = request.POST if request.method == "POST" else None
    refresh = data is not None and "refresh" in data
    source = data if data is not None else request.GET
    receivers = Agency.objects.filter(active=True).exclude(pk=actor.agency_id).order_by("name")
    receiver = _chosen(receivers, source)
    if data is not None or "records" in request.GET:
        ticked = [key for key in source.getlist("records") if key in offered]
    else:
        ticked = [key for key, part in offered.items() if part.kind in DEFAULT_KINDS]
    chosen = [offered[key].target for key in ticked]
    fit = bundles.fitting_for_all(sender_kind=actor.agency_kind, to_agency=receiver, records=chosen)
    form = BundleForm(
        None if refresh else data,
        initial=_initial(data, refresh, request, ticked),
        own_agency_id=actor.agency_id,
        parts=groups,
        receivers=None,
        consents=_covering_consents(user, chosen, receiver),
        expiry=True,
        bases=fit.fitting,
    )
    form.fields["to_agency"].queryset = receivers  # type: ignore[attr-defined]
    _refresh_on_change(form, request)
    step_up_needed = any(isinstance(obj, IdentityDetails) for obj in chosen) and not second_factor.step_up_fresh(
        request
    )
    if data is not None and not refresh and form.is_valid():
        if step_up_needed:
            form.add_error("records", STEP_UP_MESSAGE)
        elif _disclose(request, form, case):
            messages.success(
                request,
                _("%(count)s uppgifter har delats med %(agency)s i ett beslut.")
                % {"count": len(form.cleaned_data["records"]), "agency": form.cleaned_data["to_agency"].name},
            )
            return redirect("exit-case-detail", pk=case.pk)

    offered_bases = {basis.pk for basis in form.fields["legal_basis"].queryset}  # type: ignore[attr-defined]
    return render(
        request,
        "cases/exit_case_disclose.html",
        {
            "case": case,
            "form": form,
            "record_groups": _record_groups(groups, ticked),
            "missing_bases": _missing(fit, offered_bases, receiver, chosen),
            "consent_url": _consent_url(case, fit, offered_bases, receiver),
            "step_up_needed": step_up_needed,
            "back_url": reverse("exit-case-detail", kwargs={"pk": case.pk}),
            "bundles": _bundle_registers(user, case),
            **error_summary(form),
        },
    )


def _bundle_registers(user, case: ExitCase) -> list[dict]:
    """The earlier decisions from this case, each with its own register rows (one per record, each with its
    own revoke form): the owner's register grouped by decision."""
    now = timezone.now()
    return [
        {
            "bundle": bundle,
            "rows": [row for record in bundle.shares.all() for row in share_rows([record], _kind_of(record), now)],
        }
        for bundle in selectors.case_bundles(user, case)
    ]


def _kind_of(record: Share) -> str:
    model = record.content_type.model_class()
    if model is IdentityDetails:
        return "identity"
    entry = shareables.for_model(model) if model is not None else None
    return entry.kind if entry is not None else "exit_case"


def _chosen(receivers, source) -> Agency | None:
    raw = str(source.get("to_agency") or "")
    return receivers.filter(pk=int(raw)).first() if raw.isdigit() else None


def _initial(data, refresh: bool, request: HttpRequest, ticked: list[str]) -> dict:
    base = data.dict() if data is not None and refresh else request.GET.dict()
    return {**base, "records": ticked}


def _refresh_on_change(form: BundleForm, request: HttpRequest) -> None:
    # The bases that fit depend on the receiver and on the records: re-offer them when either changes.
    attrs = {
        "hx-post": request.get_full_path(),
        "hx-trigger": "change",
        "hx-vals": '{"refresh": "1"}',
        "hx-target": "#bundle-form",
        "hx-select": "#bundle-form",
        "hx-swap": "outerHTML",
    }
    form.fields["to_agency"].widget.attrs.update(attrs)


def _covering_consents(user, records, receiver: Agency | None) -> list[Consent] | None:
    """The valid consents that cover every ticked record for the receiver (consent is about one person; every
    record of a case is about its person). None when no records are ticked: consent is then not offered."""
    if not records:
        return None
    if receiver is None:
        return []
    covering: dict[int, Consent] | None = None
    for obj in records:
        found = {c.pk: c for c in selectors.consents_covering(user, obj=obj, to_agency=receiver)}
        covering = found if covering is None else {pk: c for pk, c in covering.items() if pk in found}
    return list((covering or {}).values())


def _missing(fit, offered: set[int], receiver: Agency | None, chosen) -> list[tuple[str, str]]:
    rows = [(basis.name, reason) for basis, reason in fit.missing]
    for basis in fit.fitting:
        if basis.pk in offered:
            continue
        if not chosen:
            rows.append((basis.name, _("välj först vad som ska delas")))
        elif receiver is None:
            rows.append((basis.name, _("välj mottagare först; erbjuds när ett giltigt samtycke täcker den")))
        else:
            rows.append((basis.name, _("inget giltigt samtycke täcker mottagaren och alla valda uppgifter")))
    return rows


def _consent_url(case: ExitCase, fit, offered: set[int], receiver: Agency | None) -> str:
    consent_fits = any(basis.requires_consent for basis in fit.fitting)
    consent_offered = any(basis.requires_consent and basis.pk in offered for basis in fit.fitting)
    if receiver is None or not consent_fits or consent_offered:
        return ""
    return reverse("consent-create", kwargs={"individual_pk": case.individual_id})


def _record_groups(groups, ticked: list[str]) -> list[dict]:
    """The checkboxes, one list per kind under its name, ticked as the form was (or by default)."""
    # `ticked` is what the request named (or the defaults), among what is offered: the same for a bound form.
    chosen = set(ticked)
    return [
        {
            "label": kind.label,
            "items": [
                {"key": part.key, "label": part.label, "checked": part.key in chosen, "id": f"records-{part.key}"}
                for part in found
            ],
        }
        for kind, found in groups
    ]


def _disclose(request: HttpRequest, form: BundleForm, case: ExitCase) -> bool:
    """Make the decision; a refusal by the rules becomes an error on the field it is about."""
    return refusal_on_form(
        form,
        BUNDLE_ERROR_FIELDS,
        lambda: disclosures.case_disclose(
            case=case,
            keys=form.cleaned_data["records"],
            to_agency=form.cleaned_data["to_agency"],
            level=form.cleaned_data["level"],
            legal_basis=form.cleaned_data["legal_basis"],
            consent=form.cleaned_data.get("consent"),
            acting_user=request.user,
            expires_at=form.expires_at(),
            assessment=form.cleaned_data.get("assessment") or "",
        ),
    )
