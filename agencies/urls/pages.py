"""The agencies pages, mounted at the site root: home, login and logout with the second factor, the access
log with the refused attempts, the lockouts and the monthly log review, opening and revoking a share, the
autocomplete behind the forms' gated choices."""

from django.urls import path

from ..views.access_log import access_log, access_log_export, person_reads
from ..views.auth import LoginView, LogoutView
from ..views.choosers import choices
from ..views.denied_access import denied_access
from ..views.home import home
from ..views.lockouts import lockout_lift, lockout_list
from ..views.log_review import log_review_detail, log_review_list, log_review_verdict
from ..views.second_factor import manage, step_up, verify
from ..views.shares import share_open, share_revoke

urlpatterns = [
    path("", home, name="home"),
    path("logga-in/", LoginView.as_view(), name="login"),
    path("logga-ut/", LogoutView.as_view(), name="logout"),
    path("logga-in/verifiera/", verify, name="second-factor-verify"),
    path("konto/tvastegsverifiering/", manage, name="second-factor"),
    path("konto/bekrafta/", step_up, name="second-factor-step-up"),
    path("atkomstlogg/", access_log, name="access-log"),
    path("atkomstlogg/export.csv", access_log_export, name="access-log-export"),
    path("atkomstlogg/person/<int:pk>/", person_reads, name="person-reads"),
    path("atkomstlogg/nekade/", denied_access, name="denied-access"),
    path("atkomstlogg/granskning/", log_review_list, name="log-review-list"),
    path("atkomstlogg/granskning/<int:pk>/", log_review_detail, name="log-review-detail"),
    path("atkomstlogg/granskning/<int:pk>/poster/<int:item_pk>/", log_review_verdict, name="log-review-verdict"),
    path("utlamnanden/<int:pk>/aterkalla/", share_revoke, name="share-revoke"),
    path("utlamnanden/<int:pk>/oppna/", share_open, name="share-open"),
    path("val/<slug:kind>/", choices, name="choices"),
    path("lasta-konton/", lockout_list, name="lockout-list"),
    path("lasta-konton/<int:pk>/las-upp/", lockout_lift, name="lockout-lift"),
]
