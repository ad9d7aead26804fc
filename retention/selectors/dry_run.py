"""The dry run: what the next run would do, per category and owner agency (retention.services.plan lists it, so
the page and the run cannot disagree). A lead sees their own agency's records; an administrator every agency's.
Only kinds and ids are shown, and a link where the viewer's agency owns the record."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from agencies import access, audit
from agencies.models import Agency, ProtectedModel

from ..models import RetentionCategory, RetentionRule
from ..services.access_log import LogSweep, planned_sweeps
from ..services.holds import may_hold_any
from ..services.plan import OUTCOMES, Item, plan

# Rows listed per category and agency; the counts are always complete.
ROWS_SHOWN = 50


@dataclass
class Row:
    label: str
    kind_name: str
    pk: int
    outcome: str
    url: str | None


@dataclass
class Group:
    category: RetentionCategory
    agency: Agency
    rule: RetentionRule
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    rows: list[Row] = field(default_factory=list)
    # The access log is thinned by counts (services.access_log): no rows are listed, only how many go.
    log: LogSweep | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def hidden(self) -> int:
        return self.total - len(self.rows)


def _row(item: Item, *, linked: bool) -> Row:
    url = reverse(item.kind.url_name, kwargs={"pk": item.pk}) if linked and item.kind.url_name else None
    return Row(item.kind.label, str(item.kind.model._meta.verbose_name), item.pk, item.outcome, url)


def dry_run(*, user, today: date | None = None) -> list[Group]:
    actor = access.require_actor(user)
    agencies = None if may_hold_any(actor) else list(Agency.objects.filter(pk=actor.agency_id))
    groups: dict[tuple[int, int], Group] = {}
    shown: dict[type[ProtectedModel], list[int]] = defaultdict(list)
    for item in plan(today=today, agencies=agencies):
        key = (item.rule.category_id, item.agency.pk)
        if key not in groups:
            groups[key] = Group(item.rule.category, item.agency, item.rule)
        group = groups[key]
        group.counts[item.outcome] += 1
        if len(group.rows) < ROWS_SHOWN:
            group.rows.append(_row(item, linked=access.acts_for(user, item.agency.pk)))
            shown[item.kind.model].append(item.pk)
    # A list of protected records' ids is logged like any other list (kind and id only, as shown).
    for model, ids in shown.items():
        objects = list(model._base_manager.filter(pk__in=ids).select_related())
        audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=objects, detail={"dry_run": True})
    for sweep in planned_sweeps(today=today, agencies=agencies):
        group = Group(sweep.rule.category, sweep.agency, sweep.rule, log=sweep)
        group.counts.update(delete=sweep.entries, blocked=sweep.kept_for_review)
        groups[(sweep.rule.category_id, sweep.agency.pk)] = group
    return sorted(groups.values(), key=lambda g: (g.category.name, g.agency.name))


def categories_not_applied() -> list[RetentionCategory]:
    return list(RetentionCategory.objects.exclude(not_applied_reason="").prefetch_related("rules"))
