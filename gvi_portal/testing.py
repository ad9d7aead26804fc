"""Test helpers that are not fixtures: how a test says "this needs a service"."""

import os
import re

import pytest
from django.db import connection


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def need(available: bool, reason: str) -> None:
    """Skip with a stated reason when a service is absent — but under REQUIRE_SERVICES=1 (CI), fail."""
    if available:
        return
    if services_required():
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


def page_text(response) -> str:
    """A page's HTML without what differs between any two responses: the CSRF token (masked afresh for every
    response) and the address the language switch returns to. Two answers that must not be told apart — a
    missing record's 404 and an invisible one's — compare equal through this."""
    text = response.content.decode()
    text = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken&quot;: &quot;|X-CSRFToken": ")[^"&]+', r"\1…", text)
    return re.sub(r'(name="next" type="hidden" value=")[^"]*', r"\1…", text)


def log_write() -> int:
    """Queries one access-log entry with targets costs (agencies.audit.record): the entry and its targets are one
    statement on PostgreSQL (a data-modifying CTE), two on SQLite. An entry without targets is one everywhere."""
    return 1 if connection.vendor == "postgresql" else 2


def run_on_worker(worker, task, *args, timeout: int = 30):
    """Send `task` to the real worker's queue (the `celery_worker` fixture) and return its result, which proves
    the worker ran it; a task that does not finish fails the test with the worker's log."""
    from celery.app.backends import by_url

    from gvi_portal import celery_app

    backend_cls, url = by_url(worker.result_backend, celery_app.loader)
    backend = backend_cls(app=celery_app, url=url)
    sent = task.apply_async(args=list(args), queue=worker.queue)
    result = celery_app.AsyncResult(sent.id, backend=backend)
    try:
        return result.get(timeout=timeout)
    except Exception as exc:
        pytest.fail(f"{task.name} did not complete on the worker: {exc!r}\n{worker.tail()}")
    finally:
        result.forget()
