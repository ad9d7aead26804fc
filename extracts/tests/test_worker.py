"""The extract produced by the real broker and a worker process (CI's PostgreSQL + Redis run), twice."""

import json

import pytest

from agencies.models import AccessLogEntry
from cases.tests.factories import IdentityDetailsFactory, IndividualFactory
from extracts.models import RegisterExtract
from extracts.tasks import produce_extract
from gvi_portal.testing import run_on_worker

pytestmark = pytest.mark.services

TASK_TIMEOUT = 60


def run(worker, extract_id: int) -> dict:
    return run_on_worker(worker, produce_extract, extract_id, timeout=TASK_TIMEOUT)


@pytest.mark.django_db(transaction=True)
def test_the_extract_is_produced_by_a_real_worker_once(celery_worker, police, police_caseworker):
    person = IndividualFactory(owner_agency=police, created_by=police_caseworker, alias="Östen Ä")
    IdentityDetailsFactory(individual=person, full_name="Östen Äng")
    # As ordered, but not through extract_order: its task would go to the default queue, which no worker reads here.
    extract = RegisterExtract.objects.create(owner_agency=police, individual=person, ordered_by=police_caseworker)

    assert run(celery_worker, extract.pk) == {"extract": extract.pk, "status": "done"}
    extract.refresh_from_db()
    assert extract.status == RegisterExtract.Status.DONE and extract.progress == 100
    data = json.loads(bytes(extract.json))
    assert data["person"]["alias"] == "Östen Ä" and data["identity"]["full_name"] == "Östen Äng"
    assert bytes(extract.pdf).startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(via="task", detail__extract=extract.pk).count() == 2  # person, identity

    # Delivered again: nothing is produced or logged twice.
    produced_at, log_size = extract.produced_at, AccessLogEntry.objects.count()
    assert run(celery_worker, extract.pk) == {"extract": extract.pk, "status": "done"}
    extract.refresh_from_db()
    assert extract.produced_at == produced_at
    assert AccessLogEntry.objects.count() == log_size
