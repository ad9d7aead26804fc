"""The nightly application of the rules (retention.tasks.apply_retention_rules is its thin wrapper)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.services.deletion import delete_records

from .. import registry
from ..models import RetentionRun
from . import access_log
from .plan import ANONYMISE, BLOCKED, DELETE, HELD, Item, plan, summary


def _reason(item: Item) -> str:
    return _("Gallring enligt regel för %(category)s (%(source)s).") % {
        "category": item.rule.category.name,
        "source": item.rule.source,
    }


def _apply(item: Item) -> str:
    """Anonymise or delete one record, in its own transaction (a long run commits as it goes, and a run cut
    short is finished by the next, which finds only what is still due). Returns what happened."""
    with transaction.atomic():
        obj = item.kind.model._base_manager.select_for_update().filter(pk=item.pk).first()
        if obj is None:
            return item.outcome  # already taken along by an earlier delete in this run (a case's entries)
        if item.outcome == ANONYMISE and item.kind.anonymise is not None:
            item.kind.anonymise(obj, reason=_reason(item))
            return ANONYMISE
        if item.outcome == DELETE:
            try:
                delete_records([obj], reason=_reason(item), detail={"retention_rule": item.rule.pk})
            except (ProtectedError, RestrictedError):
                return BLOCKED
            return DELETE
    return item.outcome


def apply_rules(*, today: date | None = None) -> dict[str, dict[str, list[int]]]:
    """Apply every active rule as of `today`: exactly what `plan` lists. Idempotent: what was removed is no
    longer due, so a second run finds nothing. Returns {outcome: {model label: [ids]}} and keeps the counts
    (never the ids) in a RetentionRun, with the access log's thinning as counts only (services.access_log)."""
    run = RetentionRun.objects.create()
    done: list[Item] = []
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for item in plan(today=today):
        outcome = item.outcome if item.outcome in (HELD, BLOCKED) else _apply(item)
        done.append(Item(item.kind, item.rule, item.agency, item.pk, outcome))
        counts[item.kind.category][item.agency.slug][outcome] += 1
    run.counts = {cat: {slug: dict(n) for slug, n in per.items()} for cat, per in counts.items()}
    for kind in registry.kinds():
        if kind.after_run is not None:
            kind.after_run()
    # The access log last: the run's own removals above were logged, and those rows are young.
    swept = [access_log.thin(sweep) for sweep in access_log.planned_sweeps(today=today)]
    if swept:
        run.counts[access_log.CATEGORY] = access_log.counts(swept)
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    return summary(done)


__all__ = ["ANONYMISE", "DELETE", "apply_rules"]
