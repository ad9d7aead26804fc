"""The portal's own 403, 404 and 500 pages, in its layout, as Django's handlers render them with DEBUG off. The
404 is the same page for a record that does not exist and for one the reader may not see."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import page_not_found, permission_denied, server_error

from cases.tests.factories import IndividualFactory


def body(response) -> str:
    # The CSRF token is masked afresh for every response, and the language switch returns to the address asked
    # for; everything else must be identical.
    text = response.content.decode()
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken&quot;: &quot;|X-CSRFToken": ")[^"&]+', r"\1…", text)
    return re.sub(r'(name="next" type="hidden" value=")[^"]*', r"\1…", text)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_404_is_the_same_for_missing_and_invisible(client, kommun, police_caseworker, kommun_caseworker):
    theirs = IndividualFactory(owner_agency=kommun, created_by=kommun_caseworker)
    client.force_login(police_caseworker)
    invisible = client.get(reverse("individual-detail", kwargs={"pk": theirs.pk}))
    missing = client.get(reverse("individual-detail", kwargs={"pk": theirs.pk + 1000}))
    assert invisible.status_code == missing.status_code == 404
    text = body(invisible)
    assert text == body(missing)
    assert "<h1>Sidan hittades inte</h1>" in text and "Till startsidan" in text
    # In the portal's layout, with the signed-in user's navigation; not Django's bare page.
    assert 'aria-label="Huvudmeny"' in text and "portal.css" in text and "Not Found" not in text
    assert theirs.alias not in text


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_404_for_an_unknown_address_signed_out(client):
    response = client.get("/finns-inte/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "<h1>Sidan hittades inte</h1>" in text and "portal.css" in text and "Huvudmeny" not in text


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_403_page_in_the_layout(police_caseworker):
    request = RequestFactory().get("/atkomstlogg/")
    request.user = police_caseworker
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    text = response.content.decode()
    assert "Du har inte behörighet till det här" in text and "Din roll ger inte tillgång" in text
    assert 'aria-label="Huvudmeny"' in text


@override_settings(DEBUG=False)
def test_500_page_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "<h1>Något gick fel</h1>" in text and "portal.css" in text and "Felet är loggat" in text
    assert "Huvudmeny" not in text  # no user, no navigation: nothing that could fail a second time


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_the_handler_views_use_the_templates(rf):
    request = rf.get("/x/")
    request.user = AnonymousUser()
    assert "Sidan hittades inte" in page_not_found(request, Exception()).content.decode()
