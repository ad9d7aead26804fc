"""The login form, and the one-time code of the second factor that follows it."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's login form with the portal's own Swedish wording."""

    error_messages = {
        "invalid_login": _(
            "Fel användarnamn eller lösenord. Observera att stora och små bokstäver räknas som olika tecken."
        ),
        "inactive": _("Kontot är inaktiverat. Kontakta din myndighets administratör."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Användarnamn")
        self.fields["password"].label = _("Lösenord")


class OneTimeCodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Engångskod"),
        max_length=20,
        help_text=_("Sex siffror från autentiseringsappen, eller en av dina reservkoder."),
        error_messages={"required": _("Ange koden.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )
