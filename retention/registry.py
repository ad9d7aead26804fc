"""Which models each retention category covers, and how. The app that owns a model registers it here from its
AppConfig.ready() (cases/retention.py, outreach/retention.py): it alone knows from which date a record's
retention period runs and what anonymising it means. This app knows only the rules and applies them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import models

from agencies.models import ProtectedModel


@dataclass(frozen=True)
class Kind:
    category: str  # RetentionCategory.code
    model: type[ProtectedModel]
    # The records of `queryset` (one owner agency's) whose retention period ran out before `cutoff`, and that
    # still have something to remove (an anonymised incident is not due again: the run is idempotent).
    due: Callable[[models.QuerySet, date], models.QuerySet]
    # For rules that anonymise: strip what identifies a person from the record, writing the log rows.
    anonymise: Callable[..., None] | None = None
    # The record's detail page (one `pk` argument), for the dry run's list; None when it has none.
    url_name: str | None = None
    # Bookkeeping after every run, once the removals are done (persons: note who has nothing left about them).
    # It removes nothing, so the dry run has nothing to show for it.
    after_run: Callable[[], None] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


# One model may be under two categories with different periods (an extract's files, then its order row).
_kinds: dict[tuple[str, str], Kind] = {}


def register(kind: Kind) -> None:
    """Order matters: the run applies kinds in registration order (a case's entries before the case)."""
    _kinds[(kind.category, kind.label)] = kind


def kinds() -> list[Kind]:
    return list(_kinds.values())


def kind_for(label: str) -> Kind | None:
    """The first kind registered for the model: a hold is on the record, whatever category names it."""
    return next((kind for kind in _kinds.values() if kind.label == label), None)


# Models no rule removes by itself but whose removal a hold can stop (an incident involvement, removed by the
# incident's anonymising): a hold on one of them is honoured by the kind that takes them along.
_holdable: dict[str, type[ProtectedModel]] = {}


def register_holdable(model: type[ProtectedModel]) -> None:
    _holdable[model._meta.label_lower] = model


def holdable_models() -> dict[str, type[ProtectedModel]]:
    """{model label: model} for the hold form: every kind's model, then the other holdable ones."""
    return {**{kind.label: kind.model for kind in _kinds.values()}, **_holdable}
