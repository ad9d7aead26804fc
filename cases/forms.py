"""Forms for the person pages. They validate input only; the writes and their rules live in services."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, LegalBasis, ShareLevel

from .models import Consent, District, IdentityDetails, Individual
from .personnummer import display, normalise

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


class DescribedRadioSelect(forms.RadioSelect):
    """Radio buttons whose options carry their object's `description`, tied to the input for screen readers
    (rendered by templates/_partials/field.html)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        description = getattr(getattr(value, "instance", None), "description", "")
        if description and option["attrs"].get("id"):
            option["description"] = description
            option["attrs"]["aria-describedby"] = f"{option['attrs']['id']}_description"
        return option


class LegalBasisChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LegalBasis) -> str:
        return obj.name


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Consent) -> str:
        return _("Lämnat %(given)s, gäller till och med %(until)s (%(reference)s)") % {
            "given": obj.given_on.isoformat(),
            "until": obj.valid_until.isoformat(),
            "reference": obj.document_reference,
        }


class ShareForm(forms.Form):
    """The share dialog's form, for any record in cases.shareables. `parts` are the (value, label) choices of
    what to disclose when the record has more than one part (a person and their identity details); without
    them the form has no such question."""

    INDIVIDUAL = "individual"
    IDENTITY = "identity"

    what = forms.ChoiceField(
        label=_("Vad ska delas?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj vad som ska delas."), "invalid_choice": _("Välj vad som ska delas.")},
    )
    to_agency = forms.ModelChoiceField(
        label=_("Mottagande myndighet"),
        queryset=Agency.objects.none(),
        empty_label=_("Välj myndighet"),
        error_messages={
            "required": _("Välj vilken myndighet som ska få uppgifterna."),
            "invalid_choice": _("Välj en annan aktiv myndighet än din egen."),
        },
    )
    level = forms.ChoiceField(
        label=_("Behörighet"),
        choices=ShareLevel.choices,
        initial=ShareLevel.VIEW,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj behörighet.")},
        help_text=_("”Läsa och ändra” låter mottagaren ändra uppgifterna. Du kan återkalla utlämnandet när som helst."),
    )
    legal_basis = LegalBasisChoiceField(
        label=_("Rättslig grund"),
        queryset=LegalBasis.objects.none(),
        widget=DescribedRadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Välj den rättsliga grunden för utlämnandet."),
            "invalid_choice": _("Välj en rättslig grund som används."),
        },
        help_text=_("Varje utlämnande måste ha en rättslig grund. Den registreras tillsammans med utlämnandet."),
    )
    expires_on = forms.DateField(
        label=_("Gäller till och med (valfritt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Lämna tomt för ett utlämnande utan slutdatum. Datumet måste ligga i framtiden."),
    )

    def __init__(
        self,
        *args,
        own_agency_id: int,
        parts: list[tuple[str, str | Promise]] | None = None,
        receivers: QuerySet[Agency] | None = None,
        consents: list[Consent] | None = None,
        expiry: bool = True,
        **kwargs,
    ) -> None:
        """`receivers` narrows who may receive the record (a joint case's participants). `consents`, when
        given, are the valid consents covering the record and the chosen receiver: a basis that rests on
        consent is offered only when there is one, and then the consent itself is chosen too."""
        super().__init__(*args, **kwargs)
        if parts:
            what = cast(forms.ChoiceField, self.fields["what"])
            what.choices = parts
            what.initial = parts[0][0]
        else:
            del self.fields["what"]
        to_agency = cast(forms.ModelChoiceField, self.fields["to_agency"])
        if receivers is not None:
            to_agency.queryset = receivers
            to_agency.error_messages["invalid_choice"] = _("Välj en av myndigheterna som deltar i ärendet.")
        else:
            to_agency.queryset = Agency.objects.filter(active=True).exclude(pk=own_agency_id)
        bases = LegalBasis.objects.filter(active=True)
        if consents is not None:
            to_agency.help_text = _(
                "Samtycke kan väljas som rättslig grund när ett giltigt samtycke täcker uppgiften och mottagaren."
            )
            if consents:
                self.fields["consent"] = ConsentChoiceField(
                    label=_("Samtycke som utlämnandet vilar på"),
                    queryset=Consent.objects.filter(pk__in=[c.pk for c in consents]).order_by("-given_on", "-pk"),
                    required=False,
                    empty_label=None,
                    widget=forms.RadioSelect,
                    initial=consents[0].pk if len(consents) == 1 else None,
                    help_text=_("Behövs bara när den rättsliga grunden är samtycke."),
                    error_messages={"invalid_choice": _("Välj ett av samtyckena i listan.")},
                )
                self.order_fields(["what", "to_agency", "level", "legal_basis", "consent", "expires_on"])
            else:
                bases = bases.filter(requires_consent=False)
        cast(forms.ModelChoiceField, self.fields["legal_basis"]).queryset = bases
        if not expiry:
            del self.fields["expires_on"]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        basis = data.get("legal_basis")
        if "consent" in self.fields and basis is not None:
            if not basis.requires_consent:
                data["consent"] = None
            elif data.get("consent") is None and "consent" not in self.errors:
                self.add_error("consent", _("Välj vilket samtycke utlämnandet vilar på."))
        return data

    def clean_expires_on(self) -> date | None:
        day = self.cleaned_data.get("expires_on")
        if day is not None and day <= timezone.localdate():
            raise ValidationError(_("Slutdatumet måste ligga i framtiden."), code="expiry_in_past")
        return day

    def expires_at(self) -> datetime | None:
        """'Valid through' the chosen day: the share ends at the first moment of the next local day."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
