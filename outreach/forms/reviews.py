"""Forms for the weekly incident review. Validation only; the rules live in outreach.services. Every choice of
a protected record comes through the gate (`_gated_choices`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import access, bounds
from agencies.forms.gated import GatedChoiceField
from agencies.models import Agency, LegalBasis
from cases.choosers import incident_label
from cases.models import ExitCase, Incident

from ..models import ReviewMeeting
from ._fields import (
    NamedAgenciesMixin,
    agencies_field,
    assessment_field,
    date_field,
    datetime_field,
    legal_basis_field,
    visible,
)


class IncidentsChoiceField(forms.ModelMultipleChoiceField):
    """The incidents of one meeting's agenda (the week's proposal and those already on it): a bounded list."""

    def label_from_instance(self, obj: Incident) -> str:
        return incident_label(obj)


class MeetingForm(NamedAgenciesMixin, forms.Form):
    agencies_field_name = "participating_agencies"
    basis_required_message = _("Välj den rättsliga grund som de deltagande myndigheterna får ta del av genomgången på.")

    starts_at = datetime_field(
        bounds.PLANNED, _("Datum och tid"), error_messages={"required": _("Ange när genomgången hålls.")}
    )
    participating_agencies = agencies_field(
        _("Deltagande myndigheter"), _("De valda myndigheterna får se genomgången, dess beslut och åtgärder.")
    )
    legal_basis = legal_basis_field(_("Behövs när du väljer nya deltagande myndigheter."))
    assessment = assessment_field()
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, own_agency_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.setup_agencies(own_agency_id)

    def clean(self):
        super().clean()
        data = self.cleaned_data
        self.check_basis(data, already=set(self.initial.get("participating_agencies") or []))
        return data

    def values(self) -> dict:
        return {
            "starts_at": self.cleaned_data["starts_at"],
            "notes": self.cleaned_data["notes"],
            "participating_agencies": list(self.cleaned_data["participating_agencies"]),
            "legal_basis": self.cleaned_data["legal_basis"],
            "assessment": self.cleaned_data.get("assessment", ""),
        }


class MeetingUpdateForm(forms.Form):
    """The meeting itself: the incidents gone through (the proposed agenda and those already on it), decisions."""

    starts_at = datetime_field(
        bounds.PLANNED, _("Datum och tid"), error_messages={"required": _("Ange när genomgången hålls.")}
    )
    status = forms.ChoiceField(label=_("Status"), choices=ReviewMeeting.Status.choices)
    incidents = IncidentsChoiceField(
        label=_("Genomgångna händelser"),
        queryset=Incident.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Välj händelser i listan.")},
    )
    decisions = forms.CharField(label=_("Beslut"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    FIELDS = ("starts_at", "status", "decisions", "notes")

    def __init__(self, *args, user, agenda_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._gated_choices(user, agenda_ids)

    def _gated_choices(self, user, agenda_ids) -> None:
        # Offered: the proposed agenda and what is already on the meeting; valid: any incident the user may see.
        field = cast(forms.ModelMultipleChoiceField, self.fields["incidents"])
        field.queryset = (
            visible(user, Incident).filter(pk__in=agenda_ids).select_related("district").order_by("occurred_at")
        )

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        values["incidents"] = list(self.cleaned_data["incidents"])
        return values

    @classmethod
    def initial_for(cls, meeting: ReviewMeeting, *, incident_ids) -> dict:
        initial = {name: getattr(meeting, name) for name in cls.FIELDS}
        initial["starts_at"] = timezone.localtime(meeting.starts_at)
        initial["incidents"] = list(incident_ids)
        initial["version"] = meeting.version
        return initial


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Åtgärd"), max_length=200, error_messages={"required": _("Ange åtgärden.")})
    assignee_agency = AgencyChoiceField(
        label=_("Ansvarig myndighet"),
        queryset=Agency.objects.none(),
        empty_label=_("Välj myndighet"),
        error_messages={
            "required": _("Välj ansvarig myndighet."),
            "invalid_choice": _("Välj en av myndigheterna som deltar i genomgången."),
        },
    )
    due_on = date_field(
        bounds.PLANNED, _("Klar senast"), error_messages={"required": _("Ange när åtgärden ska vara klar.")}
    )
    exit_case = GatedChoiceField(
        kind="exit_case",
        label=_("Avhopparärende (valfritt)"),
        queryset=ExitCase.objects.none(),
        required=False,
        empty_label=_("Inget ärende"),
        help_text=_("Finns ett ärende blir åtgärden en uppgift i ärendet, på ärendets uppgiftslistor."),
        error_messages={"invalid_choice": _("Välj ett ärende i listan.")},
    )
    # A case's task given to another agency is disclosed to it (cases.services.task_add): on which basis.
    legal_basis = legal_basis_field(
        _(
            "Behövs när åtgärden blir en uppgift i ett ärende och ges till en annan myndighet: uppgiften lämnas då ut dit."
        )
    )
    assessment = assessment_field()

    def __init__(self, *args, user, participants, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        actor = access.actor_for(user)
        self.own_agency_id = actor.agency_id if actor is not None else None
        cast(forms.ModelChoiceField, self.fields["legal_basis"]).queryset = LegalBasis.objects.filter(
            active=True, requires_consent=False
        ).order_by("name")
        cast(forms.ModelChoiceField, self.fields["assignee_agency"]).queryset = Agency.objects.filter(
            pk__in=[a.pk for a in participants]
        ).order_by("name")
        self._gated_choices(user)

    def _gated_choices(self, user) -> None:
        cast(forms.ModelChoiceField, self.fields["exit_case"]).queryset = (
            visible(user, ExitCase).select_related("individual").order_by("-pk")
        )

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Sista dagen kan inte ligga bakåt i tiden."), code="in_past")
        return day

    def clean(self):
        super().clean()
        data = self.cleaned_data
        agency = data.get("assignee_agency")
        for_other = agency is not None and agency.pk != self.own_agency_id
        if agency is not None and for_other and data.get("exit_case") is not None and data.get("legal_basis") is None:
            self.add_error(
                "legal_basis",
                _("Uppgiften i ärendet ges till %(agency)s och lämnas då ut dit: välj den rättsliga grunden.")
                % {"agency": agency.name},
            )
        return data
