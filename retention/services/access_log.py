"""The access log's own retention rule: per agency, its log rows older than the rule's period go, through the
one narrow path the log's guard leaves open (agencies.append_only.thin). Counts only: the run records how many
rows went, never which or what they said.

The log outlives what it records, and it is thinned by age alone. Two things keep a row regardless of the rule:
a log review item that points at it (the review and its verdicts are kept whole), and an age under
agencies.append_only.MINIMUM_AGE by the database's clock, which the database itself enforces on PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from agencies import append_only
from agencies.models import AccessLogEntry, Agency, DeniedAccess, LogReviewItem

from ..models import RetentionRule

CATEGORY = "access-log"


@dataclass(frozen=True)
class LogSweep:
    """One agency's log rows under the rule: what goes (entries and refused-access counters) and what a log
    review keeps."""

    rule: RetentionRule
    agency: Agency
    before: datetime
    entries: int
    counters: int
    kept_for_review: int


def _due_counts(agency_ids: list[int], before: datetime) -> dict[int, tuple[int, int, int]]:
    """{agency id: (entries due, entries a review keeps, counters due)}: two queries for all the agencies."""
    reviewed = Exists(LogReviewItem.objects.filter(entry=OuterRef("pk")))
    entries = (
        AccessLogEntry.objects.filter(agency_id__in=agency_ids, at__lt=before)
        .annotate(reviewed=reviewed)
        .values("agency_id")
        .annotate(n=Count("pk"), kept=Count("pk", filter=Q(reviewed=True)))
        .order_by()
    )
    counters = (
        DeniedAccess.objects.filter(agency_id__in=agency_ids, last_at__lt=before)
        .values("agency_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[int, list[int]] = {pk: [0, 0, 0] for pk in agency_ids}
    for row in entries:
        found[row["agency_id"]][:2] = [row["n"] - row["kept"], row["kept"]]
    for counted in counters:
        found[counted["agency_id"]][2] = counted["n"]
    return {pk: (n[0], n[1], n[2]) for pk, n in found.items()}


def thin(sweep: LogSweep) -> LogSweep:
    """Apply one sweep; returns what was actually removed (the same, unless the log changed in between)."""
    done = append_only.thin(connection, agency_id=sweep.agency.pk, before=sweep.before)
    return LogSweep(sweep.rule, sweep.agency, sweep.before, done.entries, done.counters, sweep.kept_for_review)


def counts(sweeps: Iterable[LogSweep]) -> dict[str, dict[str, int]]:
    """{agency slug: {"delete": entries, "counters": n, "blocked": kept for a review}} — a RetentionRun's shape."""
    return {s.agency.slug: {"delete": s.entries, "counters": s.counters, "blocked": s.kept_for_review} for s in sweeps}


def planned_sweeps(*, today: date | None = None, agencies: Iterable[Agency] | None = None) -> list[LogSweep]:
    """Per agency, what the access log's most specific active rule removes now (a few queries, whatever the
    number of agencies: the agencies are grouped by the moment before which their rows go)."""
    from .plan import cutoff_for, rule_for  # plan lists records; this module only the log

    today = today or timezone.localdate()
    agencies = list(agencies) if agencies is not None else list(Agency.objects.order_by("pk"))
    rules = list(RetentionRule.objects.filter(active=True, category__code=CATEGORY).select_related("category"))
    if not rules:
        return []
    youngest = append_only.database_now(connection) - append_only.MINIMUM_AGE
    by_before: dict[datetime, list[tuple[Agency, RetentionRule]]] = defaultdict(list)
    for agency in agencies:
        rule = rule_for(rules, agency)
        if rule is not None:
            by_rule = timezone.make_aware(datetime.combine(cutoff_for(rule, today), time.min))
            by_before[min(by_rule, youngest)].append((agency, rule))
    sweeps = []
    for before, group in by_before.items():
        counts_by_agency = _due_counts([agency.pk for agency, _ in group], before)
        for agency, rule in group:
            entries, kept, counters = counts_by_agency[agency.pk]
            if entries or kept or counters:
                sweeps.append(LogSweep(rule, agency, before, entries, counters, kept))
    return sorted(sweeps, key=lambda s: s.agency.pk)
