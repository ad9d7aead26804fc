from django.contrib import admin
from django.urls import include, path

from .api_docs import DocsView, SchemaView
from .health import health

urlpatterns = [
    path("", include("agencies.urls.pages")),
    path("personer/", include("cases.urls.individuals")),
    path("grupperingar/", include("cases.urls.groups")),
    path("handelser/", include("cases.urls.incidents")),
    path("arenden/", include("cases.urls.exit_cases")),
    path("samtycken/", include("cases.urls.consents")),
    path("uppgifter/", include("cases.urls.tasks")),
    path("sok/", include("cases.urls.search")),
    path("call-ins/", include("outreach.urls.callins")),
    path("samtal/", include("outreach.urls.notifications")),
    path("insatser/", include("outreach.urls.enforcement")),
    path("genomgangar/", include("outreach.urls.reviews")),
    path("kalender/", include("outreach.urls.calendar")),
    path("gallring/", include("retention.urls.pages")),
    path("instrumentpanel/", include("dashboards.urls.pages")),
    path("registerutdrag/", include("extracts.urls.extracts")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    # Namespaced, so the API router's names (individual-list, …) never shadow the pages' names.
    path("api/v1/", include(("gvi_portal.api_urls", "api"), namespace="api")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]
