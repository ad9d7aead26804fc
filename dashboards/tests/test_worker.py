"""The nightly snapshot task through the real broker and a worker process, twice, with the same result."""

import pytest

from dashboards.models import DailyFigure, JointFigure
from dashboards.tasks import compute_nightly_snapshots
from gvi_portal.testing import run_on_worker


@pytest.mark.django_db(transaction=True)
def test_nightly_snapshots_on_a_real_worker_are_idempotent(celery_worker, dataset):
    first = run_on_worker(celery_worker, compute_nightly_snapshots)
    rows = sorted(DailyFigure.objects.values_list("day", "metric", "key", "value", "agency_id"), key=str)
    joint = dict(JointFigure.objects.values_list("year", "data"))
    assert first["rows"] == len(rows) > 0
    assert set(joint) >= {0, 2024, 2025}
    second = run_on_worker(celery_worker, compute_nightly_snapshots)
    assert second["rows"] == first["rows"]
    assert sorted(DailyFigure.objects.values_list("day", "metric", "key", "value", "agency_id"), key=str) == rows
    assert dict(JointFigure.objects.values_list("year", "data")) == joint
