"""The lead's verdict on one item of the monthly log review."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import VerdictChoice

COMMENT_MAX = 2000


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=_("Bedömning"),
        choices=VerdictChoice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj godkänd eller flaggad."),
            "invalid_choice": _("Välj godkänd eller flaggad."),
        },
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Frivillig. Till exempel varför läsningen behövdes eller vad som ska utredas."),
    )
