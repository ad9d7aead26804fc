import logging

from celery import shared_task

from agencies.context import audit_context
from agencies.models import Via

from .models import SnapshotRun

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def compute_nightly_snapshots() -> dict:
    """Nightly: rebuild the dashboard snapshots. Idempotent: the same data gives the same rows."""
    from .services import snapshot_nightly

    with audit_context(Via.TASK):
        run = snapshot_nightly()
    logger.info("compute_nightly_snapshots: %d row(s) as of %s", run.rows, run.as_of)
    return {"run": run.pk, "rows": run.rows}


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def compute_snapshots_for_run(run_id: int) -> dict:
    """A lead's fresh computation: the run's row carries the progress the page polls."""
    from .services import snapshot_run

    run = SnapshotRun.objects.filter(pk=run_id).first()
    if run is None:
        return {"run": None, "rows": 0}
    with audit_context(Via.TASK):
        run = snapshot_run(run=run)
    return {"run": run.pk, "rows": run.rows}


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def import_survey(import_id: int) -> dict:
    """A large survey file, validated and imported by a worker; the page polls the import's progress."""
    from .services.surveys import survey_import_run

    result = survey_import_run(import_id=import_id)
    return {"import": import_id, "status": result.status, "rows": result.rows}
