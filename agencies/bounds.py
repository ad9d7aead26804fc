"""The one place that says which dates the portal accepts (issue 8).

Every date and time a person or a partner system enters falls in one of two windows:

- `HAPPENED` — something that has taken place: an incident, a first sighting, a consent given, a decision,
  a conversation held. From `EARLIEST` to today.
- `PLANNED` — something ahead or agreed: a review date, a due date, a meeting, a share's expiry, a validity
  end. From `EARLIEST` to `PLANNING_HORIZON` ahead of today.

`EARLIEST` is long before any record the programme keeps (Sluta skjut started in Örebro in the 2020s) and
long after the dates that break the arithmetic: a year-1 or year-9999 value stored anywhere made pages and
the API answer 500 (expiry arithmetic past `date.max`, month lists thousands of years long, time-zone
conversion before year 1).

The same validator objects serve the models (`validators=[bounds.HAPPENED]`, so `full_clean` and the stored
check see them), the forms and the serializers; `agencies.api.fields` adds DRF date fields that turn a value
the parser cannot even convert into the same 400. `manage.py check_date_bounds` reports stored values
outside these windows. The test `agencies/tests/test_bounds.py` fails when an input date field has none.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST = date(1990, 1, 1)
PLANNING_HORIZON = timedelta(days=5 * 366)
# Searching (the access log's date filters) may name any day a record could carry.
SEARCH_HORIZON = PLANNING_HORIZON


def day_of(value: date | datetime) -> date:
    """The calendar day of a date or datetime, in local time where that conversion is defined."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            try:
                return timezone.localtime(value).date()
            except (OverflowError, ValueError):
                return value.date()  # year 1 or 9999: out of range either way
        return value.date()
    return value


@deconstructible
class Window:
    """A validator: the value's day lies between EARLIEST and today + `ahead_days` (local time)."""

    def __init__(self, name: str, ahead_days: int) -> None:
        self.name = name
        self.ahead_days = ahead_days

    def limits(self, today: date | None = None) -> tuple[date, date]:
        today = today or timezone.localdate()
        return EARLIEST, today + timedelta(days=self.ahead_days)

    def error(self) -> ValidationError:
        earliest, latest = self.limits()
        return ValidationError(
            _("Ange ett datum mellan %(earliest)s och %(latest)s."),
            code="date_out_of_range",
            params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
        )

    def __call__(self, value) -> None:
        if value is None or value == "":
            return
        earliest, latest = self.limits()
        day = day_of(value)
        if day > latest and self.ahead_days == 0:
            # What has happened cannot lie ahead: say so, as the forms did before the windows.
            if isinstance(value, datetime):
                raise ValidationError(_("Tidpunkten kan inte ligga i framtiden."), code="future")
            raise ValidationError(_("Datumet kan inte ligga i framtiden."), code="future")
        if not earliest <= day <= latest:
            raise self.error()

    def __eq__(self, other) -> bool:
        return isinstance(other, Window) and (self.name, self.ahead_days) == (other.name, other.ahead_days)

    def __hash__(self) -> int:
        return hash((self.name, self.ahead_days))

    def __repr__(self) -> str:
        return f"bounds.{self.name.upper()}"


HAPPENED = Window("happened", 0)
PLANNED = Window("planned", PLANNING_HORIZON.days)
SEARCH = Window("search", SEARCH_HORIZON.days)

WINDOWS = (HAPPENED, PLANNED, SEARCH)


def window_of(field) -> Window | None:
    """The window a model, form or serializer field validates against, if any."""
    for validator in getattr(field, "validators", ()):
        if isinstance(validator, Window):
            return validator
    return None


def add_days(day: date, days: int) -> date:
    """`day + days`, held at date.max / date.min instead of raising OverflowError (computed dates)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def start_of(day: date) -> datetime:
    """Local midnight at the start of `day`, aware (for filtering datetimes by whole days)."""
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))
