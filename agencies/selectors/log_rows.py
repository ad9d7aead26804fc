"""A row of the access log in human terms: who (name, agency), did what, to which record, when and how.

`describe_rows(user=…, entries=…)` turns a page (or a chunk of an export) of `AccessLogEntry` rows into
`LogRow`s. Each record a row points at is named as the *reader of the log* may see it, through the gate: a
record they may see shows its kind and title and links to its page; one they may not see shows only its kind
("Person (ej synlig för dig)"). The titles are resolved in batches — one gated query per kind of record on the
page, whatever the number of rows — and, because the page then shows those records' titles, the records shown
are logged as a list read like any other list (one entry per kind, marked `detail.shown_in = "access_log"`).

Used by the lead's log pages and the CSV export; the log review can use it for its items too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.urls import NoReverseMatch
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import access, audit, record_kinds
from ..models import AccessLogEntry, Action, Agency, LegalBasis, Via
from .records import record_type_label

# A list entry may name hundreds of records: a row names its first few and counts the rest, so a page of
# 50 rows resolves at most 50 × SHOWN_PER_ROW ids.
SHOWN_PER_ROW = 5

VERBS: dict[str, Any] = {
    Action.VIEW: gettext_lazy("läste"),
    Action.LIST: gettext_lazy("listade"),
    Action.CREATE: gettext_lazy("registrerade"),
    Action.CHANGE: gettext_lazy("ändrade"),
    Action.SHARE: gettext_lazy("delade"),
    Action.REVOKE: gettext_lazy("återkallade"),
    Action.UNLOCK: gettext_lazy("låste upp"),
    Action.DELETE: gettext_lazy("raderade"),
}

CHANNELS: dict[str, Any] = {
    Via.UI: gettext_lazy("Webbsida"),
    Via.API: gettext_lazy("API"),
    Via.TASK: gettext_lazy("Systemuppgift"),
    Via.CLI: gettext_lazy("Kommandorad"),
}

# What a log entry's `detail` says it was, when that is more than its action: a search, an export.
SEARCH_VERBS: dict[str, Any] = {
    "personnummer": gettext_lazy("sökte på personnummer och fick fram"),
    "alias": gettext_lazy("sökte på alias och fick fram"),
}
EXPORT_VERB = gettext_lazy("exporterade")

# Marks the list reads this module itself logs, so a reader can tell "shown in the access log" apart.
SHOWN_IN = "access_log"


@dataclass
class RecordRef:
    """One record a log row points at, as the reader may see it."""

    kind: str
    title: str = ""  # empty when the reader may not see the record
    url: str | None = None

    @property
    def visible(self) -> bool:
        return bool(self.title)

    def __str__(self) -> str:
        if self.visible:
            return f"{self.kind}: {self.title}"
        return _("%(kind)s (ej synlig för dig)") % {"kind": self.kind}


@dataclass
class LogRow:
    entry: AccessLogEntry
    who: str
    username: str
    agency: str
    verb: str
    kind: str
    records: list[RecordRef] = field(default_factory=list)
    # How many records the entry names beyond those in `records`.
    more: int = 0
    # The disclosure's receiver, legal basis and assessment, or a revocation's reason (share and revoke rows).
    to_agency: str = ""
    legal_basis: str = ""
    assessment: str = ""
    reason: str = ""

    @property
    def at(self) -> datetime:
        return self.entry.at

    @property
    def channel(self) -> str:
        return str(CHANNELS.get(self.entry.via, self.entry.via))

    @property
    def count(self) -> int:
        return len(self.entry.object_ids or [])

    def records_text(self) -> str:
        """The records as one line of plain text (the CSV export's column)."""
        parts = [str(ref) for ref in self.records]
        if self.more:
            parts.append(_("och %(count)s till") % {"count": self.more})
        return ", ".join(parts) if parts else self.kind


def verb_for(entry: AccessLogEntry) -> str:
    detail = entry.detail or {}
    if detail.get("export"):
        return str(EXPORT_VERB)
    if detail.get("search") in SEARCH_VERBS:
        return str(SEARCH_VERBS[detail["search"]])
    return str(VERBS.get(entry.action, entry.get_action_display()))


def _shown_ids(entry: AccessLogEntry) -> list[int]:
    return [pk for pk in (entry.object_ids or [])[:SHOWN_PER_ROW] if isinstance(pk, int)]


def _visible_records(user, wanted: dict[str, set[int]]) -> dict[str, dict[int, Any]]:
    """Per model label, the wanted records the user may see: one gated query per kind."""
    found: dict[str, dict[int, Any]] = {}
    for label, ids in wanted.items():
        kind = record_kinds.kind_for(label)
        if kind is None or not ids:
            continue
        # Bounded by the page: at most rows × SHOWN_PER_ROW ids, so a literal IN list is fine here.
        qs = access.visible(user, kind.model, queryset=kind.queryset(user)).filter(pk__in=sorted(ids))
        found[label] = {obj.pk: obj for obj in qs}
    return found


def _ref(label: str, kind_label: str, obj: Any) -> RecordRef:
    kind = record_kinds.kind_for(label)
    if obj is None or kind is None:
        return RecordRef(kind=kind_label)
    try:
        url = kind.url(obj)
    except NoReverseMatch:  # a kind whose pages are not mounted in this installation
        url = None
    return RecordRef(kind=kind_label, title=str(capfirst(kind.title(obj))), url=url)


def _names(entries: Sequence[AccessLogEntry]) -> tuple[dict[str, str], dict[str, str]]:
    """Agency names by slug and legal-basis names by code, for the share and revoke rows (one query each)."""
    slugs = {e.detail.get("to_agency") for e in entries if isinstance(e.detail, dict) and e.detail.get("to_agency")}
    codes = {e.detail.get("legal_basis") for e in entries if isinstance(e.detail, dict) and e.detail.get("legal_basis")}
    agencies = dict(Agency.objects.filter(slug__in=slugs).values_list("slug", "name")) if slugs else {}
    bases = dict(LegalBasis.objects.filter(code__in=codes).values_list("code", "name")) if codes else {}
    return agencies, bases


def _named(names: dict[str, str], key) -> str:
    # A slug or code that no longer names a row (renamed since) is shown as it was logged.
    return names.get(key, str(key)) if key else ""


def describe_rows(*, user, entries: Iterable[AccessLogEntry], log: bool = True) -> list[LogRow]:
    """The entries in human terms, as `user` may see the records they name (see the module docstring).

    `entries` should come with `user` and `agency` selected (selectors.access_log_entries does). Queries: one
    per kind of record named, one each for agency and basis names when a share or revoke row is there, and —
    with `log` — two per kind of record shown (the list read's entry and its targets).
    """
    rows = list(entries)
    wanted: dict[str, set[int]] = defaultdict(set)
    for entry in rows:
        wanted[entry.model].update(_shown_ids(entry))
    found = _visible_records(user, wanted)
    agency_names, basis_names = _names(rows)

    kind_labels: dict[str, str] = {}
    shown: dict[str, dict[int, Any]] = defaultdict(dict)
    described = []
    for entry in rows:
        kind_label = kind_labels.setdefault(entry.model, record_type_label(entry.model))
        ids = _shown_ids(entry)
        visible = found.get(entry.model, {})
        for pk in ids:
            if pk in visible:
                shown[entry.model][pk] = visible[pk]
        detail = entry.detail if isinstance(entry.detail, dict) else {}
        person = entry.user
        described.append(
            LogRow(
                entry=entry,
                who=(person.get_full_name() or person.username) if person is not None else _("Systemet"),
                username=person.username if person is not None else "",
                agency=entry.agency.name,
                verb=verb_for(entry),
                kind=kind_label,
                records=[_ref(entry.model, kind_label, visible.get(pk)) for pk in ids],
                more=max(len(entry.object_ids or []) - len(ids), 0),
                to_agency=_named(agency_names, detail.get("to_agency")),
                legal_basis=_named(basis_names, detail.get("legal_basis")),
                assessment=str(detail.get("assessment") or ""),
                reason=str(detail.get("reason") or ""),
            )
        )

    actor = access.actor_for(user)
    if log and actor is not None:
        for label, objs in shown.items():
            model = record_kinds.model_for(label)
            if model is not None and objs:
                audit.record_list(
                    user=user,
                    agency_id=actor.agency_id,
                    model=model,
                    objects=list(objs.values()),
                    detail={"shown_in": SHOWN_IN},
                )
    return described
