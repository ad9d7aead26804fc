"""Search across kinds (persons, groups, incidents, cases) through the gate, for the header's one search box.

Each kind reuses its own list's FilterSet and the gate, so a kind's hits and count equal what that kind's
gated list returns for the same q: a record another agency did not share never appears, and a personnummer
finds a person only where the user may see the identity (cases.selectors.individual_search).

The search is logged like any list read: one LIST entry per kind that showed records, with the ids shown.
The term itself is never stored: a personnummer in the log would be a copy of identity details outside the
gate (and a hash of one is no protection — there are too few of them). The entry says only whether it was a
personnummer search; a personnummer search is logged even when it found no one, so a lead can see it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from django.db import models

from agencies import access, audit

from ..filters.exit_cases import ExitCaseFilter
from ..filters.groups import GroupFilter
from ..filters.incidents import IncidentFilter
from ..filters.individuals import IndividualFilter
from ..models import CriminalGroup, ExitCase, Incident, Individual
from ..personnummer import looks_like
from .exit_cases import case_base
from .individuals import individual_base
from .registry import group_base, incident_base

MIN_LENGTH = 2
MAX_LENGTH = 100
PER_KIND = 5

# What the log says about the term (AccessLogEntry.detail["search"]); never the term itself.
BY_PERSONNUMMER = "personnummer"
BY_TEXT = "text"


@dataclass(frozen=True)
class KindHits:
    kind: str
    model: type[models.Model]
    hits: list
    count: int


def _kinds():
    # (kind, model, FilterSet, base queryset) — the same pairs the kinds' list views use.
    return (
        ("person", Individual, IndividualFilter, individual_base),
        ("group", CriminalGroup, GroupFilter, group_base),
        ("incident", Incident, IncidentFilter, incident_base),
        ("exit_case", ExitCase, ExitCaseFilter, case_base),
    )


def search_kind(term: str) -> str:
    """How the term searches: as a personnummer (only among visible identity details) or as text."""
    return BY_PERSONNUMMER if looks_like(term) else BY_TEXT


def search_all(*, user, term: str, per_kind: int = PER_KIND, log: bool = True) -> list[KindHits]:
    """Per kind, the first hits the user may see and their total count; nothing for a too short term.

    Two queries per kind (the hits, the count), plus the groups' districts when groups are shown, plus two
    per logged kind (the entry and its targets) — whatever the number of hits.
    """
    term = (term or "").strip()
    if not MIN_LENGTH <= len(term) <= MAX_LENGTH:
        return []
    request = SimpleNamespace(user=user)
    results = []
    for kind, model, filterset_class, base in _kinds():
        filterset = filterset_class({"q": term}, queryset=base(), request=request)
        qs = access.visible(user, model, queryset=filterset.qs)
        hits = list(qs.order_by("-created_at", "-pk")[:per_kind])
        results.append(KindHits(kind=kind, model=model, hits=hits, count=qs.count()))
    if log:
        _log(user=user, term=term, results=results)
    return results


def _log(*, user, term: str, results: list[KindHits]) -> None:
    actor = access.actor_for(user)
    if actor is None:
        return
    by = search_kind(term)
    for result in results:
        if result.hits or (by == BY_PERSONNUMMER and result.model is Individual):
            audit.record_list(
                user=user, agency_id=actor.agency_id, model=result.model, objects=result.hits, detail={"search": by}
            )
