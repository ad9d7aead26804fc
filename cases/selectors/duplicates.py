"""Possible duplicates of a person about to be created, among the records the user may see — only those.

A warning must never reveal a record the user cannot see: every candidate comes from the gate, and a
personnummer match counts only where the user may see both the identity details that hold the number and
the person they belong to (identity details alone reach nothing, as in the person search).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.core.exceptions import ValidationError

from agencies import access

from ..models import IdentityDetails, Individual
from ..personnummer import normalise
from .individuals import individual_base

# How alike two normalised aliases must be (difflib's ratio) to be worth a second look.
SIMILARITY = 0.8
# Alias comparison is done in Python (accent-insensitive comparison is not portable SQL), so it reads at
# most this many same-year aliases. A birth year narrows the visible records to a small slice; the cap
# only guards against a pathological year, and the newest records are the likeliest duplicates.
MAX_COMPARED = 2000
MAX_SHOWN = 10
MIN_CONTAINED = 3


@dataclass(frozen=True)
class Candidate:
    individual: Individual
    same_personnummer: bool
    similar_alias: bool


def normalise_name(value: str) -> str:
    """Lower case, accents and punctuation off, spaces collapsed: 'Örjan  Å.' and 'orjan a' compare equal."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in letters.casefold())
    return " ".join(cleaned.split())


def similar(a: str, b: str) -> bool:
    a, b = normalise_name(a), normalise_name(b)
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    # Containment only counts for a name of some length: a single letter is "in" almost every name.
    if len(shorter) >= MIN_CONTAINED and shorter in longer:
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILARITY


def duplicate_candidates(*, user, alias: str, birth_year: int | None, personnummer: str = "") -> list[Candidate]:
    """The visible persons that may be the one being recorded, each with why; the closest reasons first.

    `personnummer` may be in any accepted form; one that is not a valid number matches nothing.
    """
    visible = access.visible(user, Individual, queryset=individual_base())
    by_number: set[int] = set()
    try:
        personnummer = normalise(personnummer) if personnummer else ""
    except ValidationError:
        personnummer = ""
    if personnummer:
        identities = access.visible(user, IdentityDetails).filter(personnummer=personnummer).values("pk")
        by_number = set(visible.filter(pk__in=identities).values_list("pk", flat=True)[:MAX_SHOWN])

    by_alias: set[int] = set()
    if birth_year is not None and normalise_name(alias):
        # The birth year narrows the visible records in SQL first; only then are the names compared here.
        same_year = visible.filter(birth_year=birth_year).order_by("-created_at").values_list("pk", "alias")
        matches = [pk for pk, other in same_year[:MAX_COMPARED] if similar(alias, other)]
        by_alias = set(matches[:MAX_SHOWN])  # the newest few; the warning is a prompt to look, not a report

    wanted = by_number | by_alias
    if not wanted:
        return []
    rows = {person.pk: person for person in visible.filter(pk__in=wanted)}
    candidates = [
        Candidate(individual=rows[pk], same_personnummer=pk in by_number, similar_alias=pk in by_alias)
        for pk in wanted
        if pk in rows
    ]
    candidates.sort(key=lambda c: (not c.same_personnummer, normalise_name(c.individual.alias), c.individual.pk))
    return candidates[:MAX_SHOWN]


def possible_duplicates(*, user, alias: str, birth_year: int | None, personnummer: str = "") -> list[Individual]:
    """The visible persons that may be the one being recorded (see duplicate_candidates for why each)."""
    return [
        c.individual
        for c in duplicate_candidates(user=user, alias=alias, birth_year=birth_year, personnummer=personnummer)
    ]
