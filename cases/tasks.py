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


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_consents() -> dict:
    """Nightly: revoke shares resting on consents whose last valid day has passed. Idempotent."""
    from .services.consents import expire_lapsed_consents

    with audit_context(Via.TASK):
        revoked = expire_lapsed_consents()
    logger.info("expire_consents: %d share(s) revoked: %s", len(revoked), revoked)
    return {"revoked": revoked, "count": len(revoked)}


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def send_task_reminders() -> dict:
    """Daily: reminders for tasks due in two days and overdue, each at most once per task and threshold."""
    from .services.reminders import send_task_reminders as send

    with audit_context(Via.TASK):
        sent = send()
    logger.info("send_task_reminders: %s", sent)
    return sent
