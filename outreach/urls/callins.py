"""Call-ins and their invitations, mounted at /call-ins/ (Swedish paths, English names)."""

from django.urls import path

from cases.views import share

from ..views import attendance, callins, invitations

urlpatterns = [
    path("", callins.call_in_list, name="call-in-list"),
    path("ny/", callins.call_in_create, name="call-in-create"),
    path("<int:pk>/", callins.call_in_detail, name="call-in-detail"),
    path("<int:pk>/andra/", callins.call_in_update, name="call-in-update"),
    path("<int:pk>/status/", callins.call_in_status, name="call-in-status"),
    path("<int:pk>/bjud-in/", invitations.invitation_create, name="invitation-create"),
    path("<int:pk>/narvaro/", attendance.attendance, name="call-in-attendance"),
    path("<int:pk>/uppfoljning/", attendance.follow_up, name="call-in-follow-up"),
    path("<int:pk>/dela/", share.share_object, {"kind": "call_in"}, name="call-in-share"),
    path("inbjudningar/<int:pk>/", invitations.invitation_detail, name="invitation-detail"),
    path("inbjudningar/<int:pk>/narvaro/", attendance.mark, name="invitation-mark"),
    path("inbjudningar/<int:pk>/uppfoljning/", invitations.invitation_follow_up, name="invitation-follow-up"),
    path("inbjudningar/<int:pk>/skal/", invitations.invitation_reason, name="invitation-reason"),
    path("inbjudningar/<int:pk>/dela/", share.share_object, {"kind": "invitation"}, name="invitation-share"),
    path(
        "inbjudningar/<int:pk>/skal/dela/",
        share.share_object,
        {"kind": "invitation_reason"},
        name="invitation-reason-share",
    ),
]
