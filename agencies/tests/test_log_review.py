"""The leads' monthly log review: which reads are selected and why, made once a month, verdicts, reminders.

Reads are made through the real gate with the clock moved (time-machine), in two agencies, so the log rows
are the ones a running portal writes.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from agencies import access
from agencies.errors import ApplicationError
from agencies.models import (
    AccessLogEntry,
    Action,
    AppendOnlyError,
    LogReview,
    LogReviewItem,
    LogReviewReminder,
    LogReviewVerdict,
    ReviewRule,
)
from agencies.selectors.log_review_patterns import Parameters, many_persons, outside_hours, sample, select
from agencies.services.log_review import (
    log_review_create,
    log_review_reminders_send,
    log_reviews_create,
    previous_month,
    verdict_record,
)
from agencies.tasks import create_log_reviews, remind_log_reviews
from agencies.tests.factories import UserFactory, basis_for
from cases.models import Individual
from cases.tests.factories import IndividualFactory, exit_case

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
OCTOBER = date(2026, 10, 1)
SMALL_SAMPLE = Parameters(sample_size=3, many_persons=30, minutes=10, workday_start=7, workday_end=19)


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=STOCKHOLM)


def person(owner, user) -> Individual:
    return IndividualFactory(owner_agency=owner, created_by=user)


def read(user, obj, when: datetime) -> int:
    """`user` opens `obj`'s page at `when`; the id of the log row the gate writes."""
    with time_machine.travel(when, tick=False):
        access.get_or_404(user, type(obj), obj.pk)
    entry = AccessLogEntry.objects.filter(user=user, action=Action.VIEW).order_by("-id").first()
    assert entry is not None and entry.at == when
    return entry.pk


def rules_of(review: LogReview) -> dict[int, set[str]]:
    return {item.entry_id: set(item.rules) for item in review.items.all()}


@pytest.fixture
def dataset(police, kommun, police_caseworker, police_lead, kommun_caseworker, kommun_lead):
    """A month of reads at Polisen and at Örebro kommun, each read labelled with the patterns it matches."""
    colleague = UserFactory(agency=police)
    with time_machine.travel(at(1, 9, month=9), tick=False):
        in_case = person(police, police_caseworker)
        exit_case(police_caseworker, in_case)
        burst = [person(police, police_caseworker) for _ in range(30)]
        for p in burst:
            exit_case(police_caseworker, p)
        no_case = person(police, police_caseworker)
        kommun_person = person(kommun, kommun_caseworker)
        kommun_burst = [person(kommun, kommun_caseworker) for _ in range(30)]
        kommun_case = exit_case(kommun_caseworker, kommun_person)
        access.share(
            kommun_person,
            to_agency=police,
            level="view",
            legal_basis=basis_for(police),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )

    expected: dict[int, set[str]] = {}
    # Tuesday 13 October, working hours, a person in one of Polisen's own cases: no pattern.
    plain = [read(police_caseworker, in_case, at(13, 10, minute)) for minute in range(0, 50, 5)]
    for entry_id in plain:
        expected[entry_id] = set()
    # Outside working hours: before 07, from 19, a Saturday; 18:59 is still the working day.
    expected[read(police_caseworker, in_case, at(14, 6, 59))] = {ReviewRule.OUTSIDE_HOURS}
    expected[read(police_caseworker, in_case, at(14, 18, 59))] = set()
    expected[read(police_caseworker, in_case, at(14, 19, 0))] = {ReviewRule.OUTSIDE_HOURS}
    expected[read(colleague, in_case, at(17, 12, 0))] = {ReviewRule.OUTSIDE_HOURS}
    # A person in none of Polisen's cases.
    expected[read(colleague, no_case, at(15, 10, 0))] = {ReviewRule.OUTSIDE_CASES}
    # Kommun's person: outside Polisen's cases until kommun shares the case header with Polisen on the 20th.
    expected[read(police_caseworker, kommun_person, at(19, 10, 0))] = {ReviewRule.OUTSIDE_CASES}
    with time_machine.travel(at(20, 9, 0), tick=False):
        access.share(
            kommun_case,
            to_agency=police,
            level="view",
            legal_basis=basis_for(police),
            assessment="Behövs för samverkan.",
            acting_user=kommun_caseworker,
        )
    expected[read(police_caseworker, kommun_person, at(21, 10, 0))] = set()
    # 30 distinct persons within ten minutes (every 18 s: the last at 9 min 42 s): many persons.
    for index, p in enumerate(burst):
        expected[read(colleague, p, at(22, 14, 0) + timedelta(seconds=18 * index))] = {ReviewRule.MANY_PERSONS}
    # 29 of them within ten minutes by another user, and the 30th eleven minutes after the first: not many.
    start = at(23, 14, 0)
    for index, p in enumerate(burst[:29]):
        expected[read(police_caseworker, p, start + timedelta(seconds=18 * index))] = set()
    expected[read(police_caseworker, burst[29], start + timedelta(minutes=11))] = set()
    # September and November are other months.
    read(police_caseworker, no_case, at(30, 23, 0, month=9))
    read(police_caseworker, no_case, at(1, 0, 0, month=11))
    # Kommun's own reads at night, and in a burst, are kommun's review's business.
    kommun_reads = [read(kommun_caseworker, kommun_person, at(13, 2, 0))]
    for index, p in enumerate(kommun_burst):
        kommun_reads.append(read(kommun_caseworker, p, at(22, 15, 0) + timedelta(seconds=10 * index)))
    return {"expected": expected, "kommun_reads": kommun_reads}


