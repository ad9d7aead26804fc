"""Fields the outreach forms share: dates and times, the agencies an owner names with the legal basis they get
access on, speakers, and the choices of protected records — always drawn through the gate, so an invisible
record is as invalid a choice as a missing one."""

from __future__ import annotations

from typing import cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies import access, bounds
from agencies.models import Agency, LegalBasis
from cases.forms.sharing import (
    DescribedRadioSelect,
    LegalBasisChoiceField,
    assessment_field,  # noqa: F401 - the one field, re-exported for outreach
)

from ..models import SpeakerRole

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def date_field(window: bounds.Window, label, **kwargs) -> forms.DateField:
    """A date within `window` (agencies.bounds: HAPPENED or PLANNED)."""
    kwargs.setdefault("error_messages", {"invalid": _("Ange ett datum, till exempel 2026-05-01.")})
    return forms.DateField(
        label=label,
        validators=[window],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def datetime_field(window: bounds.Window, label, **kwargs) -> forms.DateTimeField:
    """A date and time within `window` (agencies.bounds)."""
    messages = {"invalid": _("Ange datum och tid, till exempel 2026-05-01 18:00.")}
    messages.update(kwargs.pop("error_messages", {}))
    return forms.DateTimeField(
        label=label,
        validators=[window],
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        error_messages=messages,
        **kwargs,
    )


class AgencyChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


def agencies_field(label, help_text) -> AgencyChoices:
    return AgencyChoices(
        label=label,
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
        error_messages={"invalid_choice": _("Välj bland myndigheterna i listan.")},
    )


def legal_basis_field(help_text) -> LegalBasisChoiceField:
    return LegalBasisChoiceField(
        label=_("Rättslig grund för utlämnandet"),
        queryset=LegalBasis.objects.none(),
        required=False,
        widget=DescribedRadioSelect,
        empty_label=None,
        help_text=help_text,
        error_messages={"invalid_choice": _("Välj en rättslig grund som används.")},
    )


class NamedAgenciesMixin:
    """A form where the owner names other agencies (`agencies_field_name`) and, if any, the legal basis they
    get access on. Consent is not offered: these records are not about one person's consented categories."""

    agencies_field_name = "agencies"
    basis_required_message = _("Välj den rättsliga grunden för att lämna ut uppgifterna till de valda myndigheterna.")

    def setup_agencies(self, own_agency_id: int, receivers: QuerySet[Agency] | None = None) -> None:
        fields = cast(forms.Form, self).fields
        agencies = receivers if receivers is not None else Agency.objects.filter(active=True)
        cast(forms.ModelMultipleChoiceField, fields[self.agencies_field_name]).queryset = agencies.exclude(
            pk=own_agency_id
        ).order_by("name")
        cast(forms.ModelChoiceField, fields["legal_basis"]).queryset = LegalBasis.objects.filter(
            active=True, requires_consent=False
        ).order_by("name")

    def check_basis(self, data: dict, *, already: set[int] | frozenset[int] = frozenset()) -> None:
        chosen = data.get(self.agencies_field_name) or []
        if any(agency.pk not in already for agency in chosen) and data.get("legal_basis") is None:
            cast(forms.Form, self).add_error("legal_basis", self.basis_required_message)


class SpeakerForm(forms.Form):
    name = forms.CharField(label=_("Namn"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Roll"), choices=[("", _("Välj roll")), *SpeakerRole.choices], required=False)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (data.get("name") or "").strip() and not data.get("role"):
            self.add_error("role", _("Välj talarens roll."))
        return data


SpeakerFormSet = forms.formset_factory(SpeakerForm, extra=2, max_num=20, validate_max=True)


def speakers_of(formset) -> list[dict]:
    return [
        {"name": form.cleaned_data["name"], "role": form.cleaned_data["role"]}
        for form in formset.forms
        if form.cleaned_data.get("name", "").strip()
    ]


def speaker_initial(speakers) -> list[dict]:
    return [{"name": s.name, "role": s.role} for s in speakers]


def visible(user, model) -> QuerySet:
    """The choices of a protected model for a form: what the user may see (the gate)."""
    return access.visible(user, model)
