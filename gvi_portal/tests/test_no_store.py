"""`Cache-Control: no-store` on every response that may carry personal data, and not where none can be."""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "path", ["/", "/personer/", "/grupperingar/", "/handelser/", "/arenden/", "/uppgifter/", "/personer/987654/"]
)
def test_every_page_for_a_signed_in_user(client, police_caseworker, path):
    client.force_login(police_caseworker)
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert no_store(response), path


def test_a_redirect_for_a_signed_in_user_too(client, police_caseworker):
    client.force_login(police_caseworker)
    response = client.get("/logga-in/")
    assert response.status_code == 302 and no_store(response)


@pytest.mark.parametrize("path", ["/api/v1/individuals/", "/api/v1/individuals/987654/", "/api/v1/agencies/"])
def test_every_api_response(police_caseworker, path):
    api = APIClient()
    api.force_login(police_caseworker)
    assert no_store(api.get(path))
    assert no_store(APIClient().get(path))  # the 401 too


def test_token_callers_too(integration_user):
    from agencies.tests.test_issue_token import bearer, issue

    response = bearer(issue(integration_user.username)).get("/api/v1/individuals/")
    assert response.status_code == 200 and no_store(response)


@override_settings(API_DOCS_LOGIN_REQUIRED=False)
def test_the_api_docs_and_schema_are_not_stored_either(client):
    assert no_store(client.get("/api/schema/"))
