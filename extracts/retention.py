"""How the retention rules apply to register extracts (docs/retention.md, docs/extracts.md). Registered from
ExtractsConfig.ready().

Two categories, two periods: the files (a copy of everything the agency holds about the person, handed out)
are emptied a month after they were produced; the order row — who ordered an extract about whom, when, and
that it was produced — stays as long as the access log that records the same, then goes.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import F, QuerySet
from django.utils import timezone

from agencies import audit
from agencies.models import Action
from retention.registry import Kind, register

from .models import RegisterExtract


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def files_due(extracts: QuerySet, cutoff: date) -> QuerySet:
    """Produced extracts whose files are still there: an emptied one is not due again."""
    return extracts.filter(
        status=RegisterExtract.Status.DONE, files_removed_at__isnull=True, produced_at__lt=_start_of(cutoff)
    ).defer("pdf", "json")


def remove_files(extract: RegisterExtract, *, reason: str) -> None:
    """Empty the two files and note when; the row and its status stay. Logged as a change of the extract."""
    RegisterExtract._base_manager.filter(pk=extract.pk).update(
        pdf=b"", json=b"", files_removed_at=timezone.now(), version=F("version") + 1
    )
    audit.record(
        user=None,
        agency_id=extract.owner_agency_id,
        action=Action.CHANGE,
        model=RegisterExtract,
        objects=[extract],
        detail={"files_removed": True, "reason": reason},
    )


def orders_due(extracts: QuerySet, cutoff: date) -> QuerySet:
    return extracts.filter(created_at__lt=_start_of(cutoff)).defer("pdf", "json")


def register_kinds() -> None:
    register(
        Kind("register-extract-files", RegisterExtract, files_due, anonymise=remove_files, url_name="extract-detail")
    )
    register(Kind("register-extracts", RegisterExtract, orders_due, url_name="extract-detail"))
