from celery import shared_task

from agencies.context import audit_context
from agencies.models import Via


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def produce_extract(extract_id: int) -> dict:
    """Produce a register extract's PDF and JSON; the status page polls its progress. Idempotent."""
    from .services import extract_produce

    with audit_context(Via.TASK):
        extract = extract_produce(extract_id=extract_id)
    return {"extract": extract_id, "status": extract.status if extract is not None else None}
