"""The retention pages, mounted at /gallring/: the dry run and the holds (docs/retention.md)."""

from django.urls import path

from ..views.dry_run import dry_run_page
from ..views.holds import hold_create, hold_list

urlpatterns = [
    path("", dry_run_page, name="retention-dry-run"),
    path("undantag/", hold_list, name="retention-holds"),
    path("undantag/nytt/", hold_create, name="retention-hold-create"),
]
