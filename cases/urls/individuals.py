"""The person pages, mounted at /personer/ (Swedish paths, English names)."""

from django.urls import path

from .. import views

urlpatterns = [
    path("", views.individual_list, name="individual-list"),
    path("ny/", views.individual_create, name="individual-create"),
    path("<int:pk>/", views.individual_detail, name="individual-detail"),
    path("<int:pk>/andra/", views.individual_update, name="individual-update"),
    path("<int:pk>/dela/", views.individual_share, name="individual-share"),
]
