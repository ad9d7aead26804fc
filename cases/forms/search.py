"""The header's search box and the search page's form: one term, validated before any query runs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..selectors.search import MAX_LENGTH, MIN_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök"),
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        help_text=_("Alias, gruppering, plats för en händelse eller personnummer (om du får se identiteten)."),
        error_messages={
            "required": _("Skriv vad du söker."),
            "min_length": _("Skriv minst %(limit_value)d tecken."),
            "max_length": _("Skriv högst %(limit_value)d tecken."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        widget = self.fields["q"].widget
        widget.input_type = "search"
        widget.attrs.update(autocomplete="off", spellcheck="false")
