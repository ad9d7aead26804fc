"""The access log's own rule: the nightly run removes each agency's log rows older than its rule's period —
counts only in the run's record — through the one narrow path the append-only guard leaves
(agencies.append_only.thin). Never a row younger than a year by the database's clock, never one a log review
points at; everyone else still meets the guard. On SQLite and PostgreSQL alike.

The clock is moved back to write the old rows (the database's own clock, which decides the one-year floor,
cannot be moved; the rules' periods are counted from today)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from agencies import append_only, audit
from agencies.models import (
    AccessLogEntry,
    AccessLogTarget,
    Action,
    DeniedAccess,
    LogReview,
    LogReviewItem,
    LogReviewVerdict,
    Role,
)
from agencies.tests.factories import UserFactory, with_second_factor
from cases.models import Individual
from cases.tests.factories import IndividualFactory
from retention.models import RetentionRule, RetentionRun
from retention.services import apply_rules

pytestmark = pytest.mark.django_db


def years_ago(years: float):
    return time_machine.travel(timezone.now() - timedelta(days=round(365.25 * years)), tick=False)


def reads(user, agency, person, n: int) -> list[AccessLogEntry]:
    return [
        audit.record(user=user, agency_id=agency.pk, action=Action.VIEW, model=Individual, objects=[person])
        for _ in range(n)
    ]


@pytest.fixture
def log(police, kommun, police_caseworker, police_lead, kommun_caseworker):
    """Police: three reads seven years ago (one of them in a log review with a verdict), two three years ago, one
    today, and an old refused-access counter. Kommun: two reads seven years ago, under a ten-year rule of its own."""
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    theirs = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    with years_ago(7):
        old = reads(police_caseworker, police, person, 3)
        kommun_old = reads(kommun_caseworker, kommun, theirs, 2)
        now = timezone.now()
        counter = DeniedAccess.objects.create(
            window_start=now, user=police_caseworker, agency=police, owner_agency=kommun, model="cases.individual",
            action="view", via="ui", attempts=3, first_object_id=theirs.pk, last_object_id=theirs.pk,
            first_at=now, last_at=now,
        )  # fmt: skip
        review = LogReview.objects.create(agency=police, month=timezone.localdate().replace(day=1))
        item = LogReviewItem.objects.create(review=review, entry=old[0], rules=["sample"])
        LogReviewVerdict.objects.create(item=item, verdict="confirmed", decided_by=police_lead)
    with years_ago(3):
        middle = reads(police_caseworker, police, person, 2)
    today = reads(police_caseworker, police, person, 1)
    RetentionRule.objects.create(
        category=RetentionRule.objects.get(category__code="access-log").category, agency=kommun, period_months=120,
        action="delete", source="Kommunens dokumenthanteringsplan (fiktiv)",
    )  # fmt: skip
    return {
        "reviewed": old[0],
        "old": old[1:],
        "kommun_old": kommun_old,
        "counter": counter,
        "middle": middle,
        "today": today,
    }


def ids(entries) -> set[int]:
    return {e.pk for e in entries}


@pytest.fixture
def admin_user(police):
    user = UserFactory(username="polis.admin.logg", agency=police, agency__role=Role.ADMIN)
    with_second_factor(user)
    return user


def test_the_run_removes_exactly_the_old_rows_the_rule_names_and_the_dry_run_said_so(log, client, admin_user, police):
    before = set(AccessLogEntry.objects.values_list("pk", flat=True))
    client.force_login(admin_user)
    response = client.get(reverse("retention-dry-run"))
    assert response.status_code == 200
    (group,) = [g for g in response.context["groups"] if g.category.code == "access-log"]
    assert (group.agency, group.counts["delete"], group.counts["blocked"], group.log.counters) == (police, 2, 1, 1)
    assert group.rows == [] and "Loggrader äldre än" in response.content.decode()

    apply_rules()

    run = RetentionRun.objects.get()
    assert run.counts["access-log"] == {police.slug: {"delete": 2, "counters": 1, "blocked": 1}}
    gone = before - set(AccessLogEntry.objects.values_list("pk", flat=True))
    assert gone == ids(log["old"])
    assert not AccessLogTarget.objects.filter(entry_id__in=gone).exists()
    assert not DeniedAccess.objects.filter(pk=log["counter"].pk).exists()
    for kept in ("middle", "today", "kommun_old"):  # younger than five years; kommun's own rule is ten
        assert ids(log[kept]) <= set(AccessLogEntry.objects.values_list("pk", flat=True)), kept
    assert AccessLogEntry.objects.filter(pk=log["reviewed"].pk).exists()  # a review points at it
    assert LogReviewVerdict.objects.count() == 1
    # The counts are the run's whole record of it: no log row names what went.
    assert not AccessLogEntry.objects.filter(action="delete", model="agencies.accesslogentry").exists()

    apply_rules()  # a second run: nothing more goes, the reviewed row is still counted as kept
    assert RetentionRun.objects.order_by("-pk")[0].counts["access-log"] == {
        police.slug: {"delete": 0, "counters": 0, "blocked": 1}
    }
    assert ids(log["middle"]) | ids(log["today"]) <= set(AccessLogEntry.objects.values_list("pk", flat=True))


def test_a_short_rule_never_takes_a_row_younger_than_a_year(log, police):
    RetentionRule.objects.filter(category__code="access-log", agency=None).update(period_months=1)
    apply_rules()
    left = set(AccessLogEntry.objects.filter(agency=police).values_list("pk", flat=True))
    assert not ids(log["old"]) & left and not ids(log["middle"]) & left  # seven and three years old: gone
    assert ids(log["today"]) <= left  # today's: the floor keeps it, whatever the rule says
    assert RetentionRun.objects.get().counts["access-log"][police.slug]["delete"] == 4


def test_after_the_run_everyone_else_still_meets_the_guard(log):
    apply_rules()
    for sql in ("DELETE FROM agencies_accesslogentry", "DELETE FROM agencies_accesslogtarget",
                "UPDATE agencies_accesslogentry SET action = 'change'", "DELETE FROM agencies_logreviewverdict"):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert ids(log["today"]) <= set(AccessLogEntry.objects.values_list("pk", flat=True))


def test_thinning_by_hand_is_held_to_the_same_floor(log, police):
    # Even asked for everything up to tomorrow, the path takes only what is older than a year.
    done = append_only.thin(connection, agency_id=police.pk, before=timezone.now() + timedelta(days=1))
    assert (done.entries, done.counters) == (4, 1)
    assert ids(log["today"]) <= set(AccessLogEntry.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "sql", ["DELETE FROM agencies_logreviewverdict", "UPDATE agencies_logreviewverdict SET verdict = 'flagged'"]
)
def test_log_review_verdicts_are_append_only_in_the_database(log, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert LogReviewVerdict.objects.get().verdict == "confirmed"
