import json

from extracts.models import RegisterExtract
from extracts.services import extract_order
from extracts.tasks import produce_extract


def ordered(user, person, capture) -> RegisterExtract:
    """Order an extract, then run the task the order queued, in this process.

    The task's body is called directly rather than through the broker or eager mode, so the test means the same
    on SQLite and on the PostgreSQL + Redis run (where a queued task would wait for a worker)."""
    with capture() as queued:
        extract = extract_order(acting_user=user, individual=person)
    assert len(queued) == 1
    produce_extract(extract.pk)
    extract.refresh_from_db()
    return extract


def document(extract: RegisterExtract) -> dict:
    return json.loads(bytes(extract.json))
