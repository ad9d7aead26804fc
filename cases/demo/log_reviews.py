"""The demo's monthly access-log reviews (agencies' log review routine), run by `manage.py seed_demo` through
cases.extensions.demo_seeders after everything else, so each demo lead has last month's review to open.

The demo's log holds only what seeding wrote today, so last month had no reads. For each demo agency without
last month's review, a few reads by its caseworker of persons the agency may see are written into last month
— on a weekday in working hours, one late evening and one on a Saturday — exactly as the gate writes a read
(an entry and its target), and then the review is made by the same service as the monthly job. Demo only:
nothing else ever writes the log with an earlier time. A second run finds the reviews and writes nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, AccessLogTarget, Action, LogReview, Via
from agencies.services.log_review import log_review_create, previous_month

from ..models import Individual
from .plan import AGENCIES

LABELS = {"log_reviews": "logggranskningar"}
READS = 6


def _read_times(month) -> list[datetime]:
    # The first Tuesday of the month, then the first Saturday.
    tuesday = month + timedelta(days=(1 - month.weekday()) % 7)
    saturday = month + timedelta(days=(5 - month.weekday()) % 7)
    moments = [datetime.combine(tuesday, time(9 + index, 10 * index)) for index in range(READS - 2)]
    moments += [datetime.combine(tuesday, time(22, 40)), datetime.combine(saturday, time(11, 5))]
    return [timezone.make_aware(moment) for moment in moments]


def seed_log_reviews(context) -> None:
    month = previous_month(timezone.localdate(context.now))
    for spec in AGENCIES:
        agency = context.agencies[spec.slug]
        if LogReview.objects.filter(agency=agency, month=month).exists():
            continue
        reader = context.users[f"{spec.login_prefix}.handlaggare"]
        persons = list(access.visible(reader, Individual).order_by("pk")[:READS])
        for person, at in zip(persons, _read_times(month), strict=False):
            entry = AccessLogEntry.objects.create(
                user=reader,
                agency=agency,
                action=Action.VIEW,
                model=Individual._meta.label_lower,
                object_ids=[person.pk],
                via=Via.UI,
                at=at,
            )
            AccessLogTarget.objects.create(
                entry=entry, model=entry.model, object_id=person.pk, person_id=person.audit_person_id()
            )
        if log_review_create(agency=agency, month=month) is not None:
            context.report.count("log_reviews")


def register() -> None:
    from cases import extensions

    extensions.demo_seeders.register("log_reviews", seed_log_reviews, labels=LABELS, order=950)
