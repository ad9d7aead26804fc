"""The dashboards' demo data, run by `manage.py seed_demo` through cases.extensions.demo_seeders, after the
registry, the cases and outreach: two years of fictional survey indices per district, then the snapshots, so
the dashboards have something to show at once. Idempotent: existing survey rows are kept, the snapshots
rebuilt."""

from __future__ import annotations

import random
from decimal import Decimal

LABELS = {"survey_results": "enkätresultat"}
QUESTIONS = ("Känner sig trygg i området på kvällen", "Har sett skjutningar eller sprängningar i området")


def seed_dashboards(context) -> None:
    from cases.models import District

    from .models import SurveyResult
    from .services import compute_snapshots

    if SurveyResult.objects.exists():
        # Written once: a later run (even in another year) keeps the survey as it is.
        compute_snapshots()
        return
    rng = random.Random(12)  # noqa: S311 - the same fictional figures every time, no secret
    year = context.now.year
    for district in District.objects.filter(active=True).order_by("name"):
        for offset in (1, 0):
            for question in QUESTIONS:
                _row, created = SurveyResult.objects.get_or_create(
                    district=district, year=year - offset, question=question,
                    defaults={"value": Decimal(rng.randint(450, 850)) / 10, "respondents": rng.randint(40, 400)},
                )  # fmt: skip
                if created:  # a second run writes nothing new and counts nothing
                    context.report.count("survey_results")
    compute_snapshots()


def register() -> None:
    from cases import extensions

    extensions.demo_seeders.register("dashboards", seed_dashboards, labels=LABELS, order=900)
