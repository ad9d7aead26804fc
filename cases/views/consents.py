"""The consent pages of a person: what the person has consented to, recording a consent, withdrawing one.

Everything shown comes through the gate: the person (a 404 for whoever may not see them), the consents
the user's agency may see (its own, and those that name it), and — on the withdrawal page — the records
resting on a consent, described only as far as the user may see them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from agencies import access, audit
from agencies.access import Actor
from agencies.errors import ApplicationError
from agencies.models import Agency, ProtectedModel, Share

from .. import selectors, services
from ..forms.consents import ConsentForm, ConsentWithdrawForm
from ..models import CaseEntry, Consent, ConsentCategory, IdentityDetails, Individual
from ._common import error_summary, member_required

# Which form field a refusal from services.consent_record is about, so the message sits next to it.
ERROR_FIELDS = {
    "no_agency": "agencies",
    "valid_until_required": "valid_until",
    "dates": "valid_until",
    "categories_required": "categories",
    "purpose_required": "purpose",
    "document_required": "document_reference",
}


@dataclass
class ConsentRow:
    consent: Consent
    status: str  # valid, upcoming (given on a later day), expired, withdrawn
    agencies: list[Agency]
    categories: list[str]

    @property
    def withdrawable(self) -> bool:
        return self.status in ("valid", "upcoming")


def consent_row(consent: Consent, today: date) -> ConsentRow:
    if consent.withdrawn_at is not None:
        status = "withdrawn"
    elif consent.valid_until < today:
        status = "expired"
    elif consent.given_on > today:
        status = "upcoming"
    else:
        status = "valid"
    labels = dict(ConsentCategory.choices)
    return ConsentRow(
        consent=consent,
        status=status,
        # From the prefetch: no query per row.
        agencies=sorted(consent.agencies.all(), key=lambda agency: agency.name),
        categories=[str(labels.get(value, value)) for value in consent.categories],
    )


@require_GET
@member_required
def person_consents(request: HttpRequest, individual_pk: int, *, actor: Actor) -> HttpResponse:
    person = access.get_or_404(request.user, Individual, individual_pk)  # logged
    consents = list(selectors.person_consents(request.user, person))
    # The list is a read of each consent shown: one log entry with their ids.
    audit.record_list(user=request.user, agency_id=actor.agency_id, model=Consent, objects=consents)
    today = timezone.localdate()
    return render(
        request,
        "cases/consent_list.html",
        {"person": person, "rows": [consent_row(consent, today) for consent in consents]},
    )


@require_http_methods(["GET", "POST"])
@member_required
def consent_create(request: HttpRequest, individual_pk: int, *, actor: Actor) -> HttpResponse:
    person = access.get_or_404(request.user, Individual, individual_pk)  # logged
    form = ConsentForm(request.POST if request.method == "POST" else None, own_agency_id=actor.agency_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_record(
                acting_user=request.user,
                individual=person,
                agencies=data["agencies"],
                categories=data["categories"],
                purpose=data["purpose"],
                given_on=data["given_on"],
                valid_until=data["valid_until"],
                document_reference=data["document_reference"],
            )
        except ApplicationError as exc:
            form.add_error(ERROR_FIELDS.get(exc.code), exc.message)
        else:
            messages.success(request, _("Samtycket har registrerats."))
            return redirect("person-consents", individual_pk=person.pk)
    return render(request, "cases/consent_form.html", {"person": person, "form": form, **error_summary(form)})


# --- withdrawal ---------------------------------------------------------------------------------------


@dataclass
class RestingShare:
    """A share resting on the consent, described as far as the user may see the shared record."""

    share: Share
    kind: str
    title: str
    case_id: int | None = None


@dataclass
class UnseenShares:
    """Shares of records the user may not see: only how many, and between which agencies."""

    from_agency: Agency
    to_agency: Agency
    count: int


@dataclass
class RestingShares:
    seen: list[RestingShare] = field(default_factory=list)
    unseen: list[UnseenShares] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.seen) + sum(group.count for group in self.unseen)


def _describe(obj, consent: Consent) -> tuple[str, str, int | None]:
    """(kind, title, case id) of a record the user may see. Identity details are named, never shown."""
    if isinstance(obj, Consent):
        title = _("Det här samtycket") if obj.pk == consent.pk else str(obj)
        return str(capfirst(Consent._meta.verbose_name)), title, None
    if isinstance(obj, CaseEntry):
        return obj.get_kind_display(), obj.title, obj.case_id
    if isinstance(obj, IdentityDetails):
        return str(capfirst(IdentityDetails._meta.verbose_name)), "", None
    return str(capfirst(obj._meta.verbose_name)), str(obj), None


def resting_shares(user, actor: Actor, consent: Consent, now: datetime | None = None) -> RestingShares:
    """What a withdrawal of `consent` would revoke, for the confirmation page.

    One query for the shares, then per kind of record one gated query for those the user may see (and a log
    entry for them: their titles are shown). A record the user may not see is counted, never named.
    """
    shares = list(services.shares_resting_on(consent).order_by("decided_at", "pk"))
    by_type: dict[int, ContentType] = {}
    for share in shares:
        by_type.setdefault(share.content_type_id, share.content_type)
    seen_objects: dict[tuple[int, int], object] = {}
    for content_type in by_type.values():
        model = content_type.model_class()
        if model is None or not issubclass(model, ProtectedModel):
            continue  # a share always points at a protected record; nothing else is shown
        # An entry's log row names the person through its case: loaded with it, not once per entry.
        queryset: QuerySet = (
            CaseEntry.objects.select_related("case") if model is CaseEntry else model._default_manager.all()
        )
        # The ids as a subquery on the register, never a Python list.
        ids = services.shares_resting_on(consent).filter(content_type=content_type).values("object_id")
        objects = list(access.visible(user, model, queryset=queryset).filter(pk__in=ids))
        # The consent's own shares name only the consent, whose read the page has logged already.
        if objects and model is not Consent:
            audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=objects)
        for obj in objects:
            seen_objects[(content_type.pk, obj.pk)] = obj

    result = RestingShares()
    unseen: Counter[tuple[int, int]] = Counter()
    agencies: dict[int, Agency] = {}
    for share in shares:
        obj = seen_objects.get((share.content_type_id, share.object_id))
        if obj is None:
            unseen[(share.from_agency_id, share.to_agency_id)] += 1
            agencies[share.from_agency_id], agencies[share.to_agency_id] = share.from_agency, share.to_agency
            continue
        kind, title, case_id = _describe(obj, consent)
        result.seen.append(RestingShare(share=share, kind=kind, title=title, case_id=case_id))
    result.unseen = [
        UnseenShares(from_agency=agencies[from_id], to_agency=agencies[to_id], count=count)
        for (from_id, to_id), count in unseen.items()
    ]
    return result


def _consent_queryset() -> QuerySet[Consent]:
    return Consent.objects.select_related("owner_agency", "recorded_by", "withdrawn_by").prefetch_related("agencies")


@require_http_methods(["GET", "POST"])
@member_required
def consent_withdraw(request: HttpRequest, pk: int, *, actor: Actor) -> HttpResponse:
    consent = access.get_or_404(request.user, Consent, pk, queryset=_consent_queryset())  # logged
    # The consent pages live under the person: whoever may not see the person does not get here either
    # (the page names them), the same 404 as for a consent they may not see.
    person = access.get_or_404(request.user, Individual, consent.individual_id)  # logged
    if consent.withdrawn_at is not None and request.method == "POST":
        messages.info(request, _("Samtycket är redan återkallat."))
        return redirect("person-consents", individual_pk=person.pk)
    form = ConsentWithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            revoked = services.consent_withdraw(
                consent=consent, acting_user=request.user, note=form.cleaned_data["note"]
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            count = len(revoked)
            messages.success(
                request,
                ngettext(
                    "Samtycket har återkallats. %(count)s utlämnande som vilade på samtycket har återkallats.",
                    "Samtycket har återkallats. %(count)s utlämnanden som vilade på samtycket har återkallats.",
                    count,
                )
                % {"count": count},
            )
            return redirect("person-consents", individual_pk=person.pk)

    context = {
        "person": person,
        "row": consent_row(consent, timezone.localdate()),
        "form": form,
        "resting": resting_shares(request.user, actor, consent) if consent.withdrawn_at is None else None,
        **error_summary(form),
    }
    return render(request, "cases/consent_withdraw.html", context)
