"""The incident register pages, mounted at /handelser/ (Swedish paths, English names)."""

from django.urls import path

from ..views import incident_involvements, incidents, share

urlpatterns = [
    path("", incidents.incident_list, name="incident-list"),
    path("ny/", incidents.incident_create, name="incident-create"),
    path("<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path("<int:pk>/andra/", incidents.incident_update, name="incident-update"),
    path("<int:pk>/grupperingar/ny/", incident_involvements.incident_group_add, name="incident-group-add"),
    path("<int:pk>/personer/ny/", incident_involvements.incident_person_add, name="incident-person-add"),
    # The one share dialog (cases.views.share): the incident, and each person's part in it on its own.
    path("<int:pk>/dela/", share.share_object, {"kind": "incident"}, name="incident-share"),
    path("inblandning/<int:pk>/dela/", share.share_object, {"kind": "incident_person"}, name="incident-person-share"),
]
