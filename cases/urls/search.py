"""The search page, mounted at /sok/ (Swedish paths, English names)."""

from django.urls import path

from ..views import search

urlpatterns = [
    path("", search.search, name="search"),
]
