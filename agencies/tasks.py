from datetime import date

from celery import shared_task

from .access import expire_due_shares
from .context import audit_context
from .models import Via
from .services.log_review import log_review_reminders_send, log_reviews_create


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def expire_shares() -> list[int]:
    """Close shares whose end date has passed. Idempotent: run twice, the second run closes nothing."""
    with audit_context(Via.TASK):
        return expire_due_shares()


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def create_log_reviews(month: str | None = None) -> list[int]:
    """Each agency's access-log review of last month (or of `month`, "YYYY-MM-DD"). Run twice: one review."""
    with audit_context(Via.TASK):
        return log_reviews_create(month=date.fromisoformat(month) if month else None)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def remind_log_reviews() -> list[int]:
    """Remind the leads of reviews with items still without a verdict (at most once per interval)."""
    with audit_context(Via.TASK):
        return log_review_reminders_send()
