"""The OpenAPI schema and the Swagger UI: complete, warning-free, and working without the internet."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_schema_validates_without_warnings():
    # The same check CI's `manage.py check --deploy` relies on: a schema warning fails the build.
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/v1/individuals/",
        "/api/v1/individuals/{id}/",
        "/api/v1/individuals/{id}/identity/",
        "/api/v1/shares/",
        "/api/v1/shares/{id}/",
        "/api/v1/shares/{id}/revoke/",
        "/api/v1/agencies/",
        "/api/v1/legal-bases/",
    ):
        assert f"  {path}:" in schema
    assert "'409':" in schema and "current_version" in schema
    assert "bearerToken" in schema


def test_schema_is_served():
    response = APIClient().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/individuals/{id}/identity/" in response.json()["paths"]


def test_docs_render_from_local_assets_only():
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        parts = urlsplit(asset)
        # Relative to the site, or absolute on the site itself (the test server) — never a CDN.
        assert parts.netloc in ("", "testserver"), asset
        if parts.path.startswith("/static/"):
            assert finders.find(parts.path.removeprefix("/static/")), f"{asset} is not shipped with the site"
    # Nor does the inline initialiser fetch anything from elsewhere.
    assert not re.search(r"https?://(?!testserver)", html.split("<body", 1)[1])


# --- behind login in production ------------------------------------------------------------------------------


@pytest.mark.parametrize("required", [True, False])
def test_docs_and_schema_follow_the_setting(settings, police_caseworker, required):
    settings.API_DOCS_LOGIN_REQUIRED = required
    schema = APIClient().get("/api/schema/")
    docs = APIClient().get("/api/docs/")
    if required:
        assert schema.status_code == 401
        assert docs.status_code == 302 and docs["Location"].startswith("/logga-in/?next=/api/docs/")
        signed_in = APIClient()
        signed_in.force_login(police_caseworker)
        assert signed_in.get("/api/schema/").status_code == 200
        assert signed_in.get("/api/docs/").status_code == 200
    else:
        assert schema.status_code == docs.status_code == 200


def test_production_settings_put_the_docs_behind_login():
    import subprocess
    import sys
    from pathlib import Path

    code = "import gvi_portal.settings.production as s; print(s.API_DOCS_LOGIN_REQUIRED)"
    env = {"SECRET_KEY": "x" * 60, "PATH": ""}
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "True", out.stderr
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={**env, "API_DOCS_LOGIN_REQUIRED": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "False", out.stderr
    dev = subprocess.run(
        [sys.executable, "-c", code.replace("production", "dev")],
        cwd=root,
        env={"PATH": ""},
        capture_output=True,
        text=True,
    )
    assert dev.stdout.strip() == "False", dev.stderr


def test_a_token_caller_reads_the_schema_in_production(settings, integration_user):
    from agencies.tests.test_issue_token import bearer, issue

    settings.API_DOCS_LOGIN_REQUIRED = True
    assert bearer(issue(integration_user.username)).get("/api/schema/").status_code == 200
