"""Every date a person or a partner system can enter has a window from agencies.bounds (issue 8).

Reads every form, FilterSet and serializer class of the apps and fails on a date or datetime input field
without one, so a new field cannot bring back the year-1 and year-9999 500s.
"""

import importlib
import inspect
import pkgutil
from datetime import date, datetime, timedelta

import django_filters
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers

from agencies import bounds

APPS = ("agencies", "cases", "outreach")


def _modules(package: str):
    try:
        pkg = importlib.import_module(package)
    except ModuleNotFoundError:
        return
    for info in pkgutil.iter_modules(pkg.__path__):
        yield importlib.import_module(f"{package}.{info.name}")


def _classes(kind: str, base):
    for app in APPS:
        for module in _modules(f"{app}.{kind}"):
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, base) and cls.__module__ == module.__name__:
                    yield cls


def test_every_form_date_field_has_a_window():
    missing, seen = [], 0
    for cls in _classes("forms", forms.BaseForm):
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                seen += 1
                if bounds.window_of(field) is None:
                    missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert missing == []
    assert seen >= 20  # the walk reaches the forms (a broken walk would pass vacuously)


def test_every_filter_date_has_a_window():
    missing, seen = [], 0
    for cls in _classes("filters", django_filters.FilterSet):
        for name, flt in cls.base_filters.items():
            if isinstance(flt, django_filters.DateFilter | django_filters.DateTimeFilter):
                seen += 1
                if not any(isinstance(v, bounds.Window) for v in flt.extra.get("validators", ())):
                    missing.append(f"{cls.__name__}.{name}")
    assert missing == []
    assert seen >= 8


def test_every_serializer_date_input_has_a_window():
    missing, seen = [], 0
    for cls in _classes("api", serializers.Serializer):
        if issubclass(cls, serializers.ModelSerializer):
            continue  # output serializers: every field is read-only
        for name, field in cls._declared_fields.items():
            if isinstance(field, serializers.DateField | serializers.DateTimeField) and not field.read_only:
                seen += 1
                if bounds.window_of(field) is None and name != "month":
                    missing.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert missing == []
    assert seen >= 25


@pytest.mark.parametrize(
    ("window", "ok", "refused"),
    [
        (bounds.HAPPENED, [date(1990, 1, 1), "today"], [date(1989, 12, 31), "tomorrow", date(1, 1, 1), date.max]),
        (bounds.PLANNED, [date(1990, 1, 1), "horizon"], [date(1989, 12, 31), "past horizon", date.max]),
    ],
)
def test_a_window_takes_its_ends_and_refuses_beyond(window, ok, refused):
    today = timezone.localdate()
    named = {
        "today": today,
        "tomorrow": today + timedelta(days=1),
        "horizon": today + bounds.PLANNING_HORIZON,
        "past horizon": today + bounds.PLANNING_HORIZON + timedelta(days=1),
    }
    for value in ok:
        window(named.get(value, value))
    for value in refused:
        with pytest.raises(ValidationError, match="Ange ett datum mellan 1990-01-01 och|kan inte ligga i framtiden"):
            window(named.get(value, value))


def test_a_window_reads_datetimes_at_the_ends_of_the_calendar_without_overflow():
    with pytest.raises(ValidationError):
        bounds.HAPPENED(datetime(1, 1, 1, tzinfo=timezone.get_current_timezone()))
    with pytest.raises(ValidationError):
        bounds.PLANNED(datetime(9999, 12, 31, 23, 59, tzinfo=timezone.get_current_timezone()))
