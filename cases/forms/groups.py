"""Forms for the group registry pages. They validate input only; the rules live in cases.services.groups.

Choices of protected records (the other group of a relation, the person of a membership) are given by the
view from the gate, so an invisible record is as invalid a choice as a missing one.
"""

from __future__ import annotations

import re
from datetime import date
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies import bounds

from ..models import CriminalGroup, District, GroupMembership, GroupRelation, Individual
from ..services import Review

_DATE = {"type": "date"}
_DATE_FORMAT = "%Y-%m-%d"

# The same words as services.groups.EVIDENCE_REQUIRED, the rule's own refusal.
EVIDENCE_REQUIRED = _("Ett medlemskap kräver underlag: beskriv vad uppgiften bygger på och ange källtyp.")
ALIAS_MAX_LENGTH = 120


def _date_field(window: bounds.Window, label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        validators=[window],
        required=False,
        widget=forms.DateInput(attrs=_DATE, format=_DATE_FORMAT),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
        **kwargs,
    )


def _with_empty(choices, label) -> list[tuple[str, str]]:
    return [("", label), *choices]


class AliasesField(forms.CharField):
    """Other names as one text box: one per line, or separated by commas. Cleaned to a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        names: list[str] = []
        for name in re.split(r"[,\n]", text):
            name = " ".join(name.split())
            if name and name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        return names

    def validate(self, value) -> None:
        super().validate(value)
        too_long = [name for name in value if len(name) > ALIAS_MAX_LENGTH]
        if too_long:
            raise ValidationError(
                _("Ett namn får vara högst %(max)s tecken: %(name)s") % {"max": ALIAS_MAX_LENGTH, "name": too_long[0]},
                code="alias_too_long",
            )

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Namn"),
        max_length=CriminalGroup._meta.get_field("name").max_length,
        error_messages={"required": _("Ange grupperingens namn.")},
    )
    aliases = AliasesField(
        label=_("Andra namn"),
        required=False,
        help_text=_("Namn som grupperingen också är känd under. Ett namn per rad, eller åtskilda med kommatecken."),
    )
    districts = forms.ModelMultipleChoiceField(
        label=_("Stadsdelar"),
        queryset=District.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Där grupperingen är verksam. Välj inga, en eller flera."),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=CriminalGroup.Status.choices,
        initial=CriminalGroup.Status.ACTIVE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj status.")},
    )
    description = forms.CharField(label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    first_seen = _date_field(bounds.HAPPENED, _("Först noterad"))
    last_seen = _date_field(bounds.HAPPENED, _("Senast noterad"))

    FIELDS = ("name", "aliases", "status", "description", "first_seen", "last_seen")

    def __init__(self, *args, current_district_ids: list[int] | tuple[int, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A district retired after the group was recorded stays selectable (and checked) for that group.
        districts = Q(active=True) | Q(pk__in=current_district_ids) if current_district_ids else Q(active=True)
        cast(forms.ModelMultipleChoiceField, self.fields["districts"]).queryset = District.objects.filter(districts)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Ange grupperingens namn."), code="required")
        return name

    def clean(self) -> dict:
        data = super().clean() or {}
        first, last = data.get("first_seen"), data.get("last_seen")
        if first and last and last < first:
            self.add_error("last_seen", _("Senast noterad kan inte ligga före först noterad."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, group: CriminalGroup) -> dict:
        return {
            "name": group.name,
            "aliases": list(group.aliases),
            "districts": [d.pk for d in group.districts.all()],
            "status": group.status,
            "description": group.description,
            "first_seen": group.first_seen,
            "last_seen": group.last_seen,
            "version": group.version,
        }


class GroupUpdateForm(GroupForm):
    # The version the editor loaded; services.group_update refuses the save if it is no longer current.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CriminalGroup) -> str:
        return obj.name


class RelationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ av relation"),
        choices=GroupRelation.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj konflikt eller allians.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=GroupRelation.Status.choices, initial=GroupRelation.Status.ACTIVE
    )
    since = _date_field(bounds.HAPPENED, _("Sedan"), help_text=_("Ungefär när relationen uppstod, om det är känt."))
    source = forms.CharField(
        label=_("Källa"),
        max_length=GroupRelation._meta.get_field("source").max_length,
        help_text=_("Vad uppgiften bygger på, till exempel en gruppkartläggning eller en utredning."),
        error_messages={"required": _("Ange källan till uppgiften om relationen.")},
    )
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    FIELDS = ("kind", "status", "since", "notes", "source")

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}

    @classmethod
    def initial_for(cls, relation: GroupRelation) -> dict:
        return {name: getattr(relation, name) for name in cls.FIELDS} | {"version": relation.version}


class RelationCreateForm(RelationForm):
    other = GroupChoiceField(
        label=_("Den andra grupperingen"),
        queryset=CriminalGroup.objects.none(),
        empty_label=_("Välj gruppering"),
        error_messages={
            "required": _("Välj den andra grupperingen."),
            "invalid_choice": _("Välj en annan gruppering i listan."),
        },
    )

    field_order = ["other", "kind", "status", "since", "source", "notes"]

    def __init__(self, *args, groups: QuerySet[CriminalGroup], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["other"]).queryset = groups


class RelationUpdateForm(RelationForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Individual) -> str:
        return f"{obj.alias} ({obj.birth_year})" if obj.birth_year else obj.alias


class MembershipForm(forms.Form):
    individual = PersonChoiceField(
        label=_("Person"),
        queryset=Individual.objects.none(),
        empty_label=_("Välj person"),
        help_text=_("Personer som din myndighet har registrerat eller fått delade med sig."),
        error_messages={"required": _("Välj person."), "invalid_choice": _("Välj en person i listan.")},
    )
    role = forms.ChoiceField(
        label=_("Roll"),
        choices=_with_empty(GroupMembership.Role.choices, _("Välj roll")),
        error_messages={"required": _("Välj roll.")},
    )
    valid_from = _date_field(bounds.HAPPENED, _("Från"))
    valid_to = _date_field(bounds.PLANNED, _("Till"), help_text=_("Lämna tomt om medlemskapet består."))
    source_type = forms.ChoiceField(
        label=_("Källtyp"),
        choices=_with_empty(GroupMembership.SourceType.choices, _("Välj källtyp")),
        error_messages={"required": EVIDENCE_REQUIRED},
    )
    evidence = forms.CharField(
        label=_("Underlag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad uppgiften bygger på: när, var och hur. Ett offer registreras aldrig som medlem."),
        error_messages={"required": EVIDENCE_REQUIRED},
    )
    confidence = forms.ChoiceField(
        label=_("Säkerhet"),
        choices=GroupMembership.Confidence.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj hur säker uppgiften är.")},
    )
    review_due = _date_field(
        bounds.PLANNED,
        _("Omprövas senast (valfritt)"),
        help_text=_(
            "Lämna tomt för att ompröva om tolv månader. Ett medlemskap som inte omprövas upphör 30 dagar efter datumet."
        ),
    )

    FIELDS = ("role", "valid_from", "valid_to", "source_type", "evidence", "confidence", "review_due")

    def __init__(self, *args, people: QuerySet[Individual], today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["individual"]).queryset = people
        self.today = today
        self.fields["review_due"].widget.attrs["min"] = today.isoformat()

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Slutdatum kan inte ligga före startdatum."))
        due = data.get("review_due")
        if due and due <= self.today:
            self.add_error("review_due", _("Omprövningsdatumet måste ligga i framtiden."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Beslut"),
        choices=[
            (Review.CONFIRM, _("Bekräfta medlemskapet (med nytt underlag)")),
            (Review.CHANGE, _("Ändra säkerhet eller roll (med nytt underlag)")),
            (Review.END, _("Avsluta medlemskapet")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett beslut."), "invalid_choice": _("Välj ett beslut.")},
    )
    evidence = forms.CharField(
        label=_("Nytt underlag"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs för att bekräfta eller ändra. Det tidigare underlaget sparas, daterat."),
    )
    confidence = forms.ChoiceField(
        label=_("Ny säkerhet"),
        required=False,
        choices=_with_empty(GroupMembership.Confidence.choices, _("Oförändrad")),
    )
    role = forms.ChoiceField(
        label=_("Ny roll"), required=False, choices=_with_empty(GroupMembership.Role.choices, _("Oförändrad"))
    )
    end_reason = forms.CharField(
        label=_("Skäl för avslut"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Krävs för att avsluta, till exempel att personen har lämnat grupperingen."),
    )

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "decision": data["decision"],
            "evidence": data["evidence"],
            "confidence": data["confidence"] or None,
            "role": data["role"] or None,
            "end_reason": data["end_reason"],
        }
