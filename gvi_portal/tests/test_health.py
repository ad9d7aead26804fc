import pytest
from django.db.utils import OperationalError

from gvi_portal import health

pytestmark = pytest.mark.django_db

# Port 1 on loopback: nothing listens there, so the connection is refused at once.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def test_healthy_on_the_embedded_default(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "eager"}


def test_needs_no_login_and_is_never_cached(client, settings):
    settings.CELERY_BROKER_URL = None
    response = client.get("/health/")
    assert response.status_code == 200  # not a redirect to the login page
    assert "no-cache" in response["Cache-Control"]


def test_database_down_is_503(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = None

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: BrokenCursor())
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "unavailable", "database": "unavailable", "broker": "eager"}
    assert "refused" not in response.content.decode()  # no error text leaks out


def test_broker_unreachable_is_503(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}
    assert "127.0.0.1" not in response.content.decode()


def test_only_get_and_head(client):
    assert client.post("/health/").status_code == 405


def test_command_line_check_for_containers(settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER
    assert health.main(["broker"]) == 1
    settings.CELERY_BROKER_URL = None
    assert health.main(["broker"]) == 0
    assert health.main(["database"]) == 0
    assert health.main(["nonsense"]) == 2
