"""Forms for the custom-notification pages (used on a phone after a visit). Validation only; the rules live
in outreach.services. The person is chosen among those the user may see (`_gated_choices`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.forms.gated import GatedChoiceField
from cases.models import Individual

from ..models import CustomNotification
from ._fields import NamedAgenciesMixin, agencies_field, assessment_field, date_field, legal_basis_field, visible


class NotificationForm(NamedAgenciesMixin, forms.Form):
    agencies_field_name = "team_agencies"
    basis_required_message = _("Välj den rättsliga grund som teamets myndigheter får ta del av samtalet på.")

    individual = GatedChoiceField(
        kind="person",
        label=_("Person"),
        queryset=Individual.objects.none(),
        empty_label=_("Välj person"),
        error_messages={"required": _("Välj vem samtalet hölls med."), "invalid_choice": _("Välj en person i listan.")},
    )
    delivered_on = date_field(bounds.HAPPENED, _("Datum"), error_messages={"required": _("Ange när samtalet hölls.")})
    place_type = forms.ChoiceField(
        label=_("Var hölls samtalet?"),
        choices=CustomNotification.PlaceType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj var samtalet hölls.")},
    )
    message_delivered = forms.ChoiceField(
        label=_("Framfördes budskapet?"),
        choices=CustomNotification.Delivered.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Ange om budskapet framfördes.")},
    )
    offer_made = forms.BooleanField(label=_("Erbjudande om hjälp lämnades"), required=False)
    offer_accepted = forms.BooleanField(
        label=_("Personen tog emot erbjudandet"),
        required=False,
        help_text=_("Öppnar en förfrågan om avhopparärende (en gång)."),
    )
    outcome = forms.CharField(label=_("Utfall"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up_on = date_field(
        bounds.PLANNED, _("Uppföljning"), required=False, help_text=_("När personen ska kontaktas igen.")
    )
    team_agencies = agencies_field(
        _("Myndigheter i teamet"), _("De valda myndigheterna får se samtalet, på den rättsliga grund du väljer.")
    )
    legal_basis = legal_basis_field(_("Behövs när du väljer nya myndigheter i teamet."))
    assessment = assessment_field()
    legal_risk = forms.CharField(
        label=_("Juridisk riskbild"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skrivs av Polisen. Syns bara för Polisen och dem ni uttryckligen delar den med."),
    )

    FIELDS = ("delivered_on", "place_type", "message_delivered", "offer_made", "outcome", "follow_up_on")

    def __init__(self, *args, user, own_agency_id: int, is_police: bool, team_editable: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self._gated_choices(user)
        self.setup_agencies(own_agency_id)
        if not is_police:
            del self.fields["legal_risk"]
        if not team_editable:
            del self.fields["team_agencies"], self.fields["legal_basis"], self.fields["assessment"]

    def _gated_choices(self, user) -> None:
        cast(forms.ModelChoiceField, self.fields["individual"]).queryset = (
            visible(user, Individual).select_related("district").order_by("alias")
        )

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Ett samtal kan inte registreras framåt i tiden."), code="future")
        return day

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("offer_accepted") and not data.get("offer_made"):
            self.add_error("offer_accepted", _("Ett erbjudande kan bara antas om det har lämnats."))
        day, follow_up = data.get("delivered_on"), data.get("follow_up_on")
        if day and follow_up and follow_up < day:
            self.add_error("follow_up_on", _("Uppföljningen kan inte ligga före samtalet."))
        if "team_agencies" in self.fields:
            self.check_basis(data, already=set(self.initial.get("team_agencies") or []))
        return data

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        values["offer_accepted"] = self.cleaned_data["offer_accepted"]
        if "team_agencies" in self.fields:
            values["team_agencies"] = list(self.cleaned_data["team_agencies"])
            values["legal_basis"] = self.cleaned_data["legal_basis"]
            values["assessment"] = self.cleaned_data.get("assessment", "")
        return values

    @classmethod
    def initial_for(cls, notification: CustomNotification) -> dict:
        initial = {name: getattr(notification, name) for name in cls.FIELDS}
        initial.update(
            individual=notification.individual_id,
            offer_accepted=notification.offer_accepted,
            team_agencies=list(notification.team_agencies.values_list("pk", flat=True)),
            version=notification.version,
        )
        return initial


class NotificationUpdateForm(NotificationForm):
    """The person of a notification is fixed; everything else may be corrected."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["individual"]
        self.fields.pop("legal_risk", None)  # the summary has its own page


class LegalRiskForm(forms.Form):
    text = forms.CharField(
        label=_("Juridisk riskbild"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Beskriv den juridiska riskbilden.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
