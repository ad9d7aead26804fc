"""The dashboards' filters: a period and a district, never a group (the issue and docs/dashboards.md)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import District

from ..tables import months_between


def _month(value: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except (ValueError, AttributeError) as exc:
        raise forms.ValidationError(_("Ange en månad som ÅÅÅÅ-MM.")) from exc


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "inputmode": "numeric", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        value = super().to_python(value)
        return _month(value) if value else None


class LeadFilterForm(forms.Form):
    MAX_MONTHS = 120

    start = MonthField(label=_("Från och med månad"), required=False)
    end = MonthField(label=_("Till och med månad"), required=False)
    district = forms.ModelChoiceField(
        label=_("Stadsdel"), queryset=District.objects.all(), required=False, empty_label=_("Alla stadsdelar")
    )

    def clean(self):
        data = super().clean() or {}
        today = timezone.localdate().replace(day=1)
        end = data.get("end") or today
        start = data.get("start") or date(end.year - 1, end.month, 1)
        if start > end:
            raise forms.ValidationError(_("Periodens början ligger efter dess slut."))
        if len(months_between(start, end)) + 1 > self.MAX_MONTHS:
            raise forms.ValidationError(_("Välj högst tio år åt gången."))
        data["start"], data["end"] = start, end
        return data


class JointFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("År"), coerce=int, required=False)
    district = forms.ModelChoiceField(
        label=_("Stadsdel"), queryset=District.objects.all(), required=False, empty_label=_("Alla stadsdelar")
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        year_field = self.fields["year"]
        assert isinstance(year_field, forms.TypedChoiceField)  # noqa: S101 - declared just above
        year_field.choices = [(y, str(y)) for y in reversed(years)]
        self.default_year = years[-1] if years else timezone.localdate().year

    def clean_year(self):
        return self.cleaned_data.get("year") or self.default_year
