"""The settings contract: secrets have no default, values are parsed strictly, the locale is Swedish.

Settings modules are imported in a fresh interpreter with a controlled environment, since this process
already has its settings (and CI sets variables that would change the answer).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gvi_portal import env

ROOT = Path(__file__).resolve().parents[2]


def import_settings(module: str, environ: dict[str, str], expr: str = "None") -> subprocess.CompletedProcess:
    """Import `module` in a clean interpreter with only `environ` (plus PATH) and print `expr` as JSON."""
    code = f"import importlib, json; s = importlib.import_module({module!r}); print(json.dumps({expr}))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_outside_dev():
    result = import_settings("gvi_portal.settings.production", {})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_load_with_a_secret_key():
    result = import_settings("gvi_portal.settings.production", {"SECRET_KEY": "x" * 60}, "s.DEBUG")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) is False


def test_only_dev_settings_supply_a_secret_key():
    result = import_settings("gvi_portal.settings.dev", {}, "bool(s.SECRET_KEY)")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["maybe", "2", "enabled", "tru"])
def test_bool_parsing_is_strict(monkeypatch, value):
    monkeypatch.setenv("GVI_TEST_FLAG", value)
    with pytest.raises(ImproperlyConfigured, match="GVI_TEST_FLAG"):
        env.env_bool("GVI_TEST_FLAG", False)


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("Yes", True), ("0", False), ("off", False)]
)
def test_bool_parsing_accepts_the_usual_spellings(monkeypatch, value, expected):
    monkeypatch.setenv("GVI_TEST_FLAG", value)
    assert env.env_bool("GVI_TEST_FLAG", not expected) is expected


def test_a_malformed_debug_stops_start_up():
    result = import_settings("gvi_portal.settings.production", {"SECRET_KEY": "x" * 60, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_int_parsing_is_strict(monkeypatch):
    monkeypatch.setenv("GVI_TEST_NUMBER", "thirty")
    with pytest.raises(ImproperlyConfigured, match="GVI_TEST_NUMBER"):
        env.env_int("GVI_TEST_NUMBER", 30)


def test_swedish_time_and_language_with_english_available():
    assert settings.TIME_ZONE == "Europe/Stockholm"
    assert settings.USE_TZ is True
    assert settings.LANGUAGE_CODE == "sv"
    assert [code for code, _name in settings.LANGUAGES] == ["sv", "en"]


def test_celery_runs_eagerly_without_a_broker():
    expr = "[s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER]"
    eager = import_settings("gvi_portal.settings.test", {}, expr)
    assert eager.returncode == 0, eager.stderr
    assert json.loads(eager.stdout) == [None, True]

    queued = import_settings("gvi_portal.settings.test", {"CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}, expr)
    assert queued.returncode == 0, queued.stderr
    assert json.loads(queued.stdout) == ["redis://127.0.0.1:6379/0", False]


def test_every_variable_is_read_through_the_env_module():
    # The compose test relies on env.READ being complete; the settings must never call os.environ directly
    # (dev.py only sets defaults, which env.py then reads).
    for path in (ROOT / "gvi_portal" / "settings").glob("*.py"):
        source = path.read_text()
        assert "os.environ.get" not in source and "os.getenv" not in source, path.name


def test_development_logs_every_line_once():
    """In DEBUG, Django's own console handler beside the root's printed each django.* line twice."""
    code = (
        "import logging, django; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /saknas/'); "
        "logging.getLogger('django.server').info('\"GET /saknas/ HTTP/1.1\" 404 179'); "
        "logging.getLogger('cases.tasks').info('expired 0 memberships')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": "gvi_portal.settings.dev"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /saknas/") == 1
    assert lines.count("expired 0 memberships") == 1
    # runserver's request line keeps its timestamp, once.
    assert len([line for line in lines if line.endswith('"GET /saknas/ HTTP/1.1" 404 179')]) == 1
    assert lines[1].startswith("[")