def test_the_review_holds_every_read_that_matches_a_pattern_and_only_the_agencys_own(police, kommun, dataset):
    expected = dataset["expected"]
    review = log_review_create(agency=police, month=OCTOBER, parameters=SMALL_SAMPLE)
    assert review is not None
    selected = rules_of(review)

    assert review.reads == len(expected)
    matching = {entry_id: rules for entry_id, rules in expected.items() if rules}
    assert matching, "the data set must hold reads that match a pattern"
    for entry_id, rules in matching.items():
        assert entry_id in selected
        assert selected[entry_id] - {ReviewRule.SAMPLE} == rules
    # Everything else there is only by the sample, which is exactly the sample size.
    sampled = {entry_id for entry_id, rules in selected.items() if ReviewRule.SAMPLE in rules}
    assert len(sampled) == SMALL_SAMPLE.sample_size
    assert set(selected) == set(matching) | sampled
    assert sampled <= set(expected)
    # Only Polisen's reads of October.
    assert set(AccessLogEntry.objects.filter(pk__in=selected).values_list("agency_id", flat=True)) == {police.pk}
    assert not set(dataset["kommun_reads"]) & set(selected)


def test_the_other_agency_gets_its_own_reads(police, kommun, dataset):
    review = log_review_create(agency=kommun, month=OCTOBER, parameters=SMALL_SAMPLE)
    assert review is not None
    selected = rules_of(review)
    night, *burst = dataset["kommun_reads"]
    assert ReviewRule.OUTSIDE_HOURS in selected[night]
    assert all(ReviewRule.MANY_PERSONS in selected[entry_id] for entry_id in burst)
    # Kommun has no case about any of these persons.
    assert all(ReviewRule.OUTSIDE_CASES in selected[entry_id] for entry_id in burst)
    assert not set(dataset["expected"]) & set(selected)


def test_the_sample_is_the_same_every_time(police, dataset):
    first = select(agency_id=police.pk, month=OCTOBER, parameters=SMALL_SAMPLE)
    second = select(agency_id=police.pk, month=OCTOBER, parameters=SMALL_SAMPLE)
    assert first == second
    assert sample(range(100), size=5, seed="1:2026-10") == sample(reversed(range(100)), size=5, seed="1:2026-10")
    assert sample(range(100), size=5, seed="1:2026-10") != sample(range(100), size=5, seed="2:2026-10")
    assert sample(range(3), size=5, seed="x") == {0, 1, 2}


