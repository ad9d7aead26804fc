"""What a dashboard shows, as CSV or Excel: the same tables, the same display strings — so the joint export
carries "<3" and ".." exactly where the page does and never a hidden number."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from openpyxl import Workbook

from .tables import FigureTable


def _tables(context: dict) -> list[FigureTable]:
    tables: list[FigureTable] = [*context.get("goal1", [])]
    for key in ("goal3", "goal4"):
        if context.get(key) is not None:
            tables.append(context[key])
    tables += context.get("work", [])
    return tables


def _lines(table: FigureTable) -> Iterable[list[str]]:
    # str(): headings may be lazy translations, which a spreadsheet cell cannot hold.
    yield [str(table.title)]
    yield [str(table.row_heading), *(str(c) for c in table.columns)]
    for row in table.rows:
        yield [str(row.label), *row.cells]
    if table.total is not None:
        yield [str(table.total.label), *table.total.cells]


def as_csv(context: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")  # Swedish Excel opens semicolon-separated files as columns
    for table in _tables(context):
        writer.writerows(_lines(table))
        writer.writerow([])
    return out.getvalue()


def as_xlsx(context: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Instrumentpanel"
    for table in _tables(context):
        for line in _lines(table):
            sheet.append(line)
        sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
