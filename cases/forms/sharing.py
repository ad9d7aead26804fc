"""The share dialog's form, for every protected kind (cases.shareables). It validates input only: which legal
bases and consents fit is asked of the gate and the services, which refuse the rest."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agencies import bounds
from agencies.models import Agency, LegalBasis, ShareLevel

from ..models import Consent


def assessment_field() -> forms.CharField:
    """The written assessment a basis may require, for a form that discloses as a side effect (a task given to
    another agency, agencies named on an outreach record)."""
    return forms.CharField(
        label=_("Bedömning (när den rättsliga grunden kräver en)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Vem behöver uppgifterna, varför, och varför väger den enskildes intresse inte tyngre. Sparas i "
            "utlämnanderegistret."
        ),
    )


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
    assessment = forms.CharField(
        label=_("Bedömning"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Krävs när den rättsliga grunden kräver en skriftlig bedömning: vem behöver uppgifterna, varför, och "
            "varför väger den enskildes intresse inte tyngre. Sparas i utlämnanderegistret."
        ),
    )
    expires_on = forms.DateField(
        validators=[bounds.PLANNED],
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
        bases: list[LegalBasis] | None = None,
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
        # `bases`: those that fit this sender, receiver and record (agencies.legal_bases.fitting_bases).
        offered = LegalBasis.objects.filter(active=True)
        if bases is not None:
            offered = offered.filter(pk__in=[basis.pk for basis in bases])
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
                self.order_fields(["what", "to_agency", "level", "legal_basis", "consent", "assessment", "expires_on"])
            else:
                offered = offered.filter(requires_consent=False)
        else:
            offered = offered.filter(requires_consent=False)
        cast(forms.ModelChoiceField, self.fields["legal_basis"]).queryset = offered.order_by("name")
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
        if basis is not None and basis.requires_assessment and not (data.get("assessment") or "").strip():
            self.add_error(
                "assessment",
                _("%(basis)s kräver en skriftlig bedömning: %(prompt)s")
                % {"basis": basis.name, "prompt": basis.assessment_prompt},
            )
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
