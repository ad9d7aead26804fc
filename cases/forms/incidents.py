"""Forms for the incident pages. They validate input only;
the writes and their rules live in cases.services, and every choice of a protected record is drawn
through the gate, so an invisible group or person is as invalid a choice as a missing one."""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import access, bounds

from ..models import CriminalGroup, District, Incident, IncidentGroup, IncidentPerson, Individual

# A clock a few minutes off in the browser must not make "just now" a future time.
FUTURE_TOLERANCE = timedelta(minutes=10)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av händelse"),
        choices=[("", _("Välj typ")), *Incident.Kind.choices],
        error_messages={"required": _("Välj typ av händelse.")},
    )
    occurred_at = forms.DateTimeField(
        validators=[bounds.HAPPENED],
        label=_("Inträffade"),
        # A native date-and-time picker; Django parses its ISO value ("2025-05-01T21:30").
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Datum och ungefärlig tid."),
        error_messages={
            "required": _("Ange när händelsen inträffade."),
            "invalid": _("Ange datum och tid, till exempel 2025-05-01 21:30."),
        },
    )
    district = forms.ModelChoiceField(
        label=_("Stadsdel"), queryset=District.objects.none(), required=False, empty_label=_("Ingen vald")
    )
    place = forms.CharField(
        label=_("Ungefärlig plats"),
        required=False,
        max_length=Incident._meta.get_field("place").max_length,
        help_text=_("Till exempel ett torg eller en gata – inte en adress som pekar ut en person."),
    )
    dead = forms.IntegerField(
        label=_("Döda"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Ange antalet döda (0 om ingen)."),
            "min_value": _("Antalet kan inte vara negativt."),
        },
    )
    injured = forms.IntegerField(
        label=_("Skadade"),
        min_value=0,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Ange antalet skadade (0 om ingen)."),
            "min_value": _("Antalet kan inte vara negativt."),
        },
    )
    status = forms.ChoiceField(label=_("Status"), choices=Incident.Status.choices, initial=Incident.Status.OPEN)
    investigation_hours = forms.DecimalField(
        label=_("Utredningstimmar"),
        min_value=0,
        max_digits=8,
        decimal_places=1,
        initial=0,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_("Polisens nedlagda tid på utredningen, i timmar."),
        error_messages={
            "required": _("Ange utredningstimmar (0 om inga)."),
            "invalid": _("Ange ett antal timmar, till exempel 12,5."),
            "min_value": _("Utredningstimmar kan inte vara negativa."),
        },
    )
    summary = forms.CharField(label=_("Sammanfattning"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    FIELDS = ("kind", "occurred_at", "district", "place", "dead", "injured", "status", "investigation_hours", "summary")

    def __init__(self, *args, current_district_id: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A district retired after the incident was recorded stays selectable for that incident.
        districts = Q(active=True) | Q(pk=current_district_id) if current_district_id else Q(active=True)
        cast(forms.ModelChoiceField, self.fields["district"]).queryset = District.objects.filter(districts)

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + FUTURE_TOLERANCE:
            raise ValidationError(_("Tidpunkten kan inte ligga i framtiden."), code="future")
        return value

    def clean_place(self) -> str:
        return self.cleaned_data["place"].strip()

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, incident: Incident) -> dict:
        return {
            "kind": incident.kind,
            "occurred_at": timezone.localtime(incident.occurred_at),
            "district": incident.district_id,
            "place": incident.place,
            "dead": incident.dead,
            "injured": incident.injured,
            "status": incident.status,
            "investigation_hours": incident.investigation_hours,
            "summary": incident.summary,
            "version": incident.version,
        }


class IncidentUpdateForm(IncidentForm):
    # The version the editor loaded; services.incident_update refuses the save if it is no longer current.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CriminalGroup) -> str:
        return obj.name


class IncidentGroupForm(forms.Form):
    group = GroupChoiceField(
        label=_("Gruppering"),
        queryset=CriminalGroup.objects.none(),
        empty_label=_("Välj gruppering"),
        error_messages={
            "required": _("Välj en gruppering."),
            "invalid_choice": _("Välj en gruppering i listan."),
        },
    )
    side = forms.ChoiceField(
        label=_("Sida i händelsen"),
        choices=IncidentGroup.Side.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om grupperingen var på gärnings- eller offersidan.")},
    )
    certainty = forms.ChoiceField(
        label=_("Säkerhet"),
        choices=IncidentGroup.Certainty.choices,
        initial=IncidentGroup.Certainty.SUSPECTED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj om inblandningen är misstänkt eller bekräftad.")},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        groups = access.visible(user, CriminalGroup).order_by("name")
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups


class IndividualChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Individual) -> str:
        parts = [obj.alias]
        if obj.birth_year:
            parts.append(str(obj.birth_year))
        if obj.district_id:
            parts.append(str(obj.district))
        return ", ".join(parts)


class IncidentPersonForm(forms.Form):
    """The person is picked among search results; any person the user may see is a valid choice."""

    individual = IndividualChoiceField(
        label=_("Person"),
        queryset=Individual.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Välj en person bland sökträffarna."),
            "invalid_choice": _("Välj en person bland sökträffarna."),
        },
    )
    role = forms.ChoiceField(
        label=_("Roll i händelsen"),
        choices=IncidentPerson.Role.choices,
        widget=forms.RadioSelect,
        help_text=_("En målsägande registreras aldrig som medlem i någon gruppering."),
        error_messages={"required": _("Välj personens roll i händelsen.")},
    )
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The search that produced the choices, so a failed submit shows the same choices again.
    q = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, candidates: QuerySet[Individual] | list[Individual], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = cast(IndividualChoiceField, self.fields["individual"])
        # Validated against everyone the user may see; offered only the search results (a list of every
        # visible person would be unbounded).
        field.queryset = access.visible(user, Individual)
        field.widget.choices = [(person.pk, field.label_from_instance(person)) for person in candidates]


class PersonSearchForm(forms.Form):
    """The search that finds the person to add to an incident (a GET form beside the add form)."""

    q = forms.CharField(
        label=_("Sök person (alias eller personnummer)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
