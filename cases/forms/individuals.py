"""Forms for the person pages. They validate input only; the writes and their rules live in services."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import District, IdentityDetails, Individual
from ..personnummer import display, normalise

MIN_BIRTH_YEAR = 1900

# The identity fields describe the person in the record, not the signed-in caseworker: the browser must
# not offer to fill them from the caseworker's own saved details.
_NO_AUTOFILL = {"autocomplete": "off"}


class IndividualForm(forms.Form):
    alias = forms.CharField(
        label=_("Alias"),
        max_length=Individual._meta.get_field("alias").max_length,
        help_text=_("Det namn eller smeknamn personen är känd under i samverkan."),
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
        error_messages={"required": _("Ange ett alias.")},
    )
    birth_year = forms.IntegerField(
        label=_("Födelseår"), required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    district = forms.ModelChoiceField(
        label=_("Stadsdel"), queryset=District.objects.none(), required=False, empty_label=_("Ingen vald")
    )
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, current_district_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A district that was retired after the person was recorded stays selectable for that person.
        districts = Q(active=True) | Q(pk=current_district_id) if current_district_id else Q(active=True)
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = District.objects.filter(districts)
        self.max_birth_year = timezone.localdate().year
        self.fields["birth_year"].widget.attrs.update(min=MIN_BIRTH_YEAR, max=self.max_birth_year)
        self.fields["birth_year"].help_text = _("Fyra siffror, mellan %(min)s och %(max)s.") % {
            "min": MIN_BIRTH_YEAR,
            "max": self.max_birth_year,
        }

    def clean_alias(self) -> str:
        alias = self.cleaned_data["alias"].strip()
        if not alias:
            raise ValidationError(_("Ange ett alias."), code="required")
        return alias

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not MIN_BIRTH_YEAR <= year <= self.max_birth_year:
            raise ValidationError(
                _("Födelseåret måste vara mellan %(min)s och %(max)s.")
                % {"min": MIN_BIRTH_YEAR, "max": self.max_birth_year},
                code="birth_year_range",
            )
        return year

    @classmethod
    def initial_for(cls, individual: Individual) -> dict:
        return {
            "alias": individual.alias,
            "birth_year": individual.birth_year,
            "district": individual.district_id,
            "notes": individual.notes,
            "version": individual.version,
        }


class IndividualUpdateForm(IndividualForm):
    # The version the editor loaded; services.individual_update refuses the save if it is no longer current.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class IdentityForm(forms.Form):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        max_length=15,
        help_text=_("10 eller 12 siffror, med eller utan bindestreck, till exempel ÅÅMMDD-NNNN."),
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
    )
    full_name = forms.CharField(
        label=_("Fullständigt namn"),
        required=False,
        max_length=IdentityDetails._meta.get_field("full_name").max_length,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
    )
    address = forms.CharField(
        label=_("Adress"),
        required=False,
        max_length=IdentityDetails._meta.get_field("address").max_length,
        widget=forms.TextInput(attrs=_NO_AUTOFILL),
    )
    phone = forms.CharField(
        label=_("Telefon"),
        required=False,
        max_length=IdentityDetails._meta.get_field("phone").max_length,
        widget=forms.TextInput(attrs={**_NO_AUTOFILL, "inputmode": "tel"}),
    )
    # Empty when the form was loaded without identity details; see the update view for why that matters.
    identity_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELDS = ("personnummer", "full_name", "address", "phone")

    def clean_personnummer(self) -> str:
        value = self.cleaned_data["personnummer"].strip()
        # Raises a ValidationError with a Swedish message; stored as 12 digits.
        return normalise(value) if value else ""

    def values(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    def has_values(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.FIELDS)

    @classmethod
    def initial_for(cls, identity: IdentityDetails | None) -> dict:
        if identity is None:
            return {}
        return {
            "personnummer": display(identity.personnummer) if identity.personnummer else "",
            "full_name": identity.full_name,
            "address": identity.address,
            "phone": identity.phone,
            "identity_version": identity.version,
        }


class DuplicateConfirmForm(forms.Form):
    """The person form's second step, shown only with a duplicate warning."""

    confirm_duplicates = forms.BooleanField(
        label=_("Jag har kontrollerat, skapa ändå"),
        required=False,
        help_text=_("Kryssa i om ingen av personerna ovan är den du registrerar."),
    )
