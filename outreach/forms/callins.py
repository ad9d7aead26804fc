"""Forms for the call-in pages. They validate input only; the rules live in outreach.services. Every choice
of a protected record comes through the gate (`_gated_choices`, one place per form)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.forms.gated import GatedChoiceField, GatedMultipleChoiceField
from cases.models import CriminalGroup, Individual

from ..models import CallIn, Invitation, InvitationReason
from ._fields import (
    NamedAgenciesMixin,
    agencies_field,
    assessment_field,
    date_field,
    datetime_field,
    legal_basis_field,
    visible,
)


class CallInForm(NamedAgenciesMixin, forms.Form):
    agencies_field_name = "host_agencies"
    basis_required_message = _("Välj den rättsliga grund som värdmyndigheterna får ta del av call-in på.")

    title = forms.CharField(label=_("Benämning"), max_length=200, help_text=_("Till exempel ”Call-in Vivalla, våren”."))
    starts_at = datetime_field(
        bounds.PLANNED, _("Datum och tid"), error_messages={"required": _("Ange när call-in hålls.")}
    )
    ends_at = datetime_field(bounds.PLANNED, _("Slutar"), required=False)
    venue = forms.CharField(label=_("Plats"), max_length=200, error_messages={"required": _("Ange platsen.")})
    rehearsal_on = date_field(
        bounds.PLANNED, _("Repetition"), required=False, help_text=_("Dagen då talarna repeterar.")
    )
    message_moral = forms.CharField(
        label=_("Det moraliska budskapet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Från lokalsamhället: våldet måste upphöra."),
    )
    message_consequences = forms.CharField(
        label=_("Konsekvenserna"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Vad som händer hela grupperingen om våldet fortsätter."),
    )
    message_help = forms.CharField(
        label=_("Erbjudandet om hjälp"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hjälpen som finns för den som vill lämna."),
    )
    target_groups = GatedMultipleChoiceField(
        kind="group",
        label=_("Grupperingar som kallas"),
        queryset=CriminalGroup.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Välj grupperingar i listan.")},
    )
    host_agencies = agencies_field(
        _("Värdmyndigheter"), _("De valda myndigheterna får se call-in, på den rättsliga grund du väljer.")
    )
    legal_basis = legal_basis_field(_("Behövs när du väljer nya värdmyndigheter."))
    assessment = assessment_field()
    notes = forms.CharField(label=_("Anteckningar"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    FIELDS = (
        "title", "starts_at", "ends_at", "venue", "rehearsal_on", "message_moral", "message_consequences",
        "message_help", "notes",
    )  # fmt: skip

    def __init__(self, *args, user, own_agency_id: int, hosts_editable: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._gated_choices(user)
        self.setup_agencies(own_agency_id)
        if not hosts_editable:
            # Only the owner decides who else sees the call-in.
            del self.fields["host_agencies"], self.fields["legal_basis"], self.fields["assessment"]

    def _gated_choices(self, user) -> None:
        cast(forms.ModelMultipleChoiceField, self.fields["target_groups"]).queryset = visible(
            user, CriminalGroup
        ).order_by("name")

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()

    def clean(self):
        super().clean()
        data = self.cleaned_data
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Sluttiden måste ligga efter starttiden."))
        rehearsal = data.get("rehearsal_on")
        if starts_at and rehearsal and rehearsal > timezone.localtime(starts_at).date():
            self.add_error("rehearsal_on", _("Repetitionen måste ligga före call-in."))
        if "host_agencies" in self.fields:
            self.check_basis(data, already=set(self.initial.get("host_agencies") or []))
        return data

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.FIELDS}
        values["target_groups"] = list(self.cleaned_data["target_groups"])
        if "host_agencies" in self.fields:
            values["host_agencies"] = list(self.cleaned_data["host_agencies"])
            values["legal_basis"] = self.cleaned_data["legal_basis"]
            values["assessment"] = self.cleaned_data.get("assessment", "")
        return values

    @classmethod
    def initial_for(cls, call_in: CallIn, *, visible_group_ids) -> dict:
        initial = {name: getattr(call_in, name) for name in cls.FIELDS}
        initial["starts_at"] = timezone.localtime(call_in.starts_at)
        initial["ends_at"] = timezone.localtime(call_in.ends_at) if call_in.ends_at else None
        initial["target_groups"] = list(visible_group_ids)
        initial["host_agencies"] = list(call_in.host_agencies.values_list("pk", flat=True))
        initial["version"] = call_in.version
        return initial


class CallInCreateForm(CallInForm):
    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise ValidationError(_("En planerad call-in kan inte ligga bakåt i tiden."), code="in_past")
        return value


class CallInUpdateForm(CallInForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CallInStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Ny status"),
        choices=[(s.value, s.label) for s in (CallIn.Status.REHEARSED, CallIn.Status.HELD, CallIn.Status.CANCELLED)],
        error_messages={"invalid_choice": _("Välj en status i listan."), "required": _("Välj en status.")},
    )


class InvitationForm(forms.Form):
    """The person is chosen by search among the persons the user may see (agencies.forms.gated)."""

    individual = GatedChoiceField(
        kind="person",
        label=_("Person"),
        queryset=Individual.objects.none(),
        empty_label=_("Välj person"),
        error_messages={"required": _("Välj en person."), "invalid_choice": _("Välj en person i listan.")},
    )
    accompanied_by = forms.CharField(
        label=_("Följs av"),
        max_length=200,
        required=False,
        help_text=_("Polis eller socialsekreterare som följer personen till call-in."),
    )
    reason_kind = forms.ChoiceField(
        label=_("Typ av skäl"), choices=[("", _("Inget skäl angivet")), *InvitationReason.Kind.choices], required=False
    )
    reason_text = forms.CharField(
        label=_("Skäl till inbjudan"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Syns bara för din myndighet, och för dem du senare delar skälet med."),
    )
    legal_basis = legal_basis_field(
        _("Inbjudan lämnas ut till den myndighet som planerar call-in, så att de kan ta närvaro.")
    )
    assessment = assessment_field()

    def __init__(self, *args, user, foreign: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._gated_choices(user)
        if foreign:
            from agencies.models import LegalBasis

            field = cast(forms.ModelChoiceField, self.fields["legal_basis"])
            field.queryset = LegalBasis.objects.filter(active=True, requires_consent=False).order_by("name")
            field.required = True
            field.error_messages["required"] = _(
                "Välj den rättsliga grund som inbjudan lämnas ut till den planerande myndigheten på."
            )
        else:
            del self.fields["legal_basis"], self.fields["assessment"]

    def _gated_choices(self, user) -> None:
        cast(forms.ModelChoiceField, self.fields["individual"]).queryset = (
            visible(user, Individual).select_related("district").order_by("alias")
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (data.get("reason_text") or "").strip() and not data.get("reason_kind"):
            self.add_error("reason_kind", _("Välj typ av skäl."))
        return data


class FollowUpForm(forms.Form):
    accompanied_by = forms.CharField(label=_("Följs av"), max_length=200, required=False)
    follow_up_on = date_field(
        bounds.PLANNED,
        _("Uppföljande kontakt"),
        required=False,
        help_text=_("Dagen då personen kontaktades efter call-in."),
    )
    help_requested = forms.BooleanField(
        label=_("Personen bad om hjälp att lämna kriminaliteten"),
        required=False,
        help_text=_("Öppnar en förfrågan om avhopparärende (en gång)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean_follow_up_on(self):
        day = self.cleaned_data.get("follow_up_on")
        if day is not None and day > timezone.localdate():
            raise ValidationError(_("Den uppföljande kontakten kan inte ligga framåt i tiden."), code="future")
        return day

    @classmethod
    def initial_for(cls, invitation: Invitation) -> dict:
        return {
            "accompanied_by": invitation.accompanied_by,
            "follow_up_on": invitation.follow_up_on,
            "help_requested": invitation.help_requested,
            "version": invitation.version,
        }


class ReasonForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ av skäl"), choices=InvitationReason.Kind.choices)
    text = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 3}))
