"""`/health/`: is this process able to work? For load balancers, docker-compose and uptime checks.

Open to anyone, so it says nothing but the status of the two dependencies — no case data, no error text
(an exception message could name hosts or users). The details go to the log.

Also a command for container health checks: `python -m gvi_portal.health broker` (beat serves no HTTP)
and `python -m gvi_portal.health web` exit 0 when that part answers.
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
EAGER = "eager"  # no broker configured: tasks run in-process (the embedded default)
DOWN = "unavailable"

# A health check that hangs is worse than one that fails: the caller's own timeout is usually ~5 s.
BROKER_TIMEOUT_SECONDS = 2


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database did not answer.")
        return DOWN
    return OK


def broker_status() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return EAGER
    from gvi_portal.celery import app as celery_app

    try:
        # The URL is passed explicitly (not taken from the app's cached conf) so this checks what the
        # settings say now. For Redis, opening the channel sends a PING: a real round trip.
        with celery_app.connection_for_write(
            url,
            connect_timeout=BROKER_TIMEOUT_SECONDS,
            transport_options={
                "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
                "socket_timeout": BROKER_TIMEOUT_SECONDS,
                "max_retries": 0,
            },
        ) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS)
    except Exception:
        logger.exception("Health check: the Celery broker did not answer.")
        return DOWN
    return OK


@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(status in (OK, EAGER) for status in checks.values())
    return JsonResponse({"status": OK if healthy else DOWN, **checks}, status=200 if healthy else 503)


def web_status(url: str) -> str:
    """GET `url` as real traffic arrives: for an allowed host, through a TLS proxy (else: redirect to HTTPS)."""
    import urllib.error
    import urllib.request

    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*"]
    # ".example.org" allows example.org and its subdomains; the bare name is a valid Host header.
    host = hosts[0].lstrip(".") if hosts else "localhost"
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"Not an HTTP URL: {url!r}")
    # S310: the scheme is checked just above.
    request = urllib.request.Request(url, headers={"Host": host, "X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return OK if response.status == 200 else DOWN
    except (urllib.error.URLError, OSError):
        logger.exception("Health check: %s did not answer 200.", url)
        return DOWN


def main(argv: list[str]) -> int:
    """`python -m gvi_portal.health broker|database|web [URL]`: exit 0 when that part answers.

    For container health checks: beat serves no HTTP, so it checks its broker; web checks itself over HTTP.
    """
    import django

    usage = "usage: python -m gvi_portal.health broker | database | web [URL]"
    if not argv or argv[0] not in ("broker", "database", "web") or len(argv) > (2 if argv[0] == "web" else 1):
        print(usage, file=sys.stderr)
        return 2
    django.setup()
    if argv[0] == "web":
        status = web_status(argv[1] if len(argv) > 1 else "http://127.0.0.1:8000/health/")
    else:
        status = {"broker": broker_status, "database": database_status}[argv[0]]()
    print(f"{argv[0]}: {status}")
    return 0 if status in (OK, EAGER) else 1


if __name__ == "__main__":
    # DJANGO_SETTINGS_MODULE comes from the environment (the container sets it).
    sys.exit(main(sys.argv[1:]))
