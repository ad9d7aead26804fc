"""What a log or register row points at: a record type's label, and the person model asked for by name.

`agencies` imports no other app (docs/architecture.md: imports point downward), yet the home page shows
persons, who live in `cases`. The person model is therefore asked for by name through the app registry
(`apps.get_model`) at call time: the dependency stays a runtime lookup rather than an import.
"""

from __future__ import annotations

from typing import cast

from django.apps import apps
from django.utils.text import capfirst

from ..models import ProtectedModel

PERSON_LABEL = "cases.individual"
# Records whose primary key is the person's id: identity details share the person's primary key.
PERSON_KEYED_LABELS = frozenset({PERSON_LABEL, "cases.identitydetails"})


def person_model() -> type[ProtectedModel]:
    return cast("type[ProtectedModel]", apps.get_model("cases", "Individual"))


def record_type_label(label: str) -> str:
    """'cases.individual' -> 'Person': the model's own (translated) name; the raw label if unknown."""
    try:
        return str(capfirst(apps.get_model(label)._meta.verbose_name))
    except (LookupError, ValueError):
        return label
