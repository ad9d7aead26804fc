"""A task through the real broker and a real worker process (CI's PostgreSQL + Redis run).

Under `make test` (SQLite, no broker) this skips with the reason; under REQUIRE_SERVICES=1 it fails instead.
"""

from datetime import timedelta

import pytest
from celery.app.backends import by_url
from django.utils import timezone

from agencies import access
from agencies.models import AccessLogEntry, Share
from agencies.tasks import expire_shares
from agencies.tests.factories import legal_basis
from cases.models import IndividualGroupGrant
from cases.tests.factories import IndividualFactory
from gvi_portal import celery_app

pytestmark = pytest.mark.services

TASK_TIMEOUT = 30


def run_on_worker(worker, task):
    """Send `task` to the worker's queue and return its result (which proves the worker ran it)."""
    backend_cls, url = by_url(worker.result_backend, celery_app.loader)
    backend = backend_cls(app=celery_app, url=url)
    sent = task.apply_async(queue=worker.queue)
    result = celery_app.AsyncResult(sent.id, backend=backend)
    try:
        return result.get(timeout=TASK_TIMEOUT)
    except Exception as exc:
        pytest.fail(f"{task.name} did not complete on the worker: {exc!r}\n{worker.tail()}")
    finally:
        result.forget()


def test_expire_shares_runs_on_a_real_worker(celery_worker, police, kommun, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    record = access.share(
        person,
        to_agency=kommun,
        level="view",
        legal_basis=legal_basis(),
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
