"""The access log cannot be rewritten: every way round the model layer fails, on SQLite and PostgreSQL alike.

The model layer refuses the ORM paths; where a path goes below it (raw SQL, an upsert built by hand, a plain
QuerySet on the table), the database's triggers refuse. The role half (TRUNCATE and dropping a trigger as
the application's role) is in test_database_roles.py.
"""

from typing import TypeVar

import pytest
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from agencies import audit
from agencies.models import AccessLogEntry, AccessLogTarget, Action, AppendOnlyError, DeniedAccess
from cases.models import Individual
from cases.tests.factories import IndividualFactory
from gvi_portal.testing import need

pytestmark = pytest.mark.django_db

M = TypeVar("M", bound=models.Model)


@pytest.fixture
def entry(police, police_caseworker):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    return audit.record(user=police_caseworker, agency_id=police.pk, action=Action.VIEW, model=Individual, objects=[p])


def unchanged(entry) -> bool:
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    return (stored.action, stored.user_id, stored.object_ids) == (entry.action, entry.user_id, entry.object_ids)


def below_the_guard(model: type[M]) -> models.QuerySet[M]:
    """A plain QuerySet on the table, without the append-only manager: what raw SQL would do, through the ORM."""
    return models.QuerySet(model)


def settle_deferred_checks():
    # PostgreSQL refuses TRUNCATE while this test's transaction still has deferred foreign-key checks pending;
    # running them now lets the statement reach the triggers.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def refused_by_the_database(sql: str, params=()):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_new_instance_with_an_existing_primary_key_does_not_overwrite(entry, police, kommun_caseworker):
    forged = AccessLogEntry(
        pk=entry.pk, user=kommun_caseworker, agency=police, action=Action.CHANGE, model="x.y", via="ui"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        forged.save()
    target = entry.targets.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLogTarget(pk=target.pk, entry=entry, model="x.y", object_id=1).save()
    assert unchanged(entry)
    assert AccessLogTarget.objects.get(pk=target.pk).model == "cases.individual"


def test_save_of_a_loaded_row_is_refused_however_asked(entry):
    entry.action = Action.CHANGE
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.save(update_fields=["action"])
    with pytest.raises(AppendOnlyError):
        entry.save_base(force_update=True)
    fresh = AccessLogEntry(pk=entry.pk, agency_id=entry.agency_id, action=Action.CHANGE, model="x", via="ui")
    with pytest.raises(AppendOnlyError):
        fresh.save(force_update=True)
    assert unchanged(AccessLogEntry.objects.get(pk=entry.pk))


def test_bulk_create_cannot_upsert(entry, police):
    forged = AccessLogEntry(pk=entry.pk, agency=police, action=Action.CHANGE, model="x.y", via="ui")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.bulk_create(
            [forged], update_conflicts=True, unique_fields=["id"], update_fields=["action", "model"]
        )
    # Below the model layer, a plain QuerySet's upsert meets the trigger (ON CONFLICT DO UPDATE is an UPDATE).
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        below_the_guard(AccessLogEntry).bulk_create(
            [forged], update_conflicts=True, unique_fields=["id"], update_fields=["action", "model"]
        )
    assert unchanged(entry)


@pytest.mark.parametrize(
    "manager",
    [
        lambda: AccessLogEntry.objects,
        lambda: AccessLogEntry._base_manager,
        lambda: AccessLogEntry._default_manager,
        lambda: AccessLogEntry._meta.base_manager,
    ],
    ids=["objects", "_base_manager", "_default_manager", "_meta.base_manager"],
)
def test_no_manager_updates_or_deletes(entry, manager):
    qs = manager().filter(pk=entry.pk)
    for attempt in (
        lambda: qs.update(action=Action.CHANGE),
        lambda: qs.delete(),
        lambda: qs._raw_delete(qs.db),
        lambda: qs.update_or_create(pk=entry.pk, defaults={"action": Action.CHANGE}),
        lambda: manager().bulk_update([entry], ["action"]),
    ):
        with pytest.raises(AppendOnlyError):
            attempt()
    assert AccessLogEntry._meta.base_manager_name == "objects"
    assert unchanged(entry)


def test_related_managers_are_append_only_too(entry):
    with pytest.raises(AppendOnlyError):
        entry.targets.all().delete()
    with pytest.raises(AppendOnlyError):
        entry.targets.update(model="x.y")
    assert entry.targets.count() == 1


def test_a_plain_queryset_below_the_model_layer_meets_the_triggers(entry):
    plain = below_the_guard(AccessLogEntry).filter(pk=entry.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        plain.update(action=Action.CHANGE)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        below_the_guard(AccessLogTarget).filter(entry=entry)._raw_delete(connection.alias)
    assert unchanged(entry)


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE agencies_accesslogentry SET action = 'change'",
        "DELETE FROM agencies_accesslogentry",
        "UPDATE agencies_accesslogtarget SET object_id = 1",
        "DELETE FROM agencies_accesslogtarget",
    ],
)
def test_raw_sql_cannot_update_or_delete(entry, sql):
    refused_by_the_database(sql)
    assert unchanged(entry)


