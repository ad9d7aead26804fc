import logging

from celery import shared_task

from agencies.context import audit_context
from agencies.models import Via

from .services import apply_rules

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def apply_retention_rules() -> dict:
    """Nightly: anonymise or delete what the retention rules name (docs/retention.md). Idempotent: a second run
    finds nothing left to do. Each removal is logged as the owning agency's, by a task."""
    with audit_context(Via.TASK):
        done = apply_rules()
    logger.info(
        "apply_retention_rules: %s", {outcome: {k: len(v) for k, v in kinds.items()} for outcome, kinds in done.items()}
    )
    return done
