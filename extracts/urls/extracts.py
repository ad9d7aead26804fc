from django.urls import path

from ..views import extracts as views

urlpatterns = [
    path("", views.extract_list, name="extract-list"),
    path("nytt/", views.extract_order, name="extract-order"),
    path("<int:pk>/", views.extract_detail, name="extract-detail"),
    path("<int:pk>/registerutdrag.<str:fmt>", views.extract_file, name="extract-file"),
]
