"""Forms for enforcement responses and levers. Validation only; the rules live in outreach.services. Every
choice of a protected record comes through the gate (`_gated_choices`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.forms.gated import GatedChoiceField, GatedMultipleChoiceField
from agencies.models import Agency
from cases.models import CriminalGroup, Incident, Individual

from ..models import CallIn, CustomNotification, EnforcementResponse, Lever
from ._fields import NamedAgenciesMixin, agencies_field, assessment_field, date_field, legal_basis_field, visible


class ResponseForm(NamedAgenciesMixin, forms.Form):
    agencies_field_name = "participating_agencies"
    basis_required_message = _("Välj den rättsliga grund som de deltagande myndigheterna får ta del av insatsen på.")

    group = GatedChoiceField(
        kind="group",
        label=_("Ansvarig gruppering"),
        queryset=CriminalGroup.objects.none(),
        empty_label=_("Välj gruppering"),
        error_messages={"required": _("Välj grupperingen."), "invalid_choice": _("Välj en gruppering i listan.")},
    )
    decided_on = date_field(
        bounds.HAPPENED, _("Beslutad"), error_messages={"required": _("Ange när insatsen beslutades.")}
    )
    status = forms.ChoiceField(label=_("Status"), choices=EnforcementResponse.Status.choices)
    summary = forms.CharField(
        label=_("Beslut och motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    trigger_incidents = GatedMultipleChoiceField(
        kind="incident",
        label=_("Utlösande händelser"),
        queryset=Incident.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj händelser i listan.")},
    )
    warning_call_ins = GatedMultipleChoiceField(
        kind="call_in",
        label=_("Call-ins där grupperingen varnades"),
        queryset=CallIn.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj call-ins i listan.")},
    )
    warning_notifications = GatedMultipleChoiceField(
        kind="notification",
        label=_("Individuella samtal där medlemmar varnades"),
        queryset=CustomNotification.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj samtal i listan.")},
    )
    participating_agencies = agencies_field(
        _("Deltagande myndigheter"), _("De valda myndigheterna får se insatsen och kan lägga till sina åtgärder.")
    )
    legal_basis = legal_basis_field(_("Behövs när du väljer nya deltagande myndigheter."))
    assessment = assessment_field()
    communicated = forms.BooleanField(label=_("Insatsen har återkopplats till grupperna"), required=False)
    communication = forms.CharField(
        label=_("Hur återkopplingen gick till"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    FIELDS = ("decided_on", "status", "summary", "communicated", "communication")
    LINKS = ("trigger_incidents", "warning_call_ins", "warning_notifications")

    def __init__(self, *args, user, own_agency_id: int, participants_editable: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._gated_choices(user)
        self.setup_agencies(own_agency_id)
        if not participants_editable:
            del self.fields["participating_agencies"], self.fields["legal_basis"], self.fields["assessment"]

    def _gated_choices(self, user) -> None:
        fields = self.fields
        cast(forms.ModelChoiceField, fields["group"]).queryset = visible(user, CriminalGroup).order_by("name")
        cast(forms.ModelMultipleChoiceField, fields["trigger_incidents"]).queryset = (
            visible(user, Incident).select_related("district").order_by("-occurred_at")
        )
        cast(forms.ModelMultipleChoiceField, fields["warning_call_ins"]).queryset = visible(user, CallIn).order_by(
            "-starts_at"
        )
        cast(forms.ModelMultipleChoiceField, fields["warning_notifications"]).queryset = (
            visible(user, CustomNotification)
            .filter(individual__in=visible(user, Individual).values("pk"))
            .select_related("individual")
            .order_by("-delivered_on")
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if "participating_agencies" in self.fields:
            self.check_basis(data, already=set(self.initial.get("participating_agencies") or []))
        return data

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        for name in self.LINKS:
            values[name] = list(self.cleaned_data[name])
        if "participating_agencies" in self.fields:
            values["participating_agencies"] = list(self.cleaned_data["participating_agencies"])
            values["legal_basis"] = self.cleaned_data["legal_basis"]
            values["assessment"] = self.cleaned_data.get("assessment", "")
        return values

    @classmethod
    def initial_for(cls, response: EnforcementResponse, *, user) -> dict:
        initial = {name: getattr(response, name) for name in cls.FIELDS}
        initial["group"] = response.group_id
        for name, model in zip(cls.LINKS, (Incident, CallIn, CustomNotification), strict=True):
            shown = getattr(response, name).filter(pk__in=visible(user, model).values("pk"))
            initial[name] = list(shown.values_list("pk", flat=True))
        initial["participating_agencies"] = list(response.participating_agencies.values_list("pk", flat=True))
        initial["version"] = response.version
        return initial


class ResponseUpdateForm(ResponseForm):
    """The group of a response is fixed; a response against another group is another response."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["group"]


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class LeverForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av åtgärd"),
        choices=[("", _("Välj typ")), *Lever.Kind.choices],
        error_messages={"required": _("Välj typ av åtgärd.")},
    )
    description = forms.CharField(
        label=_("Beskrivning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beskriv åtgärden.")},
    )
    starts_on = date_field(bounds.PLANNED, _("Från"), error_messages={"required": _("Ange när åtgärden börjar.")})
    ends_on = date_field(bounds.PLANNED, _("Till"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Lever.Status.choices, initial=Lever.Status.PLANNED)
    outcome = forms.CharField(label=_("Resultat"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    share_with = agencies_field(
        _("Dela åtgärden med"),
        _("Myndigheter som deltar i insatsen. Åtgärden är annars bara synlig för din myndighet."),
    )
    legal_basis = legal_basis_field(_("Behövs när du delar åtgärden."))
    assessment = assessment_field()

    FIELDS = ("kind", "description", "starts_on", "ends_on", "status", "outcome")

    def __init__(self, *args, receivers=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if receivers is None:
            del self.fields["share_with"], self.fields["legal_basis"], self.fields["assessment"]
        else:
            from agencies.models import LegalBasis

            cast(forms.ModelMultipleChoiceField, self.fields["share_with"]).queryset = receivers
            cast(forms.ModelChoiceField, self.fields["legal_basis"]).queryset = LegalBasis.objects.filter(
                active=True, requires_consent=False
            ).order_by("name")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Slutdatum kan inte ligga före startdatum."))
        if data.get("share_with") and data.get("legal_basis") is None and "legal_basis" in self.fields:
            self.add_error("legal_basis", _("Välj den rättsliga grund som åtgärden delas på."))
        return data

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        if "share_with" in self.fields:
            values["share_with"] = list(self.cleaned_data["share_with"])
            values["legal_basis"] = self.cleaned_data["legal_basis"]
            values["assessment"] = self.cleaned_data.get("assessment", "")
        return values


class LeverUpdateForm(LeverForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        kwargs["receivers"] = None
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, lever: Lever) -> dict:
        return {**{name: getattr(lever, name) for name in cls.FIELDS}, "version": lever.version}
