"""Forms for the consent pages. They validate input only; the rules live in cases.services.consents."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import Agency

from ..models import Consent, ConsentCategory

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    agencies = forms.ModelMultipleChoiceField(
        label=_("Myndigheter som får utbyta uppgifterna"),
        queryset=Agency.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Samtycket visas för de myndigheter du kryssar i. Ett utlämnande på samtycket måste gå mellan två av dem."
        ),
        error_messages={
            "required": _("Välj minst en myndighet."),
            "invalid_choice": _("Välj bland de aktiva myndigheterna."),
            "invalid_pk_value": _("Välj bland de aktiva myndigheterna."),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("Uppgifter som samtycket gäller"),
        choices=ConsentCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Välj vilka uppgifter samtycket gäller."),
            "invalid_choice": _("Välj bland de uppräknade uppgifterna."),
        },
    )
    purpose = forms.CharField(
        label=_("Ändamål"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad uppgifterna får användas till, med personens egna ord om möjligt."),
        error_messages={"required": _("Ange ändamålet med samtycket.")},
    )
    given_on = forms.DateField(
        validators=[bounds.HAPPENED],
        label=_("Lämnat"),
        widget=_DATE,
        error_messages={"required": _("Ange när samtycket lämnades."), "invalid": _("Ange ett datum, ÅÅÅÅ-MM-DD.")},
    )
    valid_until = forms.DateField(
        validators=[bounds.PLANNED],
        label=_("Gäller till och med"),
        widget=_DATE,
        help_text=_("Ett samtycke gäller alltid en begränsad tid. Utlämnanden som vilar på det upphör natten efter."),
        error_messages={"required": _("Ange hur länge samtycket gäller."), "invalid": _("Ange ett datum, ÅÅÅÅ-MM-DD.")},
    )
    document_reference = forms.CharField(
        label=_("Var finns det undertecknade samtycket?"),
        max_length=Consent._meta.get_field("document_reference").max_length,
        help_text=_("Till exempel diarienummer eller pärm och flik. Ladda inte upp själva dokumentet här."),
        error_messages={"required": _("Ange var det undertecknade samtycket finns.")},
    )

    def __init__(self, *args, own_agency_id: int, **kwargs) -> None:
        kwargs.setdefault("initial", {"agencies": [own_agency_id], "given_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelMultipleChoiceField, self.fields["agencies"])
        field.queryset = Agency.objects.filter(active=True).order_by("name")


class ConsentWithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Anteckning (valfritt)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Till exempel hur och när personen meddelade återkallelsen. Sparas med samtycket."),
    )
