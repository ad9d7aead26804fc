"""Reads for the leads' monthly log review: the agency's reviews with their progress, and a page of items in
human terms — who read what, which record as the lead may see it now, when, and why it was selected."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from .. import access, audit
from ..models import LogReview, LogReviewItem, LogReviewVerdict, ProtectedModel, ReviewRule
from .records import record_type_label

# The page a record of each kind has, by URL name (looked up at call time: `agencies` imports no other app).
# Identity details share the person's primary key and are shown on the person's page.
RECORD_PAGES = {
    "cases.individual": "individual-detail",
    "cases.identitydetails": "individual-detail",
    "cases.criminalgroup": "group-detail",
    "cases.incident": "incident-detail",
    "cases.exitcase": "exit-case-detail",
    "outreach.callin": "call-in-detail",
    "outreach.invitation": "invitation-detail",
    "outreach.customnotification": "notification-detail",
    "outreach.enforcementresponse": "response-detail",
    "outreach.reviewmeeting": "review-detail",
}


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
    items = review.items.select_related("entry__user").order_by("entry__at", "entry_id")
    if unreviewed_only:
        items = items.filter(verdicts__isnull=True)
    return items


@dataclass
class Record:
    type_label: str
    title: str | None = None  # None: the lead may not see it (only its kind is shown)
    url: str | None = None


@dataclass
class ItemRow:
    item: LogReviewItem
    who: str
    username: str
    at: datetime
    action: str
    via: str
    records: list[Record]
    rules: list[str]
    verdicts: list[LogReviewVerdict] = field(default_factory=list)
    form: Any = None  # the verdict form the page puts beside the item

    @property
    def current(self) -> LogReviewVerdict | None:
        return self.verdicts[0] if self.verdicts else None


def _page_url(label: str, pk: int) -> str | None:
    name = RECORD_PAGES.get(label)
    if name is None:
        return None
    try:
        return reverse(name, kwargs={"pk": pk})
    except NoReverseMatch:
        return None


def _visible_records(user, wanted: dict[str, set[int]]) -> dict[tuple[str, int], ProtectedModel]:
    """The records the lead may see now, per kind one query through the gate; the lead's listing is logged."""
    actor = access.require_actor(user)
    found: dict[tuple[str, int], ProtectedModel] = {}
    for label in sorted(wanted):
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        if not issubclass(model, ProtectedModel):
            continue
        shown = list(access.visible(user, model).filter(pk__in=sorted(wanted[label])).order_by("pk"))
        for obj in shown:
            found[(label, obj.pk)] = obj
        if shown:
            audit.record_list(user=user, agency_id=actor.agency_id, model=model, objects=shown)
    return found


def item_rows(*, user, items) -> list[ItemRow]:
    """A page of items in human terms: one query per kind of record on the page, one for the verdicts."""
    items = list(items)
    wanted: dict[str, set[int]] = defaultdict(set)
    for item in items:
        for pk in item.entry.object_ids:
            wanted[item.entry.model].add(pk)
    records = _visible_records(user, wanted)
    verdicts: dict[int, list[LogReviewVerdict]] = defaultdict(list)
    if items:
        for verdict in LogReviewVerdict.objects.filter(item__in=[item.pk for item in items]).select_related(
            "decided_by"
        ):
            verdicts[verdict.item_id].append(verdict)
    rule_labels = dict(ReviewRule.choices)
    type_labels: dict[str, str] = {}
    rows = []
    for item in items:
        entry = item.entry
        label = entry.model
        if label not in type_labels:
            type_labels[label] = record_type_label(label)
        shown = []
        for pk in entry.object_ids:
            obj = records.get((label, pk))
            if obj is None:
                shown.append(Record(type_labels[label]))
            else:
                shown.append(Record(type_labels[label], str(obj), _page_url(label, pk)))
        user_obj = entry.user
        rows.append(
            ItemRow(
                item=item,
                who=(user_obj.get_full_name() or user_obj.username) if user_obj else "",
                username=user_obj.username if user_obj else "",
                at=entry.at,
                action=entry.get_action_display(),
                via=entry.get_via_display(),
                records=shown,
                rules=[str(rule_labels.get(rule, rule)) for rule in item.rules],
                verdicts=verdicts.get(item.pk, []),
            )
        )
    return rows
