"""The group registry pages, mounted at /grupperingar/ (Swedish paths in ASCII, English names)."""

from django.urls import path

from ..views import group_detail, groups, landscape, memberships, relations, review, share

urlpatterns = [
    path("", groups.group_list, name="group-list"),
    path("ny/", groups.group_create, name="group-create"),
    path("karta/", landscape.group_landscape, name="group-landscape"),
    path("omprovning/", review.review_queue, name="membership-review-queue"),
    path("<int:pk>/", group_detail.group_detail, name="group-detail"),
    path("<int:pk>/andra/", groups.group_update, name="group-update"),
    path("<int:pk>/dela/", share.share_object, {"kind": "group"}, name="group-share"),
    path("<int:pk>/relationer/ny/", relations.relation_create, name="relation-create"),
    path("<int:pk>/medlemmar/ny/", memberships.membership_create, name="membership-create"),
    path("relationer/<int:pk>/andra/", relations.relation_update, name="relation-update"),
    path("relationer/<int:pk>/dela/", share.share_object, {"kind": "group_relation"}, name="relation-share"),
    path("medlemskap/<int:pk>/omprova/", review.membership_review, name="membership-review"),
    path("medlemskap/<int:pk>/dela/", share.share_object, {"kind": "membership"}, name="membership-share"),
]
