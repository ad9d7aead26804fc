"""Choosing a protected record in a form without listing them all: the kinds a form can pick, found by search.

A national installation has hundreds of thousands of persons, so no form may render every record the user
can see as an `<option>`. A form field names a *kind* (`person`, `group`, …) registered here by the app that
owns the model; the field's widget (agencies.forms.gated) renders only the chosen value(s) and, without
JavaScript, the hits of a search submitted with the form; with JavaScript, the combobox asks the
endpoint (agencies.views.choosers) for at most MAX_RESULTS hits through the gate (`access.visible_page`).

`agencies` knows no case model: `cases` and `outreach` register their kinds in their AppConfig.ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from .models import ProtectedModel

# At most this many hits per search: a short list to choose from, never a dump of the register.
MAX_RESULTS = 20


@dataclass(frozen=True)
class Chooser:
    kind: str
    model: type[ProtectedModel]
    # What the user sees for one record (a row of the listbox, an <option>).
    label: Callable[[Any], str]
    # Narrow `queryset` (already gated, or the model's base) to the hits of `term`; `user` may be None,
    # in which case a search must not reach anything the user's identity rights would guard.
    search: Callable[[Any, QuerySet, str], QuerySet]
    # The records with the relations `label` reads (select_related), before the gate on the model itself;
    # it may narrow further for the user (a record whose label names a person only where the person is
    # visible too).
    base: Callable[[Any], QuerySet]
    # The search box's label, e.g. "Sök person (alias eller personnummer)".
    search_label: str | Promise = ""


_choosers: dict[str, Chooser] = {}


def register(chooser: Chooser) -> None:
    _choosers[chooser.kind] = chooser


def get(kind: str) -> Chooser | None:
    return _choosers.get(kind)


def kinds() -> list[str]:
    return sorted(_choosers)
