"""How a page of `agencies` names and links a record of any kind: its title and address, as far as the user may see it.

The home page lists disclosures of persons, groups, incidents, case entries, call-ins…, but `agencies` knows
no case model (docs/architecture.md: imports point downward). The apps that own the models register a
resolver from their AppConfig.ready; asked for a model, it answers with a RecordLink, or None for a model it
does not own. The records themselves are always read through the gate: `base(user)` is only the queryset
(with what `title` reads, and for a link record the rule that both its ends must be visible too) that
`access.visible` narrows to what the user may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class RecordLink:
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    base: Callable[[Any], QuerySet]


Resolver = Callable[[type[Model]], RecordLink | None]

_resolvers: dict[str, Resolver] = {}


def register(key: str, resolver: Resolver) -> None:
    # Registering the same key again replaces it (AppConfig.ready may run more than once in tests).
    _resolvers[key] = resolver


def describe(model: type[Model]) -> RecordLink | None:
    for resolver in _resolvers.values():
        link = resolver(model)
        if link is not None:
            return link
    return None