def test_many_persons_counts_distinct_persons_within_the_window():
    t0 = at(1, 10)
    # The same person 40 times in a minute is not "many persons".
    assert many_persons([(i, 1, t0 + timedelta(seconds=i), 7) for i in range(40)], threshold=30, minutes=10) == set()
    rows = [(i, 1, t0 + timedelta(seconds=20 * i), i) for i in range(31)]  # 31 persons in 10 min exactly
    assert many_persons(rows, threshold=30, minutes=10) == set(range(31))
    spread = [(i, 1, t0 + timedelta(seconds=21 * i), i) for i in range(30)]  # the 30th after 10 min 9 s
    assert many_persons(spread, threshold=30, minutes=10) == set()
    two_users = [(i, i % 2, t0 + timedelta(seconds=i), i) for i in range(40)]  # 20 each
    assert many_persons(two_users, threshold=30, minutes=10) == set()


def test_working_hours_are_local_time_and_weekdays():
    assert outside_hours(at(12, 6, 59), start=7, end=19)
    assert not outside_hours(at(12, 7, 0), start=7, end=19)
    assert not outside_hours(at(12, 18, 59), start=7, end=19)
    assert outside_hours(at(12, 19, 0), start=7, end=19)
    assert outside_hours(at(17, 12, 0), start=7, end=19)  # Saturday
    assert outside_hours(at(18, 12, 0), start=7, end=19)  # Sunday
    # 05:30 UTC is 06:30 in Stockholm in winter (CET) and 07:30 in summer (CEST).
    assert outside_hours(datetime(2026, 12, 1, 5, 30, tzinfo=ZoneInfo("UTC")), start=7, end=19)
    assert not outside_hours(datetime(2026, 6, 2, 5, 30, tzinfo=ZoneInfo("UTC")), start=7, end=19)


def test_monthly_creation_is_idempotent(police, kommun, police_caseworker):
    p = person(police, police_caseworker)
    read(police_caseworker, p, at(13, 10))
    with time_machine.travel(at(1, 4, month=11), tick=False):
        assert previous_month() == OCTOBER
        made = log_reviews_create()
        again = log_reviews_create()
    assert len(made) == 2 and again == []
    assert LogReview.objects.filter(month=OCTOBER).count() == 2
    police_review = LogReview.objects.get(agency=police, month=OCTOBER)
    assert police_review.items.count() == 1
    assert police_review.parameters["sample_size"] == 20
    # Through the task too (run in-process): still one review per agency and month.
    assert create_log_reviews.apply(args=["2026-10-01"]).get() == []
    assert LogReview.objects.filter(agency=police, month=OCTOBER).count() == 1


def test_a_month_without_reads_still_gets_an_empty_review(police):
    review = log_review_create(agency=police, month=OCTOBER)
    assert review is not None and review.reads == 0 and not review.items.exists()


def _review_with_items(police, police_caseworker, count=2) -> LogReview:
    p = person(police, police_caseworker)
    for index in range(count):
        read(police_caseworker, p, at(13, 10, index))
    review = log_review_create(agency=police, month=OCTOBER)
    assert review is not None
    return review


