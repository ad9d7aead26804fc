"""The order form: one person, chosen by search among those the user may see (agencies.forms.gated)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.audit import BIGINT
from agencies.forms.gated import GatedChoiceField, GatedSelect
from cases.models import Individual


class _PersonSelect(GatedSelect):
    """The gated select, minus a posted id no record can have: the shared widget looks the chosen id up to show it
    again, and an id past a 64-bit integer makes that lookup fail in the database (a 500, not a form error)."""

    def _bounded_choices(self, value: list[str]) -> list:
        return super()._bounded_choices([v for v in value if not str(v).isdigit() or int(v) < BIGINT])


class OrderForm(forms.Form):
    individual = GatedChoiceField(
        kind="person",
        widget=_PersonSelect("person"),
        label=_("Person"),
        queryset=Individual.objects.none(),
        empty_label=_("Välj person"),
        help_text=_("Sök på alias eller personnummer bland de personer din myndighet har tillgång till."),
        error_messages={"required": _("Välj en person."), "invalid_choice": _("Välj en person i listan.")},
    )

    def __init__(self, *args, persons, **kwargs) -> None:
        """`persons`: the gate's queryset of the persons the user may see, so an invisible id is as invalid as a
        missing one."""
        super().__init__(*args, **kwargs)
        self.fields["individual"].queryset = persons  # type: ignore[attr-defined]
