"""The hold form. It validates input only; whether the user may hold the record is retention.services.holds'."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds

from .. import registry


def kind_choices() -> list[tuple[str, str]]:
    # A model under two categories is listed once.
    return [(label, str(model._meta.verbose_name).capitalize()) for label, model in registry.holdable_models().items()]


class HoldForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av post"),
        error_messages={"required": _("Välj typ av post."), "invalid_choice": _("Välj en av de uppräknade typerna.")},
    )
    object_id = forms.IntegerField(
        label=_("Postens id"),
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("Numret i postens adress, eller från provkörningens lista."),
        error_messages={
            "required": _("Ange postens id."),
            "invalid": _("Ange ett heltal."),
            "min_value": _("Ange ett positivt heltal."),
            "max_value": _("Det finns ingen post med så stort id."),
        },
    )
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel en rättslig process eller ett pågående ärende som behöver posten."),
        error_messages={"required": _("Ange skälet till undantaget."), "max_length": _("Skälet är för långt.")},
    )
    ends_on = forms.DateField(
        label=_("Gäller till och med"),
        validators=[bounds.PLANNED],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Ange slutdatum."), "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Välj typ")), *kind_choices()]  # type: ignore[attr-defined]

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < timezone.localdate():
            raise forms.ValidationError(_("Slutdatum får inte ligga i det förflutna."))
        return ends_on
