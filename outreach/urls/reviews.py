"""The weekly incident review, mounted at /genomgangar/."""

from django.urls import path

from cases.views import share

from ..views import reviews

urlpatterns = [
    path("", reviews.review_list, name="review-list"),
    path("ny/", reviews.review_create, name="review-create"),
    path("<int:pk>/", reviews.review_detail, name="review-detail"),
    path("<int:pk>/andra/", reviews.review_update, name="review-update"),
    path("<int:pk>/protokoll/", reviews.review_minutes, name="review-minutes"),
    path("<int:pk>/atgarder/", reviews.action_add, name="review-action-create"),
    path("<int:pk>/dela/", share.share_object, {"kind": "review_meeting"}, name="review-share"),
    path("atgarder/<int:pk>/status/", reviews.action_status, name="review-action-status"),
]
