"""The OpenAPI schema and the Swagger UI, behind login when API_DOCS_LOGIN_REQUIRED (on in production).

The docs are the split Swagger view: the page loads its initialiser as a script file of its own (`?script`),
so the Content-Security-Policy needs no inline script. The page's template replaces the package's inline
<style> with a stylesheet (templates/api/swagger_ui.html). The assets come from drf-spectacular-sidecar.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny, IsAuthenticated


def _permissions():
    return [IsAuthenticated()] if settings.API_DOCS_LOGIN_REQUIRED else [AllowAny()]


class SchemaView(SpectacularAPIView):
    def get_permissions(self):
        return _permissions()


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    # The page is for people: a stranger is sent to the login page (below) rather than answered 401.
    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if settings.API_DOCS_LOGIN_REQUIRED and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