@pytest.mark.parametrize("table", ["agencies_accesslogentry", "agencies_accesslogtarget", "agencies_deniedaccess"])
def test_truncate_is_refused_on_postgresql(entry, table):
    # Through the one helper, so REQUIRE_SERVICES=1 (CI, on PostgreSQL) turns a skip into a failure.
    need(connection.vendor == "postgresql", "SQLite has no TRUNCATE (DELETE, refused above, is what it has)")
    settle_deferred_checks()
    refused_by_the_database(f"TRUNCATE {table} CASCADE")
    assert unchanged(entry)


# --- the denied-access counters: may only count on -----------------------------------------------------


@pytest.fixture
def counter(police, police_caseworker, kommun):
    p = IndividualFactory(owner_agency=police, created_by=police_caseworker)
    from agencies.tests.factories import UserFactory

    prober = UserFactory(agency=kommun)
    audit.record_denied(user=prober, agency_id=kommun.pk, model=Individual, object_id=p.pk, action="view")
    return DeniedAccess.objects.get()


def test_a_counter_counts_on(counter):
    audit.record_denied(
        user=counter.user,
        agency_id=counter.agency_id,
        model=Individual,
        object_id=counter.first_object_id,
        action="view",
    )
    row = DeniedAccess.objects.get()
    assert (row.attempts, row.first_at) == (2, counter.first_at)
    assert row.last_at >= counter.last_at


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE agencies_deniedaccess SET attempts = 0",
        "UPDATE agencies_deniedaccess SET attempts = attempts",
        "UPDATE agencies_deniedaccess SET attempts = attempts + 1, model = 'cases.group'",
        "UPDATE agencies_deniedaccess SET attempts = attempts + 1, owner_agency_id = NULL",
        "UPDATE agencies_deniedaccess SET attempts = attempts + 1, first_object_id = 0",
        "DELETE FROM agencies_deniedaccess",
    ],
)
def test_a_counter_cannot_be_lowered_moved_or_deleted(counter, sql):
    refused_by_the_database(sql)
    assert DeniedAccess.objects.get().attempts == 1


def test_counters_are_append_only_through_the_orm(counter):
    with pytest.raises(AppendOnlyError):
        DeniedAccess.objects.update(attempts=0)
    with pytest.raises(AppendOnlyError):
        DeniedAccess._base_manager.all().delete()
    with pytest.raises(AppendOnlyError):
        counter.save()


def test_flush_empties_the_log_and_puts_the_triggers_back(entry):
    from django.core.management import call_command

    from agencies import append_only

    settle_deferred_checks()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not AccessLogEntry.objects.exists()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert {name for name, _table in append_only._trigger_names(connection.vendor)} <= names
