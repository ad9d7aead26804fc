"""The nightly retention task through the real Redis broker and a real worker process, run twice with the same
result. (The worker is another process, so the clock cannot be moved for it: the data is old instead.)

Under `make test` (SQLite, no broker) this skips with the reason; under REQUIRE_SERVICES=1 it fails instead."""

from datetime import date

import pytest

from agencies.models import AccessLogEntry, Share
from cases import services as cases
from cases.models import CaseEntry
from cases.tests.factories import IndividualFactory, exit_case
from gvi_portal.testing import run_on_worker
from retention.models import RetentionRun
from retention.tasks import apply_retention_rules

from .kinds import share

pytestmark = pytest.mark.services


def test_the_nightly_run_on_a_real_worker_twice_with_the_same_result(celery_worker, police, kommun, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    case = exit_case(police_caseworker, person)
    old = cases.entry_add(
        case=case, acting_user=police_caseworker, kind="note", title="Gammal", occurred_on=date(2015, 1, 1)
    )
    record = share(old, kommun, police_caseworker)
    kept = IndividualFactory(owner_agency=police, created_by=police_caseworker)

    first = run_on_worker(celery_worker, apply_retention_rules)

    assert first["delete"] == {"cases.caseentry": [old.pk]}
    assert not CaseEntry.objects.filter(pk=old.pk).exists()
    record.refresh_from_db()
    assert record.object_id == 0 and record.revoked_at is not None
    deleted = AccessLogEntry.objects.filter(action="delete", via="task", model="cases.caseentry")
    assert list(deleted.values_list("object_ids", flat=True)) == [[old.pk]]
    log_size = AccessLogEntry.objects.count()

    second = run_on_worker(celery_worker, apply_retention_rules)

    assert second == {"anonymise": {}, "delete": {}, "held": {}, "blocked": {}}
    assert AccessLogEntry.objects.count() == log_size
    assert Share.objects.filter(pk=record.pk, object_id=0).exists()
    assert kept.__class__.objects.filter(pk=kept.pk).exists()
    assert RetentionRun.objects.count() == 2
