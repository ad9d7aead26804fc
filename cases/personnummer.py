"""Swedish personal identity numbers, checked by the maintained `personnummer` package (no hand-written
check digits). Samordningsnummer (day + 60) are accepted too. Stored normalised as 12 digits."""

import random
import re
import unicodedata
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from personnummer import personnummer as pnr

# ASCII digits only: Python's \d also matches Arabic-Indic, full-width and other decimal digits, which were
# accepted and stored as typed, so one person could be stored in several forms that search and the duplicate
# warning did not match (issue 8). Other digits are converted explicitly first (_ascii_digits).
_SHAPE = re.compile(r"^([0-9]{6}|[0-9]{8})[-+]?[0-9]{4}$", re.ASCII)
_DASHES = {"\u2010", "\u2011", "\u2012", "\u2013", "\u2212", "\uff0d"}


def _ascii_digits(value: str) -> str:
    """Every Unicode decimal digit as its ASCII digit, a dash-like sign as '-', spaces dropped."""
    out = []
    for char in (value or "").strip():
        if char.isspace():
            continue
        if char in _DASHES:
            out.append("-")
        elif char == "\uff0b":  # full-width plus
            out.append("+")
        elif unicodedata.decimal(char, None) is not None:
            out.append(str(unicodedata.decimal(char)))
        else:
            out.append(char)
    return "".join(out)


def normalise(value: str) -> str:
    """'8507099805', '850709-9805', '19850709-9805' or '198507099805' → '198507099805'.

    Digits of other scripts ('٨٥٠٧٠٩-٩٨٠٥', full-width '８５…') become the same ASCII form.
    """
    raw = _ascii_digits(value)
    if not _SHAPE.match(raw):
        raise ValidationError(
            _("Ange personnummer eller samordningsnummer med 10 eller 12 siffror, till exempel ÅÅMMDD-NNNN."),
            code="pnr_format",
        )
    try:
        parsed = pnr.parse(raw)
    except (pnr.PersonnummerException, ValueError) as exc:
        raise ValidationError(
            _(
                "Numret är inte ett giltigt personnummer eller samordningsnummer (kontrollsiffran eller datumet stämmer inte)."
            ),
            code="pnr_invalid",
        ) from exc
    return parsed.format(long_format=True)


def looks_like(value: str) -> bool:
    return bool(_SHAPE.match(_ascii_digits(value)))


def is_coordination_number(normalised: str) -> bool:
    return int(normalised[6:8]) > 60


def display(normalised: str) -> str:
    return f"{normalised[:8]}-{normalised[8:]}"


def fictional(rng: random.Random, birth_year: int) -> str:
    """A valid, normalised personnummer for demo and test data, never one of a real person.

    The birth number is drawn from the series 980–999, the one Skatteverket keeps for its published test
    personnummer and does not assign to residents. The check digit is the one the `personnummer`
    package accepts (found by asking it, not computed here).
    """
    born = date(birth_year, 1, 1) + timedelta(days=rng.randrange(365))
    stem = f"{born:%Y%m%d}{rng.randint(980, 999)}"
    for check in "0123456789":
        if pnr.valid(stem + check):
            return stem + check
    raise AssertionError("one of ten check digits is always valid")  # pragma: no cover
