"""How a record is named and linked where the log (or any other agencies page) points at it by model and id.

`agencies` imports no other app (docs/architecture.md), yet the access log names persons, groups, cases and
call-ins. The apps that own those models answer for them: each registers a lookup from its AppConfig.ready
(`cases.record_kinds`), called at request time with a model, that returns a `RecordKind` or None. The lookup is
asked lazily, so kinds another app registers later (outreach's, through `cases.shareables`) are found too.

A `RecordKind` never decides visibility: `queryset(user)` is the base the gate narrows (its select_related,
and for a link record the rule that both ends must be visible too), and the caller goes through
`access.visible` with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db.models import Model, QuerySet

from .models import ProtectedModel


@dataclass(frozen=True)
class RecordKind:
    model: type[ProtectedModel]
    # The record's name as a user who may see it reads it (an alias, a group's name, "ärende 12").
    title: Callable[[Any], str]
    # Where the record is shown; None when it has no page of its own.
    url: Callable[[Any], str | None]
    # The base the gate narrows for this user (see the module docstring).
    queryset: Callable[[Any], QuerySet]


_lookups: list[Callable[[type[Model]], RecordKind | None]] = []


def register_lookup(lookup: Callable[[type[Model]], RecordKind | None]) -> None:
    if lookup not in _lookups:
        _lookups.append(lookup)


def model_for(label: str) -> type[Model] | None:
    """'cases.individual' -> the model class; None for a label no installed model has."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@cache
def _kind_for_model(model: type[Model]) -> RecordKind | None:
    for lookup in _lookups:
        kind = lookup(model)
        if kind is not None:
            return kind
    return None


def kind_for(label: str) -> RecordKind | None:
    """The registered kind of a model label, or None (an unknown label, or a model nobody describes)."""
    model = model_for(label)
    if model is None or not issubclass(model, ProtectedModel):
        return None
    return _kind_for_model(model)


def protected_labels() -> list[str]:
    """Every protected model's label, for the log's "kind of record" filter."""
    return sorted(
        model._meta.label_lower
        for model in apps.get_models()
        if issubclass(model, ProtectedModel) and not model._meta.abstract
    )
