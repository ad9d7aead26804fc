from celery import shared_task

from .access import expire_due_shares
from .context import audit_context
from .models import Via


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_shares() -> list[int]:
    """Close shares whose end date has passed. Idempotent: run twice, the second run closes nothing."""
    with audit_context(Via.TASK):
        return expire_due_shares()
