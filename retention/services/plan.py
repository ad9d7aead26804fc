"""What the next run would do, record by record. The dry run shows this list and the run applies it, so the
two cannot disagree (retention/tests/test_run.py checks it on a fixed data set with the clock moved)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.utils import timezone

from agencies.models import Agency, ProtectedModel

from .. import registry
from ..models import Hold, RetentionAction, RetentionRule

# What happens to a record the rules name.
ANONYMISE, DELETE, HELD, BLOCKED = "anonymise", "delete", "held", "blocked"
OUTCOMES = (ANONYMISE, DELETE, HELD, BLOCKED)


@dataclass(frozen=True)
class Item:
    kind: registry.Kind
    rule: RetentionRule
    agency: Agency
    pk: int
    outcome: str


def cutoff_for(rule: RetentionRule, today: date) -> date:
    """`today` less the rule's months; the 31st of a shorter month becomes its last day."""
    year, month = divmod(today.year * 12 + today.month - 1 - rule.period_months, 12)
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def rule_for(rules: Iterable[RetentionRule], agency: Agency) -> RetentionRule | None:
    """The most specific active rule for the agency: its own, else its kind's, else the general one."""
    fitting = [rule for rule in rules if rule.active and rule.applies_to(agency)]
    return max(fitting, key=lambda rule: (rule.specificity(), -rule.pk), default=None)


def held_keys(today: date) -> set[tuple[int, int]]:
    return set(Hold.objects.in_force(today).values_list("content_type_id", "object_id"))


def _key(obj: ProtectedModel) -> tuple[int, int]:
    return ContentType.objects.get_for_model(type(obj)).pk, obj.pk


def outcome_of(kind: registry.Kind, rule: RetentionRule, obj: ProtectedModel, held: set[tuple[int, int]]) -> str:
    if _key(obj) in held:
        return HELD
    if rule.action == RetentionAction.ANONYMISE:
        return ANONYMISE
    # A delete takes along whatever cascades from the record: a hold on any of it stops the whole delete,
    # and a record something still needs (PROTECT) is left, as the delete itself would refuse it.
    collector = Collector(using="default")
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError):
        return BLOCKED
    for model, instances in collector.data.items():
        if issubclass(model, ProtectedModel) and any(_key(other) in held for other in instances):  # type: ignore[arg-type]
            return HELD
    return DELETE


def plan(*, today: date | None = None, agencies: Iterable[Agency] | None = None) -> list[Item]:
    """Every record the active rules name today, per kind (in registration order) and owner agency."""
    today = today or timezone.localdate()
    agencies = list(agencies) if agencies is not None else list(Agency.objects.order_by("pk"))
    rules: dict[str, list[RetentionRule]] = defaultdict(list)
    for active in RetentionRule.objects.filter(active=True).select_related("category"):
        rules[active.category.code].append(active)
    held = held_keys(today)
    items = []
    for kind in registry.kinds():
        for agency in agencies:
            rule = rule_for(rules.get(kind.category, ()), agency)
            if rule is None:
                continue
            owned = kind.model._base_manager.filter(owner_agency=agency)
            for obj in kind.due(owned, cutoff_for(rule, today)).order_by("pk"):
                items.append(Item(kind, rule, agency, obj.pk, outcome_of(kind, rule, obj, held)))
    return items


def summary(items: Iterable[Item]) -> dict[str, dict[str, list[int]]]:
    """{outcome: {model label: [ids]}}: what a run did, or what the dry run says it will do."""
    result: dict[str, dict[str, list[int]]] = {outcome: {} for outcome in OUTCOMES}
    for item in items:
        result[item.outcome].setdefault(item.kind.label, []).append(item.pk)
    return {outcome: {label: sorted(ids) for label, ids in kinds.items()} for outcome, kinds in result.items()}
