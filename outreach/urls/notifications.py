"""Custom notifications (individuella samtal), mounted at /samtal/."""

from django.urls import path

from cases.views import share

from ..views import notifications

urlpatterns = [
    path("", notifications.notification_list, name="notification-list"),
    path("nytt/", notifications.notification_create, name="notification-create"),
    path("<int:pk>/", notifications.notification_detail, name="notification-detail"),
    path("<int:pk>/andra/", notifications.notification_update, name="notification-update"),
    path("<int:pk>/riskbild/", notifications.legal_risk, name="legal-risk"),
    path("<int:pk>/dela/", share.share_object, {"kind": "notification"}, name="notification-share"),
    path("<int:pk>/riskbild/dela/", share.share_object, {"kind": "legal_risk"}, name="legal-risk-share"),
]
