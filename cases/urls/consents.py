"""The consent pages, mounted at /samtycken/ (Swedish paths, English names)."""

from django.urls import path

from ..views import consents

urlpatterns = [
    path("person/<int:individual_pk>/", consents.person_consents, name="person-consents"),
    path("person/<int:individual_pk>/ny/", consents.consent_create, name="consent-create"),
    path("<int:pk>/aterkalla/", consents.consent_withdraw, name="consent-withdraw"),
]
