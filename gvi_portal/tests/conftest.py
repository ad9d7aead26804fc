"""A real Celery worker, in its own process, on the test database and the real broker.

Eager mode (the test settings' default without a broker) runs a task inside the test process; that proves
the task's logic but not that it survives serialisation, routing, a separate process and its own database
connection. `celery_worker` proves those.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from kombu.utils.url import maybe_sanitize_url

from gvi_portal import celery_app
from gvi_portal.health import OK, broker_status
from gvi_portal.testing import need

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30
STOP_TIMEOUT = 20


@dataclass
class Worker:
    queue: str  # the worker consumes only this queue, so no stray task from elsewhere reaches it
    nodename: str
    result_backend: str
    log: Path

    def tail(self, lines: int = 40) -> str:
        return _tail(self.log, lines)


def _test_database_url() -> str:
    """pytest-django's test database (settings_dict already carries the test NAME) as a URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = quote(db["HOST"] or "", safe="")  # a socket directory has slashes
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{host}{port}/{quote(db['NAME'], safe='')}"


def _other_sessions_on_test_database() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@pytest.fixture
def celery_worker(transactional_db) -> Iterator[Worker]:
    """Start `celery worker` on a unique queue; stop it (and see its DB sessions gone) before the flush.

    Needs PostgreSQL, because the worker must see the rows this test commits — pytest-django's SQLite test
    database lives in this process's memory — and a reachable broker. Depends on transactional_db so that
    it is torn down first: the worker has left before the tables are flushed and the database is dropped.
    """
    need(
        connection.vendor == "postgresql",
        "a real Celery worker needs PostgreSQL (DATABASE_URL): the SQLite test database is in this "
        "process's memory, where a worker process cannot see it",
    )
    need(bool(settings.CELERY_BROKER_URL), "a real Celery worker needs a broker: CELERY_BROKER_URL is not set")
    need(
        broker_status() == OK,
        f"the Celery broker at CELERY_BROKER_URL does not answer ({maybe_sanitize_url(settings.CELERY_BROKER_URL)})",
    )
    assert not settings.CELERY_TASK_ALWAYS_EAGER, "with a broker configured, tasks must not run eagerly"

    token = uuid.uuid4().hex[:12]
    worker = Worker(
        queue=f"gvi-test-{token}",
        nodename=f"gvi-test-{token}@localhost",
        # Results let the test wait for a task that changes nothing (the idempotent second run).
        result_backend=str(settings.CELERY_RESULT_BACKEND or settings.CELERY_BROKER_URL),
        log=Path(tempfile.gettempdir()) / f"gvi-celery-worker-{token}.log",
    )
    environ: dict[str, str] = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gvi_portal.settings.test",
        "DATABASE_URL": _test_database_url(),
        # Close the connection after every task, so nothing lingers once the worker stops.
        "DATABASE_CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": str(settings.CELERY_BROKER_URL),
        "CELERY_RESULT_BACKEND": worker.result_backend,
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "gvi_portal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        f"--queues={worker.queue}",
        f"--hostname={worker.nodename}",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    with worker.log.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not celery_app.control.ping(destination=[worker.nodename], timeout=0.5):
            if process.poll() is not None:
                pytest.fail(f"the Celery worker exited with {process.returncode}:\n{_tail(worker.log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not answer a ping in {START_TIMEOUT}s:\n{_tail(worker.log)}")
        yield worker
    finally:
        process.terminate()  # SIGTERM: warm shutdown, the current task finishes
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
        # The server ends a backend a moment after its client goes; wait for that, or the flush and the
        # DROP DATABASE at the end of the session would find the test database "being accessed".
        deadline = time.monotonic() + STOP_TIMEOUT
        while _other_sessions_on_test_database() and time.monotonic() < deadline:
            time.sleep(0.1)
        # Remove the queue and its binding (declared first, so this connection knows the binding to drop).
        with celery_app.connection_for_write() as conn:
            queue = celery_app.amqp.queues[worker.queue].bind(conn.default_channel)
            queue.declare()
            queue.delete()
        worker.log.unlink(missing_ok=True)
