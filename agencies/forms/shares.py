"""The form that ends a disclosure (shared by the agencies and the cases pages)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ShareRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl för återkallelsen"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skälet sparas i utlämnanderegistret och i åtkomstloggen."),
        error_messages={"required": _("Ange ett skäl för återkallelsen.")},
    )
