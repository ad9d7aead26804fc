"""docker-compose.yml cannot run here (no Docker engine), so its contract with the settings is checked.

- every variable compose sets for web, worker and beat is one the production settings read
  (gvi_portal.env records every read in env.READ);
- every variable the production settings require (read with no default) is set for each of them,
  and the production settings load with exactly that environment;
- the six services exist, each long-running one with a health check, and the app services wait for
  healthy dependencies and for the migrations;
- the migrations run as the owner of the tables, the app services connect as a role that does not own them.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ("web", "worker", "beat")
# The one-shot service that runs the migrations as the owner of the tables (same settings, other role).
MIGRATE = "migrate"

# Read by Django or by a library rather than through gvi_portal.env, each for a stated reason.
NOT_SETTINGS = {
    "DJANGO_SETTINGS_MODULE": "read by Django itself to find the settings module",
}

# Imports the production settings with a spy on env_str, then reports what was read and what is required.
PROBE = """
import json
from gvi_portal import env
required = set()
real_env_str = env.env_str
def spy(name, default=None):
    if default is None:
        required.add(name)
    return real_env_str(name, default)
env.env_str = spy
import gvi_portal.settings.production
print(json.dumps({"read": sorted(env.READ), "required": sorted(required)}))
"""

_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


def interpolate(value: str) -> str:
    """Compose's ${VAR:-default} and ${VAR:?error}: defaults as written, required ones as a stand-in."""

    def replace(match: re.Match) -> str:
        op = match.group("op") or ""
        if "-" in op:
            return match.group("arg")
        return f"compose-test-{match.group('name').lower()}-" + "x" * 50

    return _VARIABLE.sub(replace, value)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def service_env(compose: dict, name: str) -> dict[str, str]:
    environment = compose["services"][name].get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) for item in environment)
    return {key: interpolate(str(value)) for key, value in environment.items()}


@pytest.fixture(scope="module")
def probe_results(compose) -> dict[str, dict]:
    results = {}
    for name in (*APP_SERVICES, MIGRATE):
        result = subprocess.run(
            [sys.executable, "-c", PROBE],
            cwd=ROOT,
            env={"PATH": os.environ.get("PATH", ""), **service_env(compose, name)},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, f"production settings do not load with {name}'s environment:\n{result.stderr}"
        results[name] = json.loads(result.stdout.strip().splitlines()[-1])
    return results


def test_the_six_services_exist(compose):
    assert set(compose["services"]) == {"migrate", "web", "worker", "beat", "db", "redis"}


@pytest.mark.parametrize("name", ["web", "worker", "beat", "db", "redis"])
def test_every_long_running_service_has_a_health_check(compose, name):
    check = compose["services"][name].get("healthcheck")
    assert check and check.get("test"), f"{name} has no healthcheck"
    assert not check.get("disable")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_wait_for_healthy_dependencies(compose, name):
    depends_on = compose["services"][name]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on must name a condition, not just an order"
    assert {"db", "redis"} <= set(depends_on)
    for dependency, condition in depends_on.items():
        expected = "service_completed_successfully" if dependency == MIGRATE else "service_healthy"
        assert condition["condition"] == expected


def test_commands(compose):
    services = compose["services"]
    assert "gunicorn gvi_portal.wsgi" in services["web"]["command"]
    assert "celery -A gvi_portal worker" in services["worker"]["command"]
    assert "celery -A gvi_portal beat" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_one_environment_and_run_production_settings(compose, name):
    assert service_env(compose, name) == service_env(compose, "web")
    assert service_env(compose, name)["DJANGO_SETTINGS_MODULE"] == "gvi_portal.settings.production"


def test_migrations_run_once_as_the_owner_and_the_app_connects_as_another_role(compose):
    services = compose["services"]
    assert services[MIGRATE]["command"] == "python manage.py migrate --noinput"
    assert "migrate" not in services["web"]["command"]
    assert services["web"]["depends_on"][MIGRATE]["condition"] == "service_completed_successfully"
    owner = service_env(compose, MIGRATE)
    app = service_env(compose, "web")
    assert {key: value for key, value in owner.items() if key != "DATABASE_URL"} == {
        key: value for key, value in app.items() if key != "DATABASE_URL"
    }
    db = services["db"]["environment"]
    assert owner["DATABASE_URL"].startswith(f"postgres://{db['POSTGRES_USER']}:")
    assert app["DATABASE_URL"].startswith(f"postgres://{db['GVI_APP_ROLE']}:")
    assert db["GVI_APP_ROLE"] != db["POSTGRES_USER"]


def test_the_database_creates_the_app_role(compose):
    volumes = compose["services"]["db"]["volumes"]
    assert "./deploy/postgres:/docker-entrypoint-initdb.d:ro" in volumes
    script = ROOT / "deploy/postgres/10-app-role.sh"
    assert os.access(script, os.X_OK), "the postgres image sources a script that is not executable"
    text = script.read_text()
    assert "CREATE ROLE" in text and r"\i /docker-entrypoint-initdb.d/app-role-grants.psql" in text
    assert (ROOT / "deploy/postgres/app-role-grants.psql").exists()


@pytest.mark.parametrize("name", (*APP_SERVICES, MIGRATE))
def test_compose_sets_only_what_the_settings_read(compose, probe_results, name):
    read = set(probe_results[name]["read"])
    unknown = set(service_env(compose, name)) - read - set(NOT_SETTINGS)
    assert not unknown, f"{name} sets variables no setting reads (typo, or a setting that was removed): {unknown}"


@pytest.mark.parametrize("name", (*APP_SERVICES, MIGRATE))
def test_compose_sets_everything_the_settings_require(compose, probe_results, name):
    required = set(probe_results[name]["required"])
    assert "SECRET_KEY" in required  # the probe itself works
    missing = required - set(service_env(compose, name))
    assert not missing, f"{name} does not set required variables: {missing}"


def test_secrets_come_from_the_operator(compose):
    # No secret is written into the file: compose refuses to start until the operator provides them.
    environment = compose["services"]["web"]["environment"]
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert "${POSTGRES_APP_PASSWORD:?" in environment["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in compose["services"][MIGRATE]["environment"]["DATABASE_URL"]
    db = compose["services"]["db"]["environment"]
    assert db["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD:?")
    assert db["GVI_APP_PASSWORD"].startswith("${POSTGRES_APP_PASSWORD:?")
    # The owner's password reaches only the service that migrates.
    for name in APP_SERVICES:
        assert "POSTGRES_PASSWORD:" not in str(compose["services"][name]["environment"])


def test_production_env_is_not_debug(compose):
    assert service_env(compose, "web")["DEBUG"] in {"0", "false", "False"}


def test_every_variable_the_settings_read_is_documented(probe_results):
    readme = (ROOT / "README.md").read_text()
    undocumented = {name for name in probe_results["web"]["read"] if f"| `{name}` |" not in readme}
    assert not undocumented, f"add these to the environment table in README.md: {sorted(undocumented)}"
