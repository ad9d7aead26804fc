"""Reads for the leads' monthly log review: the agency's reviews with their progress, and a page of items in
human terms — who read what, which record as the lead may see it now, when, and why it was selected."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from ..models import LogReview, LogReviewItem, LogReviewVerdict, ReviewRule
from .log_rows import LogRow, describe_rows


def reviews_for_agency(*, agency_id: int) -> QuerySet[LogReview]:
    """The agency's reviews, newest month first, each with `total` items and `reviewed` (with a verdict)."""
    return (
        LogReview.objects.filter(agency_id=agency_id)
        .annotate(
            total=Count("items", distinct=True),
            reviewed=Count("items", filter=Q(items__verdicts__isnull=False), distinct=True),
        )
        .order_by("-month")
    )


def review_for_agency(*, agency_id: int, pk: int) -> LogReview | None:
    """One review of the agency's own, with its progress; None for another agency's or a missing one."""
    return reviews_for_agency(agency_id=agency_id).filter(pk=pk).first()


def review_items(*, review: LogReview, unreviewed_only: bool = False) -> QuerySet[LogReviewItem]:
    items = review.items.select_related("entry__user", "entry__agency").order_by("entry__at", "entry_id")
    if unreviewed_only:
        items = items.filter(verdicts__isnull=True)
    return items


@dataclass
class ItemRow:
    item: LogReviewItem
    log: LogRow  # the read in human terms: who, what, which record as the lead may see it, when, how
    rules: list[str]
    verdicts: list[LogReviewVerdict] = field(default_factory=list)
    form: Any = None  # the verdict form the page puts beside the item

    @property
    def current(self) -> LogReviewVerdict | None:
        return self.verdicts[0] if self.verdicts else None


def item_rows(*, user, items) -> list[ItemRow]:
    """A page of items in human terms (agencies.selectors.log_rows: one gated query per kind of record on the
    page, the records shown logged as the lead's list read), and one query for the verdicts."""
    items = list(items)
    described = describe_rows(user=user, entries=[item.entry for item in items])
    verdicts: dict[int, list[LogReviewVerdict]] = defaultdict(list)
    if items:
        for verdict in LogReviewVerdict.objects.filter(item__in=[item.pk for item in items]).select_related(
            "decided_by"
        ):
            verdicts[verdict.item_id].append(verdict)
    rule_labels = dict(ReviewRule.choices)
    return [
        ItemRow(
            item=item,
            log=log,
            rules=[str(rule_labels.get(rule, rule)) for rule in item.rules],
            verdicts=verdicts.get(item.pk, []),
        )
        for item, log in zip(items, described, strict=True)
    ]
