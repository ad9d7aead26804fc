"""Which legal bases fit a disclosure: THE one place that decides it (docs/access-model.md, "Legal bases").

A basis fits when it is in use, the disclosing agency's kind may disclose on it, the receiving agency's kind
may receive on it, it covers the kind of record, and — for a basis with an age rule (OSL 10:18 a) — the person
the record is about is, by birth year, certainly younger than the limit. The share service
(`access.share`) refuses a basis that does not fit; the share dialog and the API offer only those that fit
and say in one line why each other one is missing. Whether a consent covers the disclosure is asked of the
consent itself (`access.share`), since a consent is about one person, agency and category at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Agency, LegalBasis

# `agencies` imports no other app: the app that knows people registers how to find the birth year of the person
# a record is about (cases.apps). None when the record is about no person or the year is unknown.
_birth_year_of: Callable[[object], int | None] = lambda obj: None  # noqa: E731


def register_birth_year_lookup(lookup: Callable[[object], int | None]) -> None:
    global _birth_year_of
    _birth_year_of = lookup


def record_kind(obj_or_model) -> str:
    """A record's kind as a basis names it: the model label, e.g. "cases.caseentry"."""
    return obj_or_model._meta.label_lower


def _kind_label(kind: str) -> str:
    return str(dict(Agency.Kind.choices).get(kind, kind)).lower()


def why_not(basis: LegalBasis, *, sender_kind: str, receiver_kind: str | None, obj, today: date | None = None) -> str:
    """ "" when `basis` fits; else a short Swedish reason (one line) why it does not.

    `receiver_kind` None: no receiver chosen yet, so only the sender and the record are judged.
    """
    if not basis.active:
        return _("används inte längre")
    sender_fits = sender_kind in basis.sender_kinds
    receiver_fits = receiver_kind is None or receiver_kind in basis.receiver_kinds
    # An association on either side is the reason that says most: OSL does not reach it at all.
    if not sender_fits and sender_kind == Agency.Kind.COMMUNITY:
        return _("civilsamhället omfattas inte av OSL och lämnar bara ut med samtycke")
    if not receiver_fits and receiver_kind == Agency.Kind.COMMUNITY:
        return _("civilsamhället omfattas inte av OSL och tar bara emot med samtycke")
    if not sender_fits:
        return _("gäller inte utlämnanden från %(kind)s") % {"kind": _kind_label(sender_kind)}
    if not receiver_fits:
        return _("gäller inte utlämnanden till %(kind)s") % {"kind": _kind_label(str(receiver_kind))}
    if basis.record_kinds and record_kind(obj) not in basis.record_kinds:
        return _("gäller inte den här sortens uppgift")
    if basis.max_age is not None:
        born = _birth_year_of(obj)
        year = (today or timezone.localdate()).year
        # Only the birth year is known: someone born `max_age` years ago may already have turned that age.
        if born is None or year - born >= basis.max_age:
            return _("gäller bara uppgifter om en person som säkert är under %(age)s år") % {"age": basis.max_age}
    return ""


@dataclass(frozen=True)
class Fit:
    fitting: list[LegalBasis]
    # Every other basis in use, with the one-line reason it is not offered.
    missing: list[tuple[LegalBasis, str]]


def fitting_bases(
    *, sender: Agency | str, receiver: Agency | str | None, obj, bases: Iterable[LegalBasis] | None = None
) -> Fit:
    """Split the bases in use (or `bases`) into those that fit this sender, receiver and record and the rest."""
    sender_kind = sender if isinstance(sender, str) else sender.kind
    receiver_kind = receiver.kind if isinstance(receiver, Agency) else receiver
    candidates = list(bases) if bases is not None else list(LegalBasis.objects.filter(active=True))
    fit, missing = [], []
    today = timezone.localdate()
    for basis in candidates:
        reason = why_not(basis, sender_kind=sender_kind, receiver_kind=receiver_kind, obj=obj, today=today)
        if reason:
            missing.append((basis, reason))
        else:
            fit.append(basis)
    return Fit(fit, missing)
