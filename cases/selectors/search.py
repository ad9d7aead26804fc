"""Search across kinds (persons, groups, cases) through the gate, for the header's one search box.

Each kind reuses its own list's FilterSet and the gate, so a kind's hits and count equal what that kind's
gated list returns for the same q: a record another agency did not share never appears, and a personnummer
finds a person only where the user may see the identity (cases.selectors.individual_search).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from agencies import access

from ..filters.exit_cases import ExitCaseFilter
from ..filters.groups import GroupFilter
from ..filters.individuals import IndividualFilter
from ..models import CriminalGroup, ExitCase, Individual
from .exit_cases import case_base
from .individuals import individual_base
from .registry import group_base

MIN_LENGTH = 2
PER_KIND = 5


@dataclass(frozen=True)
class KindHits:
    kind: str
    hits: list
    count: int


def _kinds():
    # (kind, model, FilterSet, base queryset) — the same pairs the kinds' list views use.
    return (
        ("person", Individual, IndividualFilter, individual_base),
        ("group", CriminalGroup, GroupFilter, group_base),
        ("exit_case", ExitCase, ExitCaseFilter, case_base),
    )


def search_all(*, user, term: str, per_kind: int = PER_KIND) -> list[KindHits]:
    """Per kind, the first hits the user may see and their total count; nothing for a too short term."""
    term = (term or "").strip()
    if len(term) < MIN_LENGTH:
        return []
    request = SimpleNamespace(user=user)
    results = []
    for kind, model, filterset_class, base in _kinds():
        filterset = filterset_class({"q": term}, queryset=base(), request=request)
        qs = access.visible(user, model, queryset=filterset.qs)
        results.append(KindHits(kind=kind, hits=list(qs.order_by("-pk")[:per_kind]), count=qs.count()))
    return results
