"""A task through the real broker and a real worker process (CI's PostgreSQL + Redis run).

Under `make test` (SQLite, no broker) this skips with the reason; under REQUIRE_SERVICES=1 it fails instead.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Share
from agencies.tasks import expire_shares
from agencies.tests.factories import legal_basis
from cases.models import IndividualGroupGrant
from cases.tests.factories import IndividualFactory, give_task
from gvi_portal.testing import run_on_worker

pytestmark = pytest.mark.services


def test_expire_shares_runs_on_a_real_worker(celery_worker, police, kommun, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    record = access.share(
        person,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=police_caseworker,
        expires_at=timezone.now() + timedelta(minutes=5),
    )
    # share() refuses a past expiry, so move it (and the grant that mirrors it) into the past afterwards.
    past = timezone.now() - timedelta(minutes=1)
    Share.objects.filter(pk=record.pk).update(expires_at=past)
    IndividualGroupGrant.objects.filter(content_object=person).update(expires_at=past)

    closed = run_on_worker(celery_worker, expire_shares)

    assert closed == [record.pk]
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert not IndividualGroupGrant.objects.filter(content_object=person).exists()
    revokes = AccessLogEntry.objects.filter(action="revoke", via="task")
    assert revokes.count() == 1
    entry = revokes.get()
    assert entry.agency_id == police.pk  # logged as the disclosing agency
    assert entry.object_ids == [person.pk]
    assert entry.detail["share"] == record.pk

    # Idempotent: a second run through the worker closes nothing and logs nothing.
    revoked_at, log_size = record.revoked_at, AccessLogEntry.objects.count()
    assert run_on_worker(celery_worker, expire_shares) == []
    record.refresh_from_db()
    assert record.revoked_at == revoked_at
    assert AccessLogEntry.objects.count() == log_size


def test_membership_expiry_runs_on_a_real_worker_twice_with_the_same_result(celery_worker, police, police_caseworker):
    from cases.models import GroupMembership
    from cases.tasks import expire_memberships
    from cases.tests.factories import group, membership

    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    stale = membership(
        police_caseworker,
        person,
        group(police, police_caseworker),
        review_due=timezone.localdate() - timedelta(days=31),
    )

    assert run_on_worker(celery_worker, expire_memberships) == {"expired": [stale.pk], "count": 1}
    stale.refresh_from_db()
    assert stale.status == GroupMembership.Status.EXPIRED
    log_size = AccessLogEntry.objects.count()
    assert run_on_worker(celery_worker, expire_memberships) == {"expired": [], "count": 0}
    assert AccessLogEntry.objects.count() == log_size


def test_consent_expiry_and_reminders_run_on_a_real_worker(
    celery_worker, police, kommun, police_caseworker, kommun_caseworker
):
    from cases import services
    from cases.models import Consent, TaskReminder
    from cases.tasks import expire_consents, send_task_reminders
    from cases.tests.factories import consent, exit_case

    person = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    access.share(
        person,
        to_agency=police,
        level="view",
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    case = exit_case(kommun_caseworker, person)
    services.case_join(
        case=case,
        to_agency=police,
        legal_basis=legal_basis(),
        assessment="Behövs för samverkan.",
        acting_user=kommun_caseworker,
    )
    given = consent(kommun_caseworker, person, [kommun, police], categories=["threat"])
    entry = services.entry_add(case=case, acting_user=police_caseworker, kind="threat", title="Hotbild")
    resting = services.entry_share(
        entry=entry,
        to_agency=kommun,
        legal_basis=legal_basis("samtycke"),
        assessment="Behövs för samverkan.",
        consent=given,
        acting_user=police_caseworker,
    )
    # The consent lapsed yesterday but the nightly job has not run: the register still says active.
    Consent.objects.filter(pk=given.pk).update(valid_until=timezone.localdate() - timedelta(days=1))

    assert run_on_worker(celery_worker, expire_consents) == {"revoked": [resting.pk], "count": 1}
    assert run_on_worker(celery_worker, expire_consents) == {"revoked": [], "count": 0}
    resting.refresh_from_db()
    assert resting.revoked_at is not None

    police_caseworker.email = "polis@example.invalid"
    police_caseworker.save()
    give_task(
        case=case, acting_user=kommun_caseworker, title="Ring", assignee_agency=police,
        assignee_user=police_caseworker, due_on=timezone.localdate() - timedelta(days=1),
    )  # fmt: skip
    assert run_on_worker(celery_worker, send_task_reminders) == {"due_soon": 0, "overdue": 1}
    assert run_on_worker(celery_worker, send_task_reminders) == {"due_soon": 0, "overdue": 0}
    assert TaskReminder.objects.get().recipients == ["polis@example.invalid"]


def test_monthly_log_reviews_run_on_a_real_worker_twice_with_one_review(celery_worker, police, police_caseworker):
    from datetime import datetime, time

    from agencies.models import LogReview
    from agencies.services.log_review import previous_month
    from agencies.tasks import create_log_reviews

    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    month = previous_month()
    # A read last month at 22:00, written as the gate writes one (the log takes an earlier time on insert only).
    at = timezone.make_aware(datetime.combine(month.replace(day=15), time(22, 0)))
    entry = AccessLogEntry.objects.create(
        user=police_caseworker, agency=police, action="view", model="cases.individual", object_ids=[person.pk],
        via="ui", at=at,
    )  # fmt: skip
    entry.targets.create(model="cases.individual", object_id=person.pk, person_id=person.pk)

    made = run_on_worker(celery_worker, create_log_reviews)

    review = LogReview.objects.get(agency=police)
    assert review.pk in made and review.month == month
    assert [(item.entry_id, set(item.rules)) for item in review.items.all()] == [
        (entry.pk, {"sample", "outside_cases", "outside_hours"})
    ]
    # Run again through the worker: nothing new, still one review per agency and month.
    assert run_on_worker(celery_worker, create_log_reviews) == []
    assert LogReview.objects.filter(agency=police).count() == 1
