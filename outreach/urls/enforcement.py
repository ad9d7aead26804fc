"""Enforcement responses after violence and their levers, mounted at /insatser/."""

from django.urls import path

from cases.views import share

from ..views import enforcement

urlpatterns = [
    path("", enforcement.response_list, name="response-list"),
    path("ny/", enforcement.response_create, name="response-create"),
    path("<int:pk>/", enforcement.response_detail, name="response-detail"),
    path("<int:pk>/andra/", enforcement.response_update, name="response-update"),
    path("<int:pk>/atgarder/ny/", enforcement.lever_add, name="lever-create"),
    path("<int:pk>/dela/", share.share_object, {"kind": "enforcement_response"}, name="response-share"),
    path("atgarder/<int:pk>/andra/", enforcement.lever_update, name="lever-update"),
    path("atgarder/<int:pk>/dela/", share.share_object, {"kind": "lever"}, name="lever-share"),
]
