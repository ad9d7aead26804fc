"""What the lead agency can disclose from a joint case in one decision (the bundle form and its API).

Each kind of record that can go in the decision is registered once, with the records of it that the user's
agency may disclose from this case and the order they go in (the case header first, so the receiver is a
participant before its entries arrive). The case header, the person (and, for a lead, their identity details)
the agency's own entries and its own goals and tasks of the plan (the joint plan) are registered here; another
kind of the case joins the decision by registering itself the same way:

    bundle_parts.register(PartKind(kind="plan_goal", label=_("Era mål i planen"), order=40, records=_own_goals))

A part's key ("case_entry:12") is what the form's checkboxes and the API's `records` name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies import access
from agencies.access import Actor
from agencies.models import ProtectedModel

from . import selectors, shareables
from .models import CaseEntry, ExitCase, IdentityDetails, PlanGoal, Task


@dataclass(frozen=True)
class PartKind:
    # The shareable kind's name (cases.shareables, the API's register): "exit_case", "case_entry", …
    kind: str
    # The heading the form groups this kind's records under.
    label: Promise
    # Lower goes first.
    order: int
    # The records of this kind on `case` that the user's agency may disclose (it owns them), in display order.
    records: Callable[[object, Actor, ExitCase], list[ProtectedModel]]
    # One record's label on the form; default: the shareable's title.
    title: Callable[[ProtectedModel], str] | None = None


@dataclass(frozen=True)
class Part:
    key: str
    kind: str
    label: str
    target: ProtectedModel


_registry: dict[str, PartKind] = {}


def register(entry: PartKind) -> PartKind:
    _registry[entry.kind] = entry
    return entry


def kinds() -> list[PartKind]:
    return sorted(_registry.values(), key=lambda entry: entry.order)


def key_of(obj: ProtectedModel) -> str:
    kind = "identity" if isinstance(obj, IdentityDetails) else _shareable_kind(obj)
    return f"{kind}:{obj.pk}"


def _shareable_kind(obj: ProtectedModel) -> str:
    entry = shareables.for_model(type(obj))
    return entry.kind if entry is not None else obj._meta.label_lower


def parts(user, actor: Actor, case: ExitCase) -> list[tuple[PartKind, list[Part]]]:
    """Every registered kind with the records of it the user may disclose from `case` (kinds with none left out)."""
    grouped = []
    for entry in kinds():
        found = []
        for obj in entry.records(user, actor, case):
            label = entry.title(obj) if entry.title else _default_title(obj)
            found.append(Part(key_of(obj), entry.kind, label, obj))
        if found:
            grouped.append((entry, found))
    return grouped


def _default_title(obj: ProtectedModel) -> str:
    entry = shareables.for_model(type(obj))
    return entry.title(obj) if entry is not None else str(obj)


# --- the kinds of a case ----------------------------------------------------------------------------------


def _header(user, actor: Actor, case: ExitCase) -> list[ProtectedModel]:
    return [case] if access.owns(user, case) else []


def _person(user, actor: Actor, case: ExitCase) -> list[ProtectedModel]:
    # Only the agency that owns the person discloses it; a case led by one agency may be about another's person.
    person = case.individual
    if not access.owns(user, person):
        return []
    found: list[ProtectedModel] = [person]
    if actor.is_lead:
        # Offered, not shown: no read to log (the share is logged by access.share), as in the person's dialog.
        identity = access.find(user, IdentityDetails, person.pk, log=False, count_denial=False)
        if identity is not None:
            found.append(identity)
    return found


def _own_entries(user, actor: Actor, case: ExitCase) -> list[ProtectedModel]:
    entries = list(
        access.visible(user, CaseEntry, queryset=selectors.entry_base())
        .filter(case=case)
        .order_by("-occurred_on", "-created_at")
    )
    mine = access.owned_ids(user, entries)
    for entry in entries:
        entry.case = case  # the person the entry is about, with no query per entry
    return [entry for entry in entries if entry.pk in mine]


def _person_title(obj) -> str:
    if isinstance(obj, IdentityDetails):
        return str(_("Identitetsuppgifter (personnummer, namn, adress, telefon) – bara av en chef"))
    return str(_("%(alias)s: alias, födelseår och stadsdel") % {"alias": obj.alias})


register(
    PartKind(
        kind="exit_case",
        label=_("Ärendet"),
        order=10,
        records=_header,
        title=lambda case: str(_("Ärendets grunduppgifter (%(title)s); myndigheten blir deltagare") % {"title": case}),
    )
)
register(PartKind(kind="individual", label=_("Personen"), order=20, records=_person, title=_person_title))
register(PartKind(kind="case_entry", label=_("Era journalposter i ärendet"), order=30, records=_own_entries))


def _task_title(task: Any) -> str:
    return str(
        _("%(title)s (%(agency)s, klar senast %(due)s)")
        % {"title": task.title, "agency": task.assignee_agency.name, "due": task.due_on.isoformat()}
    )


def _own_plan(model: type[PlanGoal] | type[Task], order_by: tuple[str, ...], related: tuple[str, ...] = ()):
    def records(user, actor: Actor, case: ExitCase) -> list[ProtectedModel]:
        own = model._default_manager.filter(case=case, owner_agency_id=actor.agency_id)
        found: list[Any] = list(own.select_related(*related).order_by(*order_by))
        for record in found:
            record.case = case  # the person the record is about, with no query per record
        return found

    return records


register(
    PartKind(
        kind="plan_goal",
        label=_("Era mål i planen"),
        order=40,
        records=_own_plan(PlanGoal, ("target_date", "created_at", "pk")),
        title=lambda goal: str(goal),
    )
)
register(
    PartKind(
        kind="task",
        label=_("Era uppgifter i planen"),
        order=50,
        records=_own_plan(Task, ("due_on", "pk"), ("assignee_agency",)),
        title=lambda task: _task_title(task),
    )
)
