from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext as _

from agencies.forms.auth import LoginForm


class LoginView(auth_views.LoginView):
    # LoginView passes the request to authenticate(), which django-axes needs to count failures per IP.
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Django's LogoutView (POST only), telling the user they are out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, _("Du är nu utloggad."))
        return response
