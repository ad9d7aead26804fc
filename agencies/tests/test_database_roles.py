"""On PostgreSQL the portal connects as a role that does not own the tables: it cannot rewrite the log, nor the
lead's log review verdicts. Its one way to remove log rows is the owner's thinning function, which the retention
run calls: only rows older than a year, never by setting the delete guard's flag itself.

The test makes such a role, gives it exactly the grants the deployment gives the application
(deploy/postgres/app-role-grants.psql), connects as it, and tries every way to rewrite or empty the log,
including those only an owner could take (dropping or disabling a trigger). Then it checks the role can
still do its work: insert log rows and count a refused attempt.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from agencies import audit
from agencies.models import AccessLogEntry, Action
from cases.models import Individual
from cases.tests.factories import IndividualFactory
from gvi_portal.testing import need

GRANTS = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "app-role-grants.psql"


def quote(identifier: str) -> str:
    return connection.ops.quote_name(identifier)


@pytest.fixture
def app_role(transactional_db):
    need(connection.vendor == "postgresql", "database roles exist on PostgreSQL only (DATABASE_URL)")
    import psycopg2

    name = f"gvi_app_test_{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    owner = connection.settings_dict["USER"] or "postgres"
    grants = GRANTS.read_text().replace(':"app_role"', quote(name)).replace(':"owner_role"', quote(owner))
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {quote(name)} LOGIN PASSWORD %s", [password])
        cursor.execute(grants)
    settings = connection.settings_dict
    app = psycopg2.connect(
        dbname=settings["NAME"],
        user=name,
        password=password,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    )
    app.autocommit = True
    try:
        yield app
    finally:
        app.close()
        with connection.cursor() as cursor:
            # The role's grants and default privileges live in this (test) database; then the role can go.
            cursor.execute(f"DROP OWNED BY {quote(name)}")
            cursor.execute(f"DROP ROLE {quote(name)}")


@pytest.fixture
def entry(police, police_caseworker):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    return audit.record(user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=Individual, objects=[p])


def refused(app, sql: str, match: str) -> None:
    import psycopg2

    with app.cursor() as cursor, pytest.raises(psycopg2.Error, match=match):
        cursor.execute(sql)


@pytest.mark.parametrize("table", ["agencies_accesslogentry", "agencies_accesslogtarget", "agencies_deniedaccess"])
def test_the_app_role_cannot_truncate(app_role, entry, table):
    refused(app_role, f"TRUNCATE {table} CASCADE", "permission denied|append-only")
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


def test_the_app_role_cannot_update_or_delete(app_role, entry):
    refused(app_role, "UPDATE agencies_accesslogentry SET action = 'change'", "append-only")
    refused(app_role, "DELETE FROM agencies_accesslogentry", "append-only")
    refused(app_role, "DELETE FROM agencies_accesslogtarget", "append-only")
    assert AccessLogEntry.objects.get(pk=entry.pk).action == Action.VIEW


@pytest.mark.parametrize(
    "sql",
    [
        "DROP TRIGGER agencies_accesslogentry_append_only ON agencies_accesslogentry",
        "ALTER TABLE agencies_accesslogentry DISABLE TRIGGER ALL",
        "ALTER TABLE agencies_accesslogentry DISABLE TRIGGER agencies_accesslogentry_append_only",
        "DROP FUNCTION agencies_access_log_append_only() CASCADE",
        "DROP TABLE agencies_accesslogtarget",
        "ALTER TABLE agencies_accesslogentry OWNER TO CURRENT_USER",
        "CREATE TABLE gvi_app_test_scratch (id int)",
    ],
)
def test_the_app_role_cannot_touch_the_schema(app_role, entry, sql):
    refused(app_role, sql, "must be (the )?owner|permission denied")


def test_the_app_role_can_do_its_work(app_role, entry, police):
    with app_role.cursor() as cursor:
        cursor.execute(
            "INSERT INTO agencies_accesslogentry (at, agency_id, action, model, object_ids, via, request_id, detail) "
            "VALUES (now(), %s, 'view', 'cases.individual', '[]', 'ui', gen_random_uuid(), '{}') RETURNING id",
            [police.pk],
        )
        inserted = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM agencies_accesslogentry")
        assert cursor.fetchone()[0] == 2
        # The one update the log allows: a counter counts on.
        cursor.execute(
            "INSERT INTO agencies_deniedaccess (window_start, user_id, agency_id, model, action, via, attempts, "
            "first_object_id, last_object_id, first_at, last_at) "
            "VALUES (now(), %s, %s, 'cases.individual', 'view', 'ui', 1, 7, 7, now(), now()) RETURNING id",
            [entry.user_id, police.pk],
        )
        counter = cursor.fetchone()[0]
        cursor.execute(
            "UPDATE agencies_deniedaccess SET attempts = attempts + 1, last_at = now() WHERE id = %s", [counter]
        )
    assert AccessLogEntry.objects.filter(pk=inserted).exists()


@pytest.fixture
def verdict(entry, police, police_lead):
    from agencies.models import LogReview, LogReviewItem, LogReviewVerdict

    review = LogReview.objects.create(agency=police, month=entry.at.date().replace(day=1))
    item = LogReviewItem.objects.create(review=review, entry=entry, rules=["sample"])
    return LogReviewVerdict.objects.create(item=item, verdict="confirmed", decided_by=police_lead)


def test_the_app_role_cannot_rewrite_a_log_review_verdict(app_role, verdict):
    from agencies.models import LogReviewVerdict

    refused(app_role, "UPDATE agencies_logreviewverdict SET verdict = 'flagged'", "append-only")
    refused(app_role, "DELETE FROM agencies_logreviewverdict", "append-only")
    refused(app_role, "TRUNCATE agencies_logreviewverdict CASCADE", "permission denied|append-only")
    refused(app_role, "ALTER TABLE agencies_logreviewverdict DISABLE TRIGGER ALL", "must be (the )?owner")
    assert LogReviewVerdict.objects.get(pk=verdict.pk).verdict == "confirmed"


@pytest.fixture
def old_entry(police, police_caseworker):
    import time_machine
    from django.utils import timezone

    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    with time_machine.travel(timezone.now() - timedelta(days=3 * 365), tick=False):
        return audit.record(
            user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=Individual, objects=[p]
        )


def test_the_app_role_cannot_lift_the_delete_guard_by_setting_its_flag(app_role, entry, old_entry):
    with app_role.cursor() as cursor:
        cursor.execute("SELECT set_config('gvi.access_log_thinning', 'on', false)")
    refused(app_role, "DELETE FROM agencies_accesslogtarget", "append-only")
    refused(app_role, "DELETE FROM agencies_accesslogentry", "append-only")
    assert AccessLogEntry.objects.filter(pk__in=[entry.pk, old_entry.pk]).count() == 2


def test_the_app_role_thins_only_rows_older_than_a_year_through_the_owners_function(app_role, entry, old_entry, police):
    with app_role.cursor() as cursor:
        # Asked for everything up to tomorrow: the function's own floor keeps today's row.
        cursor.execute("SELECT * FROM agencies_thin_access_log(%s, now() + interval '1 day')", [police.pk])
        assert cursor.fetchone() == (1, 1, 0)
    assert not AccessLogEntry.objects.filter(pk=old_entry.pk).exists()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()
    # The flag the function set was its own transaction's: the guard refuses the role again at once.
    refused(app_role, "DELETE FROM agencies_accesslogentry", "append-only")


def test_the_thinning_function_is_not_granted_to_everyone(app_role, police):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_function_privilege('public', 'agencies_thin_access_log(bigint, timestamptz)', 'EXECUTE')"
        )
        assert cursor.fetchone()[0] is False
