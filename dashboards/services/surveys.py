"""Goal 2's survey import: a CSV file of district, year, question, value, respondents.

Every row is validated first; one bad row rejects the whole file with every error by line number, and
nothing is imported. A good file is written in one transaction (a district, year and question already
there is replaced). A file longer than SURVEY_IMPORT_INLINE_ROWS is imported by a worker
(dashboards.tasks.import_survey) that reports its progress on the SurveyImport row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from agencies import access
from agencies.errors import ApplicationError
from cases.models import District

from ..models import SurveyImport, SurveyResult

COLUMNS = ("district", "year", "question", "value", "respondents")


@dataclass(frozen=True)
class ParsedRow:
    district_id: int
    year: int
    question: str
    value: Decimal
    respondents: int


def parse(content: str) -> tuple[list[ParsedRow], list[str]]:
    """All rows, or every error with its line number (line 1 is the header)."""
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";" if ";" in content.split("\n")[0] else ",")
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header) != COLUMNS:
        return [], [_("Rad 1: rubrikraden ska vara %(columns)s.") % {"columns": ", ".join(COLUMNS)}]
    districts = {name.lower(): pk for pk, name in District.objects.values_list("pk", "name")}
    rows: list[ParsedRow] = []
    errors: list[str] = []
    seen: set[tuple] = set()
    for line, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        problems = []
        if len(fields) != len(COLUMNS):
            errors.append(_("Rad %(line)d: raden har %(count)d fält, ska ha 5.") % {"line": line, "count": len(fields)})
            continue
        district, year, question, value, respondents = (f.strip() for f in fields)
        district_id = districts.get(district.lower())
        if district_id is None:
            problems.append(_("okänd stadsdel ”%(name)s”") % {"name": district})
        year_number = int(year) if year.isdigit() else None
        if year_number is None or not 2000 <= year_number <= 2100:
            problems.append(_("året ”%(year)s” är inte ett årtal") % {"year": year})
        if not question or len(question) > 200:
            problems.append(_("frågan saknas eller är längre än 200 tecken"))
        try:
            number = Decimal(value.replace(",", "."))
            if not number.is_finite() or abs(number) >= Decimal("100000"):
                raise InvalidOperation
        except InvalidOperation:
            number = None
            problems.append(_("värdet ”%(value)s” är inte ett tal") % {"value": value})
        if not respondents.isdigit():
            problems.append(_("antalet svarande ”%(value)s” är inte ett heltal") % {"value": respondents})
        key = (district_id, year_number, question)
        if not problems and key in seen:
            problems.append(_("samma stadsdel, år och fråga finns redan tidigare i filen"))
        if problems:
            errors.append(_("Rad %(line)d: %(problems)s.") % {"line": line, "problems": "; ".join(problems)})
            continue
        seen.add(key)
        if district_id is None or year_number is None or number is None:  # pragma: no cover - problems caught these
            continue
        rows.append(ParsedRow(district_id, year_number, question, number, int(respondents)))
    if not rows and not errors:
        errors.append(_("Filen innehåller inga rader."))
    return rows, errors


def _write(rows: list[ParsedRow], progress: Callable[[int], None]) -> None:
    with transaction.atomic():
        for index, row in enumerate(rows, start=1):
            SurveyResult.objects.update_or_create(
                district_id=row.district_id, year=row.year, question=row.question,
                defaults={"value": row.value, "respondents": row.respondents},
            )  # fmt: skip
            if index % 200 == 0:
                progress(int(100 * index / len(rows)))


def survey_upload(*, acting_user, filename: str, content: str) -> SurveyImport:
    actor = access.require_actor(acting_user)
    if not actor.is_lead:
        raise ApplicationError(_("Bara en chef kan importera enkätresultat."), code="lead_required")
    upload = SurveyImport.objects.create(filename=filename[:200], content=content, uploaded_by=acting_user)
    if content.count("\n") > settings.SURVEY_IMPORT_INLINE_ROWS:
        from ..tasks import import_survey

        transaction.on_commit(lambda: import_survey.delay(upload.pk))
        return upload
    return survey_import_run(import_id=upload.pk)


def survey_import_run(*, import_id: int) -> SurveyImport:
    upload = SurveyImport.objects.get(pk=import_id)
    if upload.status in (SurveyImport.Status.DONE, SurveyImport.Status.FAILED):
        return upload  # a redelivered task
    SurveyImport.objects.filter(pk=import_id).update(status=SurveyImport.Status.RUNNING)
    rows, errors = parse(upload.content)
    if errors:
        SurveyImport.objects.filter(pk=import_id).update(status=SurveyImport.Status.FAILED, errors=errors, content="")
    else:
        # Progress of a worker's import: written outside the import's transaction so the page sees it.
        def progress(per_cent: int) -> None:
            SurveyImport.objects.filter(pk=import_id).update(progress=per_cent)

        _write(rows, progress)
        SurveyImport.objects.filter(pk=import_id).update(
            status=SurveyImport.Status.DONE, rows=len(rows), progress=100, content=""
        )
    upload.refresh_from_db()
    return upload
