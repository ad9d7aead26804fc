"""`manage.py check_stored_values`: stored values the portal would no longer accept (issue 8).

Dates: every model field that carries an agencies.bounds window (HAPPENED, PLANNED) is queried for values
outside it — rows saved before the bounds existed, or written around the forms and the API. Such a value
(year 20, year 9999) once broke pages for every agency the record was shared with. Personnummer: any
stored identity number that is not 12 ASCII digits (digits of another script, stored before normalising).

Reports counts and row ids per field, never the values' owners' data; exits 1 when anything is found, so
it can run in a deploy pipeline. It changes nothing: a wrong date is a fact to correct by hand.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models
from django.db.models import Q

from agencies import bounds

SHOWN_IDS = 20


def out_of_window(model, field) -> models.QuerySet | None:
    window = bounds.window_of(field)
    if window is None:
        return None
    earliest, latest = window.limits()
    if isinstance(field, models.DateTimeField):
        low, high = bounds.start_of(earliest), bounds.start_of(bounds.add_days(latest, 1))
        outside = Q(**{f"{field.name}__lt": low}) | Q(**{f"{field.name}__gte": high})
    else:
        outside = Q(**{f"{field.name}__lt": earliest}) | Q(**{f"{field.name}__gt": latest})
    return model._base_manager.filter(outside)


def findings() -> list[tuple[str, int, list]]:
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField):
                continue
            rows = out_of_window(model, field)
            if rows is None:
                continue
            count = rows.count()
            if count:
                ids = list(rows.order_by("pk").values_list("pk", flat=True)[:SHOWN_IDS])
                found.append((f"{model._meta.label}.{field.name}", count, ids))
    identity = apps.get_model("cases", "IdentityDetails")
    odd = identity._base_manager.exclude(personnummer="").exclude(personnummer__regex=r"^[0-9]{12}$")
    if count := odd.count():
        found.append(("cases.IdentityDetails.personnummer", count, list(odd.values_list("pk", flat=True)[:SHOWN_IDS])))
    return found


class Command(BaseCommand):
    help = "Listar lagrade datum utanför de tillåtna intervallen och personnummer som inte är normaliserade."

    def handle(self, *args, **options):
        found = findings()
        if not found:
            self.stdout.write("Inga lagrade värden utanför de tillåtna intervallen.")
            return
        for label, count, ids in found:
            self.stdout.write(f"{label}: {count} rader utanför intervallet (id {', '.join(map(str, ids))})")
        raise CommandError(f"{sum(count for _label, count, _ids in found)} lagrade värden behöver rättas.")
