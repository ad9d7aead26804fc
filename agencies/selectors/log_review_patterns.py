"""Which of an agency's reads in a month go before its lead: a seeded sample and the reads that match a pattern.

A read is an access-log entry with action "view" written for a user of the agency (a detail page or an API
detail; lists are not reads of one record, and a list page of 50 persons would otherwise count as 50 reads).
Reads by the system (no user) are not reviewed. The patterns:

- many persons in a short time: a user read at least `many_persons` distinct persons within `minutes`
  minutes; every read inside such a window is selected;
- a person outside the agency's cases: the read concerns a person (the log's target names one) and, at the
  moment of the read, the reader's agency took part in no exit case about that person (it owned the case,
  or the case header was shared with the agency). The reader's own role in the case is not asked: cases
  are joined by agencies, not by users;
- outside working hours: before `workday_start` or from `workday_end` o'clock local time, or on a Saturday or
  Sunday (public holidays are not known to the portal and count as working days).

`agencies` imports no other app, so the exit cases are asked for through a lookup that `cases` registers
(`register_case_periods`, called by CasesConfig.ready). Without one no person is in a case.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import cast

from django.db import models
from django.utils import timezone

from ..models import AccessLogEntry, AccessLogTarget, Action, ReviewRule

# person id -> the periods (start, end or None for open) in which the agency took part in a case about them.
CasePeriods = dict[int, list[tuple[datetime, datetime | None]]]
_case_periods: Callable[[int], CasePeriods] = lambda agency_id: {}  # noqa: E731


def register_case_periods(lookup: Callable[[int], CasePeriods]) -> None:
    global _case_periods
    _case_periods = lookup


@dataclass(frozen=True)
class Parameters:
    sample_size: int = 20
    many_persons: int = 30
    minutes: int = 10
    workday_start: int = 7
    workday_end: int = 19

    def as_dict(self) -> dict[str, int]:
        return {
            "sample_size": self.sample_size,
            "many_persons": self.many_persons,
            "minutes": self.minutes,
            "workday_start": self.workday_start,
            "workday_end": self.workday_end,
        }


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next, local time (Europe/Stockholm), as aware datetimes."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(following, datetime.min.time()))
    return start, end


def reads(*, agency_id: int, month: date) -> models.QuerySet[AccessLogEntry]:
    """The agency's users' reads in the month (index: agency, -at)."""
    start, end = month_bounds(month)
    return AccessLogEntry.objects.filter(
        agency_id=agency_id, action=Action.VIEW, user__isnull=False, at__gte=start, at__lt=end
    )


def sample(entry_ids: Iterable[int], *, size: int, seed: str) -> set[int]:
    """`size` of the ids at random, the same ones every time for the same ids and seed."""
    population = sorted(entry_ids)
    if len(population) <= size:
        return set(population)
    # Reproducible on purpose (the same review can be drawn again to check it), not a secret: no CSPRNG.
    return set(random.Random(seed).sample(population, size))  # noqa: S311


def outside_hours(at: datetime, *, start: int, end: int) -> bool:
    local = timezone.localtime(at)
    return local.weekday() >= 5 or local.hour < start or local.hour >= end


def many_persons(rows: list[tuple[int, int, datetime, int]], *, threshold: int, minutes: int) -> set[int]:
    """Entries inside a window of `minutes` in which one user read at least `threshold` distinct persons.

    `rows` are (entry id, user id, time, person id), ordered by user and time. One pass per user with a
    sliding window and a count per person in it, so a month of reads costs linear time.
    """
    selected: set[int] = set()
    span = timedelta(minutes=minutes)
    by_user: dict[int, list[tuple[int, datetime, int]]] = defaultdict(list)
    for entry_id, user_id, at, person_id in rows:
        by_user[user_id].append((entry_id, at, person_id))
    for user_rows in by_user.values():
        user_rows.sort(key=lambda row: (row[1], row[0]))
        in_window: Counter[int] = Counter()
        first = 0
        marked_until = 0  # rows before this index are already selected
        for last, (_entry_id, at, person_id) in enumerate(user_rows):
            in_window[person_id] += 1
            while at - user_rows[first][1] > span:
                gone = user_rows[first][2]
                in_window[gone] -= 1
                if not in_window[gone]:
                    del in_window[gone]
                first += 1
            if len(in_window) >= threshold:
                for index in range(max(first, marked_until), last + 1):
                    selected.add(user_rows[index][0])
                marked_until = last + 1
    return selected


def _in_a_case(periods: list[tuple[datetime, datetime | None]], at: datetime) -> bool:
    return any(start <= at and (end is None or at < end) for start, end in periods)


def select(*, agency_id: int, month: date, parameters: Parameters) -> tuple[int, dict[int, list[str]]]:
    """The month's number of reads and the selected entries, each with the rules (ReviewRule) that chose it."""
    entries = reads(agency_id=agency_id, month=month)
    rows = list(entries.values_list("pk", "user_id", "at"))
    rules: dict[int, list[str]] = defaultdict(list)

    for entry_id in sorted(
        sample((pk for pk, _u, _a in rows), size=parameters.sample_size, seed=f"{agency_id}:{month:%Y-%m}")
    ):
        rules[entry_id].append(ReviewRule.SAMPLE)

    # person_id is never None here (filtered), which the type of values_list cannot know.
    person_rows = cast(
        list[tuple[int, int, datetime, int]],
        list(
            AccessLogTarget.objects.filter(entry__in=entries, person_id__isnull=False)
            .order_by("entry__user_id", "entry__at", "entry_id")
            .values_list("entry_id", "entry__user_id", "entry__at", "person_id")
        ),
    )
    for entry_id in sorted(many_persons(person_rows, threshold=parameters.many_persons, minutes=parameters.minutes)):
        rules[entry_id].append(ReviewRule.MANY_PERSONS)

    periods = _case_periods(agency_id) if person_rows else {}
    outside_cases = {
        entry_id for entry_id, _user, at, person_id in person_rows if not _in_a_case(periods.get(person_id, []), at)
    }
    for entry_id in sorted(outside_cases):
        rules[entry_id].append(ReviewRule.OUTSIDE_CASES)

    for entry_id, _user, at in sorted(rows):
        if outside_hours(at, start=parameters.workday_start, end=parameters.workday_end):
            rules[entry_id].append(ReviewRule.OUTSIDE_HOURS)
    return len(rows), dict(rules)
