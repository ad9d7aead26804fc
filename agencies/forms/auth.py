"""The login form."""

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
