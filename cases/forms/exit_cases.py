"""Forms for the case pages. They validate input only; the writes and their rules live in cases.services."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import Agency, LegalBasis

from ..models import (
    CaseEntry,
    EntryKind,
    Individual,
    InterventionStatus,
    NeedArea,
    NeedLevel,
    Outcome,
    Phase,
    PlanGoal,
    Task,
)
from .sharing import DescribedRadioSelect, LegalBasisChoiceField, assessment_field

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _next_meeting_field() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("Nästa möte"),
        validators=[bounds.PLANNED],
        required=False,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Datum och tid, till exempel 2026-03-14 13:30. Valfritt."),
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class UserWithAgencyChoiceField(UserChoiceField):
    """Users of several agencies in one list (the queryset selects membership__agency)."""

    def label_from_instance(self, obj) -> str:
        return f"{super().label_from_instance(obj)}, {obj.membership.agency.name}"


class GoalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.description[:80]


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        year = f" ({obj.birth_year})" if obj.birth_year else ""
        return f"{obj.alias}{year}"


# --- the case header ------------------------------------------------------------------------------------


class ExitCaseCreateForm(forms.Form):
    individual = PersonChoiceField(
        label=_("Person"),
        queryset=Individual.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Välj vilken person ärendet gäller."),
            "invalid_choice": _("Välj en person i listan."),
        },
    )
    summary = forms.CharField(
        label=_("Sammanfattning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad personen har bett om och vad som är känt om läget. Syns för alla deltagande myndigheter."),
    )
    next_meeting = _next_meeting_field()

    def __init__(self, *args, persons, shown=(), **kwargs) -> None:
        """`persons`: every person the user may choose (the gate's queryset, for validation); `shown`: the
        few of them offered on this page (a search result), so a long register is never one huge list."""
        super().__init__(*args, **kwargs)
        field = cast(PersonChoiceField, self.fields["individual"])
        field.queryset = persons
        field.widget.choices = [(p.pk, field.label_from_instance(p)) for p in shown]


class ExitCaseUpdateForm(forms.Form):
    coordinator = UserChoiceField(
        label=_("Samordnare"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Ingen vald"),
        help_text=_("En handläggare på den ansvariga myndigheten."),
    )
    next_meeting = _next_meeting_field()
    summary = forms.CharField(label=_("Sammanfattning"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    # The version the editor loaded; services.case_update refuses the save if it is no longer current.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    FIELDS = ("coordinator", "next_meeting", "summary")

    def __init__(self, *args, agency_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(membership__agency_id=agency_id, is_active=True)
        cast(UserChoiceField, self.fields["coordinator"]).queryset = users.order_by("first_name", "last_name")

    @classmethod
    def initial_for(cls, case) -> dict:
        local = timezone.localtime(case.next_meeting) if case.next_meeting else None
        return {
            "coordinator": case.coordinator_id,
            "next_meeting": local,
            "summary": case.summary,
            "version": case.version,
        }


class PhaseForm(forms.Form):
    to_phase = forms.ChoiceField(
        label=_("Ny fas"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en fas."), "invalid_choice": _("Välj en av faserna i listan.")},
    )
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sparas i fashistoriken och syns för alla deltagande myndigheter."),
        error_messages={"required": _("Ange skälet till fasändringen.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, current: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Closing has its own form, with an outcome.
        choices = [(value, label) for value, label in Phase.choices if value not in (current, Phase.CLOSED)]
        cast(forms.ChoiceField, self.fields["to_phase"]).choices = choices


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj ett utfall."), "invalid_choice": _("Välj ett av utfallen i listan.")},
    )
    reason = forms.CharField(
        label=_("Skäl"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sparas i fashistoriken och syns för alla deltagande myndigheter."),
        error_messages={"required": _("Ange skälet till att ärendet avslutas.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# --- entries --------------------------------------------------------------------------------------------


class EntryKindForm(forms.Form):
    """The first step of a new entry: which kind. Threat assessments are offered to police users only."""

    typ = forms.ChoiceField(
        label=_("Vilken typ av journalpost?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en typ."), "invalid_choice": _("Välj en av typerna i listan.")},
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["typ"]).choices = kinds


def entry_kinds(*, is_police: bool) -> list[tuple[str, str]]:
    return [(value, str(label)) for value, label in EntryKind.choices if is_police or value != EntryKind.THREAT]


class EntryForm(forms.Form):
    """One entry of any kind. The kind-specific fields are present only for their kind."""

    title = forms.CharField(
        label=_("Rubrik"),
        max_length=CaseEntry._meta.get_field("title").max_length,
        error_messages={"required": _("Ange en rubrik.")},
    )
    occurred_on = forms.DateField(
        validators=[bounds.HAPPENED],
        label=_("Datum"),
        widget=_date_input(),
        error_messages={"required": _("Ange ett datum.")},
    )
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    # Interventions
    intervention_category = forms.ChoiceField(
        label=_("Insatstyp"),
        choices=[("", _("Välj insatstyp")), *NeedArea.choices],
        error_messages={"required": _("Välj vilken typ av insats det är.")},
    )
    provider = forms.CharField(
        label=_("Utförare"), required=False, max_length=CaseEntry._meta.get_field("provider").max_length
    )
    starts_on = forms.DateField(validators=[bounds.PLANNED], label=_("Från"), required=False, widget=_date_input())
    ends_on = forms.DateField(validators=[bounds.PLANNED], label=_("Till"), required=False, widget=_date_input())
    intervention_status = forms.ChoiceField(
        label=_("Insatsens status"),
        choices=InterventionStatus.choices,
        initial=InterventionStatus.PLANNED,
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj insatsens status.")},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    INTERVENTION_FIELDS = ("intervention_category", "provider", "starts_on", "ends_on", "intervention_status")

    def __init__(self, *args, kind: str, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind != EntryKind.INTERVENTION:
            for name in self.INTERVENTION_FIELDS:
                del self.fields[name]
        if not editing:
            del self.fields["version"]
            self.fields["occurred_on"].initial = timezone.localdate
        if kind == EntryKind.NEEDS:
            # One level and one comment per need area, grouped per area on the page.
            for value, label in NeedArea.choices:
                self.fields[f"need_{value}_level"] = forms.ChoiceField(
                    label=_("Nivå"),
                    required=False,
                    choices=[("", _("Inte bedömt")), *NeedLevel.choices],
                )
                self.fields[f"need_{value}_comment"] = forms.CharField(
                    label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                )
                self.fields[f"need_{value}_level"].area_label = label  # type: ignore[attr-defined]

    def need_groups(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(area label, level field, comment field) per need area, for one fieldset each."""
        if self.kind != EntryKind.NEEDS:
            return []
        return [
            (str(label), self[f"need_{value}_level"], self[f"need_{value}_comment"])
            for value, label in NeedArea.choices
        ]

    def plain_fields(self) -> list[forms.BoundField]:
        return [bf for bf in self.visible_fields() if not bf.name.startswith("need_")]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise ValidationError(_("Ange en rubrik."), code="required")
        return title

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if self.kind == EntryKind.NEEDS:
            for value, _label in NeedArea.choices:
                level, comment = data.get(f"need_{value}_level"), (data.get(f"need_{value}_comment") or "").strip()
                if comment and not level:
                    self.add_error(f"need_{value}_level", _("Ange en nivå när du skriver en kommentar."))
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("Slutdatum kan inte ligga före startdatum."))
        return data

    def values(self) -> dict:
        """What services.entry_add / entry_update take for this kind."""
        data = self.cleaned_data
        values = {name: data[name] for name in ("title", "occurred_on", "body")}
        if self.kind == EntryKind.INTERVENTION:
            values.update({name: data[name] for name in self.INTERVENTION_FIELDS})
        if self.kind == EntryKind.NEEDS:
            needs = {}
            for value, _label in NeedArea.choices:
                level = data.get(f"need_{value}_level")
                if level:
                    needs[value] = {"level": level, "comment": (data.get(f"need_{value}_comment") or "").strip()}
            values["needs"] = needs
        return values

    @classmethod
    def initial_for(cls, entry: CaseEntry) -> dict:
        initial = {
            "title": entry.title,
            "occurred_on": entry.occurred_on,
            "body": entry.body,
            "version": entry.version,
        }
        for name in cls.INTERVENTION_FIELDS:
            initial[name] = getattr(entry, name)
        for area, need in (entry.needs or {}).items():
            initial[f"need_{area}_level"] = need.get("level", "")
            initial[f"need_{area}_comment"] = need.get("comment", "")
        return initial


# --- the plan -------------------------------------------------------------------------------------------


class GoalForm(forms.Form):
    description = forms.CharField(
        label=_("Mål"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad ska vara uppnått? Syns för alla deltagande myndigheter."),
        error_messages={"required": _("Beskriv målet.")},
    )
    target_date = forms.DateField(
        validators=[bounds.PLANNED], label=_("Måldatum"), required=False, widget=_date_input()
    )


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanGoal.Status.choices)


class TaskForm(forms.Form):
    title = forms.CharField(
        label=_("Uppgift"),
        max_length=Task._meta.get_field("title").max_length,
        error_messages={"required": _("Ange uppgiften.")},
    )
    assignee_agency = forms.ModelChoiceField(
        label=_("Ansvarig myndighet"),
        queryset=Agency.objects.none(),
        empty_label=_("Välj myndighet"),
        help_text=_("En av myndigheterna som deltar i ärendet."),
        error_messages={
            "required": _("Välj vilken myndighet som ansvarar."),
            "invalid_choice": _("Välj en myndighet som deltar i ärendet."),
        },
    )
    assignee_user = UserWithAgencyChoiceField(
        label=_("Ansvarig handläggare (valfritt)"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Ingen namngiven"),
        help_text=_("Måste arbeta på den ansvariga myndigheten. Utan namn går uppgiften till myndigheten."),
        error_messages={"invalid_choice": _("Välj en handläggare i listan.")},
    )
    due_on = forms.DateField(
        validators=[bounds.PLANNED],
        label=_("Klar senast"),
        widget=_date_input(),
        error_messages={"required": _("Ange ett datum.")},
    )
    goal = GoalChoiceField(
        label=_("Hör till mål (valfritt)"), queryset=PlanGoal.objects.none(), required=False, empty_label=_("Inget mål")
    )
    entry = forms.ModelChoiceField(
        label=_("Hör till journalpost (valfritt)"),
        queryset=CaseEntry.objects.none(),
        required=False,
        empty_label=_("Ingen journalpost"),
        help_text=_("Bara journalposter du själv kan se. Andra ser kopplingen bara om de också kan se posten."),
    )
    # A task given to another agency is disclosed to it (services.task_add): on which basis, and why.
    legal_basis = LegalBasisChoiceField(
        label=_("Rättslig grund (när uppgiften ges till en annan myndighet)"),
        queryset=LegalBasis.objects.none(),
        required=False,
        widget=DescribedRadioSelect,
        empty_label=None,
        help_text=_(
            "Uppgiften lämnas ut till den ansvariga myndigheten, som då kan se och klarmarkera den. Bara grunder "
            "som din myndighet kan lämna ut på visas; grunden måste också passa mottagaren. Med samtycke används "
            "ett giltigt samtycke som omfattar mottagaren."
        ),
        error_messages={"invalid_choice": _("Välj en av de rättsliga grunderna i listan.")},
    )
    assessment = assessment_field()

    def __init__(self, *args, agencies, users, goals, entries, own_agency_id: int, bases, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.own_agency_id = own_agency_id
        cast(forms.ModelChoiceField, self.fields["legal_basis"]).queryset = bases
        cast(forms.ModelChoiceField, self.fields["assignee_agency"]).queryset = agencies
        cast(UserChoiceField, self.fields["assignee_user"]).queryset = users
        cast(GoalChoiceField, self.fields["goal"]).queryset = goals
        cast(forms.ModelChoiceField, self.fields["entry"]).queryset = entries

    def clean(self):
        super().clean()
        data = self.cleaned_data
        agency, user = data.get("assignee_agency"), data.get("assignee_user")
        if agency is not None and user is not None:
            member_of = getattr(getattr(user, "membership", None), "agency_id", None)
            if member_of != agency.pk:
                self.add_error("assignee_user", _("Handläggaren arbetar inte på den valda myndigheten."))
        basis = data.get("legal_basis")
        if agency is not None and agency.pk != self.own_agency_id:
            if basis is None:
                self.add_error(
                    "legal_basis",
                    _("Uppgiften ges till %(agency)s och lämnas då ut dit: välj den rättsliga grunden.")
                    % {"agency": agency.name},
                )
            elif basis.requires_assessment and not (data.get("assessment") or "").strip():
                self.add_error(
                    "assessment",
                    _("%(basis)s kräver en skriftlig bedömning: %(prompt)s")
                    % {"basis": basis.name, "prompt": basis.assessment_prompt},
                )
        return data
