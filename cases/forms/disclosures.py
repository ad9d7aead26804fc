"""The form of one decision for one situation: the share dialog's form, with a list of records to tick instead
of one record. Which bases fit every ticked record is asked of agencies.services.bundles; the service refuses
the rest."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ..bundle_parts import Part, PartKind
from .sharing import ShareForm


class BundleForm(ShareForm):
    records = forms.MultipleChoiceField(
        label=_("Vad ska delas?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Varje uppgift får en egen rad i utlämnanderegistret och kan återkallas för sig."),
        error_messages={
            "required": _("Välj minst en uppgift att dela."),
            "invalid_choice": _("Välj bland uppgifterna i listan."),
        },
    )

    def __init__(self, *args, parts: list[tuple[PartKind, list[Part]]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["records"])
        # Grouped by kind: rendered as one list per kind, under the kind's name.
        field.choices = [(str(kind.label), [(part.key, part.label) for part in found]) for kind, found in parts]
        order = ["to_agency", "records", "level", "legal_basis", "consent", "assessment", "expires_on"]
        self.order_fields([name for name in order if name in self.fields])
        self.fields["to_agency"].help_text = _(
            "Med ärendets grunduppgifter blir myndigheten deltagare i ärendet. Journalposter kan bara delas med "
            "myndigheter som deltar."
        )
        if "expires_on" in self.fields:
            self.fields["expires_on"].help_text = _(
                "Gäller personen och journalposterna; deltagandet i ärendet gäller tills vidare. Lämna tomt för "
                "utlämnanden utan slutdatum."
            )
