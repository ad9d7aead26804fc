"""The agencies pages, mounted at the site root: home, login and logout, the access log, revoking a share."""

from django.urls import path

from ..views.access_log import access_log
from ..views.auth import LoginView, LogoutView
from ..views.home import home
from ..views.shares import share_revoke

urlpatterns = [
    path("", home, name="home"),
    path("logga-in/", LoginView.as_view(), name="login"),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    path("atkomstlogg/", access_log, name="access-log"),
    path("utlamnanden/<int:pk>/aterkalla/", share_revoke, name="share-revoke"),
]
