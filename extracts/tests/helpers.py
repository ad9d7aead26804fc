import json

from extracts.models import RegisterExtract
from extracts.services import extract_order


def ordered(user, person, capture) -> RegisterExtract:
    """Order an extract and let the (eager) task produce it when the order commits."""
    with capture(execute=True):
        extract = extract_order(acting_user=user, individual=person)
    extract.refresh_from_db()
    return extract


def document(extract: RegisterExtract) -> dict:
    return json.loads(bytes(extract.json))
