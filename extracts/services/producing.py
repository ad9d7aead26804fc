"""Producing a register extract: read every section through the gate as the user who ordered it, then write
the JSON file and the PDF made from it. Runs in a worker (extracts.tasks.produce_extract)."""

from __future__ import annotations

import json
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import access, audit
from cases.models import Individual

from ..models import RegisterExtract
from ..selectors import contents

logger = logging.getLogger(__name__)

# The JSON file's format and version: a reader can tell what it holds and whether the shape changed.
FORMAT = "gvi-portal/registerutdrag"
VERSION = 1


def _progress(extract: RegisterExtract, per_cent: int) -> None:
    # Outside any transaction, so the status page sees the steps as they are taken.
    RegisterExtract.objects.filter(pk=extract.pk).update(status=RegisterExtract.Status.RUNNING, progress=per_cent)


def _fail(extract: RegisterExtract, message: str) -> RegisterExtract:
    RegisterExtract.objects.filter(pk=extract.pk).update(status=RegisterExtract.Status.FAILED, error=message)
    extract.refresh_from_db()
    return extract


def extract_produce(*, extract_id: int) -> RegisterExtract | None:
    """Produce the extract's files. Idempotent: a finished or failed extract is left as it is (a task that is
    delivered twice produces it once)."""
    extract = RegisterExtract.objects.select_related("owner_agency", "ordered_by").filter(pk=extract_id).first()
    if extract is None or not extract.in_progress:
        return extract
    user = extract.ordered_by
    actor = access.actor_for(user)
    # The extract is read as the user who ordered it, for the agency that owns it. A user who has left the agency
    # (or moved to another) since ordering no longer reads anything for it.
    if actor is None or not access.owns(user, extract):
        return _fail(extract, _("Beställaren arbetar inte längre för myndigheten. Beställ ett nytt utdrag."))
    individual = access.find(user, Individual, extract.individual_id, log=False, count_denial=False)
    if individual is None:
        return _fail(extract, _("Personen är inte längre synlig för myndigheten."))

    try:
        return _produce(extract, user, actor, individual)
    except Exception:
        # Whatever went wrong, the page must stop polling and say so; the details are for the operators' log.
        logger.exception("register extract %s could not be produced", extract.pk)
        return _fail(extract, _("Ett tekniskt fel uppstod. Beställ ett nytt utdrag eller kontakta förvaltningen."))


def _produce(extract: RegisterExtract, user, actor: access.Actor, individual: Individual) -> RegisterExtract:
    document: dict = {}
    held: dict = {}
    steps = len(contents.SECTIONS) + 2  # the sections, the register, the files
    for done, read in enumerate(contents.SECTIONS, start=1):
        section = read(user, actor, individual)
        document[section.key] = section.rows
        for model, objects in section.read.items():
            if not objects:
                continue
            held.setdefault(model, []).extend(objects)
            # Producing an extract reads these records for the agency: logged as a list would be.
            audit.record_list(
                user=user, agency_id=actor.agency_id, model=model, objects=objects, detail={"extract": extract.pk}
            )
        _progress(extract, done * 100 // steps)
    register = contents.disclosures(user, actor, held)
    document[register.key] = register.rows
    _progress(extract, (steps - 1) * 100 // steps)

    produced_at = timezone.now()
    data = {
        "format": FORMAT,
        "version": VERSION,
        "extract": {
            "id": extract.pk,
            "agency": extract.owner_agency.name,
            "ordered_by": user.get_full_name() or user.get_username(),
            "ordered_at": contents.iso(extract.created_at),
            "produced_at": contents.iso(produced_at),
        },
        **document,
    }
    json_bytes = json.dumps(data, ensure_ascii=False, indent=2).encode()
    # ReportLab is imported here, not at module level: the app's ready() reaches this module, and every web
    # process and management command would otherwise pay ~60 ms to load a library only the worker uses.
    from .. import pdf

    pdf_bytes = pdf.render(data)
    with transaction.atomic():
        RegisterExtract.objects.filter(pk=extract.pk).update(
            status=RegisterExtract.Status.DONE, progress=100, produced_at=produced_at, pdf=pdf_bytes, json=json_bytes
        )
    logger.info(
        "register extract %s produced (%d bytes PDF, %d bytes JSON)", extract.pk, len(pdf_bytes), len(json_bytes)
    )
    extract.refresh_from_db()
    return extract
