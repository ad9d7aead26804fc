import logging

from celery import shared_task

from agencies.context import audit_context
from agencies.models import Via

from .services import expire_unreviewed_memberships

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_memberships() -> dict:
    """Nightly: expire memberships left unreviewed 30 days past their review date. Idempotent.

    Each expiry is an access-log row of the owning agency; the owners see them on their review queue
    ("nyligen utgångna"); this report is what the worker log keeps.
    """
    with audit_context(Via.TASK):
        expired = expire_unreviewed_memberships()
    logger.info("expire_memberships: %d membership(s) expired: %s", len(expired), expired)
    return {"expired": expired, "count": len(expired)}
