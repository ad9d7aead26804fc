"""Creates answer through a strict WSGI server: `Location` is a plain `str` (issue 8).

`manage.py runserver` is wsgiref, which refuses a header value whose type is not exactly `str`; DRF's
`Hyperlink` (a `str` subclass) made every API create answer 500 there after the record was saved. These
tests run the real Django WSGI handler under `wsgiref.validate.validator`, which asserts the same rule.
"""

import io
import json
from io import StringIO
from wsgiref.util import setup_testing_defaults
from wsgiref.validate import validator

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command

from cases.models import CriminalGroup, Incident, Individual

pytestmark = pytest.mark.django_db(transaction=False)


def _token(user) -> str:
    out = StringIO()
    call_command("issue_token", user.username, "--days", "5", stdout=out)
    return out.getvalue().strip()


def _post_through_wsgi(path: str, body: dict, token: str) -> tuple[str, list[tuple[str, str]], bytes]:
    raw = json.dumps(body).encode()
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            "HTTP_AUTHORIZATION": f"Bearer {token}",
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "HTTP_HOST": "testserver",
        }
    )
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers
        return lambda data: None

    app = validator(WSGIHandler())  # AssertionError on any header value that is not exactly a str
    result = app(environ, start_response)
    try:
        content = b"".join(result)
    finally:
        close = getattr(result, "close", None)  # the validator's iterator demands close() is called
        if close is not None:
            close()
    return seen["status"], seen["headers"], content


@pytest.mark.parametrize(
    ("path", "body", "model"),
    [
        ("/api/v1/individuals/", {"alias": "Wsgi-testet"}, Individual),
        ("/api/v1/groups/", {"name": "Wsgi-gruppen"}, CriminalGroup),
        ("/api/v1/incidents/", {"kind": "shooting", "occurred_at": "2025-03-01T21:00:00+01:00"}, Incident),
    ],
)
def test_a_create_passes_wsgirefs_validator_with_a_plain_str_location(integration_user, path, body, model):
    status, headers, content = _post_through_wsgi(path, body, _token(integration_user))

    assert status.startswith("201"), content
    location = dict(headers)["Location"]
    assert type(location) is str
    created = model.objects.get()
    assert location.endswith(f"{path}{created.pk}/")
    assert json.loads(content)["url"] == location


def test_every_api_create_answers_through_the_one_helper():
    """A view that builds its own `Location` header would bring the 500 back; agencies.api.responses.created."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for app in ("agencies", "cases", "outreach", "dashboards", "gvi_portal")
        for path in (root / app).rglob("*.py")
        if "tests" not in path.parts and '"Location"' in path.read_text() and path.name != "responses.py"
    ]
    assert offenders == []
