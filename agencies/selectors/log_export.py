"""The lead's access log as CSV, for an audit: the filtered view, row by row, in the same human terms as the page.

Streamed in chunks: each chunk's records are named through the gate in one query per kind (log_rows), so an
export of a year's log neither loads it whole nor asks the gate once per row. The export itself is logged
(`detail.export = "csv"`, with the filters used — never a person search's term), and so are the records
whose titles it carries, as on the page.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit
from ..context import AuditContext, audit_context, current
from ..models import AccessLogEntry, Action
from .log_rows import LogRow, describe_rows

CHUNK = 500
# A spreadsheet runs a cell that starts with one of these as a formula; an alias or a title could.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _header() -> list[str]:
    return [
        _("Tid"),
        _("Användare"),
        _("Användarnamn"),
        _("Myndighet"),
        _("Händelse"),
        _("Typ av post"),
        _("Antal poster"),
        _("Poster"),
        _("Kanal"),
        _("Till myndighet"),
        _("Rättslig grund"),
        _("Bedömning"),
        _("Skäl"),
        _("Begäran-id"),
    ]


def _line(row: LogRow) -> list[str]:
    at = timezone.localtime(row.at)
    return [
        at.strftime("%Y-%m-%d %H:%M:%S"),
        row.who,
        row.username,
        row.agency,
        row.verb,
        row.kind,
        str(row.count),
        row.records_text(),
        row.channel,
        row.to_agency,
        row.legal_basis,
        row.assessment,
        row.reason,
        str(row.entry.request_id),
    ]


def log_export_started(*, user, agency_id: int, filters: dict) -> None:
    """Log that the user exported the log, and with which filters (the person filter as ids, not a term)."""
    audit.record(
        user=user,
        agency_id=agency_id,
        action=Action.LIST,
        model=AccessLogEntry,
        detail={"export": "csv", "filters": filters},
    )


def csv_lines(*, user, entries: models.QuerySet[AccessLogEntry]) -> Iterator[str]:
    """The export, one chunk of CSV lines at a time (semicolons, as Swedish Excel expects)."""
    # A streamed body is produced after the view has returned, outside the request's audit context: take it
    # now, so the list reads logged while streaming name the same channel and request id.
    return _stream(user, entries, current())


def _stream(user, entries: models.QuerySet[AccessLogEntry], ctx: AuditContext) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return text

    buffer.write("\ufeff")  # a byte-order mark, so Excel reads the file as UTF-8 (å, ä, ö)
    writer.writerow(_header())
    yield flush()
    for chunk in _chunks(entries):
        # Entered per chunk, never across a yield: the context must not outlive this step of the stream.
        with audit_context(ctx.via, ctx.request_id):
            rows = describe_rows(user=user, entries=chunk)
        writer.writerows([_cell(value) for value in _line(row)] for row in rows)
        yield flush()


def _chunks(entries: models.QuerySet[AccessLogEntry]) -> Iterator[list[AccessLogEntry]]:
    """The entries newest first, CHUNK at a time, each chunk after the last one's (at, id) — a keyset on the
    (agency, -at) index, so the list reads logged while exporting (newer than any exported row) never enter it."""
    chunk = list(entries[:CHUNK])
    while chunk:
        yield chunk
        last = chunk[-1]
        chunk = list(entries.filter(Q(at__lt=last.at) | Q(at=last.at, pk__lt=last.pk))[:CHUNK])