def test_a_verdict_is_recorded_and_a_new_one_never_overwrites_it(police, police_caseworker, police_lead):
    review = _review_with_items(police, police_caseworker, count=1)
    item = review.items.get()
    with time_machine.travel(at(2, 9, month=11), tick=False):
        first = verdict_record(acting_user=police_lead, item=item, verdict="confirmed", comment=" Ärendearbete. ")
    with time_machine.travel(at(3, 9, month=11), tick=False):
        second = verdict_record(acting_user=police_lead, item=item, verdict="flagged", comment="Kontrollera.")
    assert list(item.verdicts.all()) == [second, first]  # the newest first, and the one that counts
    first.refresh_from_db()
    assert (first.verdict, first.comment, first.decided_by, first.decided_at) == (
        "confirmed",
        "Ärendearbete.",
        police_lead,
        at(2, 9, month=11),
    )
    with pytest.raises(AppendOnlyError):
        first.save()
    with pytest.raises(AppendOnlyError):
        LogReviewVerdict.objects.filter(pk=first.pk).update(verdict="flagged")
    with pytest.raises(AppendOnlyError):
        first.delete()
    # The verdict itself is in the access log.
    logged = AccessLogEntry.objects.filter(model="agencies.logreviewverdict", user=police_lead)
    assert sorted(logged.values_list("object_ids", flat=True)) == [[first.pk], [second.pk]]


def test_only_a_lead_of_the_reviews_agency_gives_a_verdict(police, police_caseworker, kommun_lead):
    review = _review_with_items(police, police_caseworker, count=1)
    item = review.items.get()
    for user in (police_caseworker, kommun_lead):
        with pytest.raises(ApplicationError) as refused:
            verdict_record(acting_user=user, item=item, verdict="confirmed")
        assert refused.value.code == "not_found"
    assert not LogReviewVerdict.objects.exists()


def test_an_unknown_verdict_is_refused(police, police_caseworker, police_lead):
    item = _review_with_items(police, police_caseworker, count=1).items.get()
    with pytest.raises(ApplicationError) as refused:
        verdict_record(acting_user=police_lead, item=item, verdict="maybe")
    assert refused.value.code == "invalid_verdict"


def test_unreviewed_reviews_are_reminded_to_the_agencys_leads(
    settings, django_capture_on_commit_callbacks, police, kommun, police_caseworker, police_lead, kommun_lead
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LOG_REVIEW_REMIND_EVERY_DAYS = 7
    police_lead.email = "polis.chef@example.invalid"
    police_lead.save()
    kommun_lead.email = "kommun.chef@example.invalid"
    kommun_lead.save()
    second_lead = UserFactory(agency=police, agency__role="lead", email="polis.chef2@example.invalid")
    with time_machine.travel(at(1, 4, month=11), tick=False):
        review = _review_with_items(police, police_caseworker, count=2)
    first, second = review.items.all()

    with time_machine.travel(at(7, 6, 30, month=11), tick=False):
        assert remind_log_reviews.apply().get() == []  # six days old: not yet
    # The mail leaves when the reminder's transaction commits.
    with time_machine.travel(at(8, 6, 30, month=11), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert log_review_reminders_send() == [review.pk]
        assert log_review_reminders_send() == []  # the same day again: nothing twice
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([police_lead.email, second_lead.email])
    assert "oktober 2026" in message.subject
    assert "2 av 2 poster" in message.body
    assert f"/atkomstlogg/granskning/{review.pk}/" in message.body
    assert LogReviewReminder.objects.get().unreviewed == 2

    verdict_record(acting_user=police_lead, item=first, verdict="confirmed")
    with time_machine.travel(at(15, 6, 30, month=11), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert log_review_reminders_send() == [review.pk]
    assert "1 av 2 poster" in mail.outbox[1].body

    verdict_record(acting_user=police_lead, item=second, verdict="flagged")
    with time_machine.travel(at(29, 6, 30, month=11), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert log_review_reminders_send() == []  # every item has a verdict
    assert len(mail.outbox) == 2
    assert all(kommun_lead.email not in m.to for m in mail.outbox)


def test_items_name_entries_of_their_own_review_once(police, police_caseworker):
    review = _review_with_items(police, police_caseworker, count=3)
    entries = list(review.items.values_list("entry_id", flat=True))
    assert len(entries) == len(set(entries)) == 3
    assert LogReviewItem.objects.filter(review=review).count() == 3
