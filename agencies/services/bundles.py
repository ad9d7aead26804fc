"""One decision for one situation: several records disclosed to one agency at once (docs/access-model.md).

`share_bundle` discloses every record on one legal basis, with one assessment (and one consent, where the
basis rests on one), all or nothing: the basis must fit every record, and any refusal — before the first row
or on the last — rolls the whole decision back, so no row and no grant is left. Each record still gets its own
register row through `access.share` (or the record kind's own service that calls it), the one place that
validates a single disclosure, so the grants, the log and the consent rules are exactly those of a share made
on its own. The rows point at their `ShareBundle`; each is revoked on its own with `access.revoke`.

Knows no other app: which records make up a situation, in which order they go, and which service discloses each
kind (a case entry only to a participant of its case) are the caller's (cases.services.disclosures).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from .. import access, legal_bases, record_kinds
from ..errors import ApplicationError
from ..models import Agency, LegalBasis, ProtectedModel, Share, ShareBundle

# disclose(obj, *, to_agency, level, legal_basis, consent, acting_user, expires_at, assessment) -> Share
Disclose = Callable[..., Share]


def describe(obj: ProtectedModel) -> str:
    """A record as an error message names it: its kind and its title (the sender owns it, so may read it)."""
    kind = record_kinds.kind_for(obj._meta.label_lower)
    title = kind.title(obj) if kind is not None else str(obj.pk)
    return f"{obj._meta.verbose_name} ”{title}”"


def _refused(obj: ProtectedModel, message: str, code: str) -> ApplicationError:
    return ApplicationError(
        _("%(record)s: %(message)s Inget har delats.") % {"record": describe(obj), "message": message.rstrip()},
        code=code,
        extra={"record": obj._meta.label_lower, "object_id": obj.pk},
    )


def fitting_for_all(*, sender_kind: str, to_agency: Agency | None, records: Sequence[ProtectedModel]):
    """The bases that fit every record (the intersection), and for each other basis the first reason it does
    not fit one of them, as one line naming the record: what the bundle form offers and explains."""
    bases = list(LegalBasis.objects.filter(active=True).order_by("name"))
    fitting: list[LegalBasis] = []
    missing: list[tuple[LegalBasis, str]] = []
    for basis in bases:
        reason = ""
        for obj in records:
            why = legal_bases.why_not(basis, sender_kind=sender_kind, receiver_kind=_kind(to_agency), obj=obj)
            if why:
                reason = _("%(reason)s (%(record)s)") % {"reason": why, "record": describe(obj)}
                break
        if reason:
            missing.append((basis, reason))
        else:
            fitting.append(basis)
    return legal_bases.Fit(fitting, missing)


def _kind(agency: Agency | None) -> str | None:
    return agency.kind if agency is not None else None


@transaction.atomic
def share_bundle(
    records: Sequence[ProtectedModel],
    *,
    to_agency: Agency,
    level: str,
    legal_basis: LegalBasis | None,
    assessment: str = "",
    consent=None,
    acting_user,
    expires_at: datetime | None = None,
    disclose: Callable[[ProtectedModel], Disclose] | None = None,
) -> ShareBundle:
    """Disclose every record in `records` to `to_agency` in one decision, in the order given; all or nothing.

    `disclose(obj)` names the service that discloses one record (default `access.share`); it must take
    access.share's keyword arguments and call it. Refusals are ApplicationErrors naming the record, with the
    single share's code (`legal_basis_not_fitting`, `consent_not_covering`, `not_participant`, …).
    """
    actor = access.require_actor(acting_user)
    records = list(records)
    if not records:
        raise ApplicationError(_("Välj minst en uppgift att dela."), code="bundle_empty")
    if legal_basis is None:
        raise ApplicationError(_("Ett utlämnande måste ha en rättslig grund."), code="legal_basis_required")
    # The basis must fit every record before anything is written: the error names the first it does not fit.
    for obj in records:
        reason = legal_bases.why_not(legal_basis, sender_kind=actor.agency_kind, receiver_kind=to_agency.kind, obj=obj)
        if reason:
            message = _("%(basis)s kan inte användas här: %(reason)s.") % {"basis": legal_basis.name, "reason": reason}
            raise _refused(obj, message, "legal_basis_not_fitting")
    if consent is not None:
        for obj in records:
            if not consent.covers(agency=to_agency, obj=obj):
                message = _("Samtycket täcker inte den här myndigheten eller uppgiften, eller gäller inte längre.")
                raise _refused(obj, message, "consent_not_covering")

    bundle = ShareBundle.objects.create(
        from_agency_id=actor.agency_id,
        to_agency=to_agency,
        legal_basis=legal_basis,
        assessment=(assessment or "").strip(),
        consent_type=ContentType.objects.get_for_model(type(consent)) if consent is not None else None,
        consent_id=consent.pk if consent is not None else None,
        decided_by=acting_user,
    )
    made: list[int] = []
    for obj in records:
        service: Any = disclose(obj) if disclose is not None else access.share
        try:
            row = service(
                obj,
                to_agency=to_agency,
                level=level,
                legal_basis=legal_basis,
                consent=consent,
                acting_user=acting_user,
                expires_at=expires_at,
                assessment=assessment,
            )
        except ApplicationError as exc:
            # Raised inside this transaction: every row and grant written so far is rolled back with it.
            raise _refused(obj, exc.message, exc.code) from exc
        made.append(row.pk)
    # One statement links the rows, instead of teaching access.share (the single-record rule) about bundles.
    Share.objects.filter(pk__in=made).update(bundle=bundle)
    return bundle
