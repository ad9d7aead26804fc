"""The database half of the append-only access log: triggers that refuse to rewrite it, for both databases.

The model layer (agencies.models.audit) refuses every ORM path; these triggers refuse raw SQL too, for every
role. On PostgreSQL the application's role does not own the tables, so it can neither drop the triggers nor
TRUNCATE (README, "The database roles"); the owner, which runs the migrations, could — that is what owning
a table means, and why the application never connects as the owner.

The one sanctioned removal is the retention run's thinning of old log rows (`thin()`): on PostgreSQL a function
owned by the tables' owner (SECURITY DEFINER) that the application role may call; the delete triggers let a row
go only inside it, and it never takes a row younger than `MINIMUM_AGE` by the database's own clock, nor one a
log review points at. On SQLite, which has no roles, `thin()` lifts the delete triggers inside its own
transaction. The lead's log review verdicts are append-only the same way (no thinning path).

`install()` is idempotent. It runs in migration 0003, after every `migrate` (a later migration that alters a
log table makes SQLite rebuild the table, which silently drops its triggers), and after `flush`: the one
operation that empties the log on purpose — an owner's command that wipes the whole database, used by the
test suite between tests — lifts the triggers for its own duration (agencies/management/commands/flush.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

LOG_TABLES = ("agencies_accesslogentry", "agencies_accesslogtarget")
COUNTER_TABLE = "agencies_deniedaccess"
# The lead's verdicts on log review items: never changed or deleted, and never thinned.
VERDICT_TABLE = "agencies_logreviewverdict"
TABLES = (*LOG_TABLES, COUNTER_TABLE, VERDICT_TABLE)
# Tables that may lose rows through thin(), and only through it.
THINNED_TABLES = (*LOG_TABLES, COUNTER_TABLE)
# No log row younger than this is ever thinned, whatever a retention rule says (the database's clock decides).
MINIMUM_AGE = timedelta(days=365)
_THINNING_FLAG = "gvi.access_log_thinning"

# A counter row may only count on: every column but the count and the latest attempt stays as it was.
_FIXED_COLUMNS = (
    "id",
    "window_start",
    "user_id",
    "agency_id",
    "owner_agency_id",
    "model",
    "action",
    "via",
    "first_object_id",
    "first_at",
)


def _changed(op: str) -> str:
    fixed = " OR ".join(f"NEW.{column} {op} OLD.{column}" for column in _FIXED_COLUMNS)
    return f"{fixed} OR NEW.attempts <= OLD.attempts OR NEW.last_at < OLD.last_at"


_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION agencies_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
-- A row may go only inside agencies_thin_access_log(): it runs as the tables' owner and sets the flag for its
-- own transaction. Another role that sets the flag is still not the owner; the owner could drop the trigger
-- anyway, which is why the application never connects as the owner.
CREATE OR REPLACE FUNCTION agencies_access_log_delete_guard() RETURNS trigger AS $$
BEGIN
    IF current_setting('{_THINNING_FLAG}', true) = 'on'
       AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the access log is append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION agencies_denied_access_only_counts() RETURNS trigger AS $$
BEGIN
    IF {_changed("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION 'the access log is append-only (a denied-access counter may only count on)';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""  # noqa: S608 - built from this module's constants only


def _pg_thin_function(schema: str) -> str:
    """Deletes one agency's log rows older than the cutoff, never younger than MINIMUM_AGE by the database's
    clock, never one a log review item points at; returns the counts. SECURITY DEFINER: it runs as its owner
    (the tables' owner), the only role the delete guard lets through, and only with the flag it sets."""
    days = MINIMUM_AGE.days
    return f"""
CREATE OR REPLACE FUNCTION agencies_thin_access_log(p_agency_id bigint, p_before timestamptz)
RETURNS TABLE (n_entries bigint, n_targets bigint, n_counters bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    v_before timestamptz := LEAST(p_before, now() - interval '{days} days');
BEGIN
    PERFORM set_config('{_THINNING_FLAG}', 'on', true);
    DELETE FROM agencies_accesslogtarget t USING agencies_accesslogentry e
     WHERE t.entry_id = e.id AND e.agency_id = p_agency_id AND e.at < v_before
       AND NOT EXISTS (SELECT 1 FROM agencies_logreviewitem i WHERE i.entry_id = e.id);
    GET DIAGNOSTICS n_targets = ROW_COUNT;
    DELETE FROM agencies_accesslogentry e
     WHERE e.agency_id = p_agency_id AND e.at < v_before
       AND NOT EXISTS (SELECT 1 FROM agencies_logreviewitem i WHERE i.entry_id = e.id);
    GET DIAGNOSTICS n_entries = ROW_COUNT;
    DELETE FROM agencies_deniedaccess d WHERE d.agency_id = p_agency_id AND d.last_at < v_before;
    GET DIAGNOSTICS n_counters = ROW_COUNT;
    PERFORM set_config('{_THINNING_FLAG}', '', true);
    RETURN NEXT;
END;
$$;
REVOKE ALL ON FUNCTION agencies_thin_access_log(bigint, timestamptz) FROM PUBLIC;
"""  # noqa: S608 - built from this module's constants and the schema's quoted name


def _pg_statements(existing: set[str], schema: str) -> list[str]:
    statements = [_PG_FUNCTIONS]
    if {*THINNED_TABLES, "agencies_logreviewitem"} <= existing:
        statements.append(_pg_thin_function(schema))
    for table in TABLES:
        if table not in existing:
            continue  # the verdicts come in a later migration than the log (0003 installs, 0007 creates them)
        # UPDATE: refused always (a counter may only count on, below). DELETE: through the guard where thin()
        # may remove rows, refused always for the verdicts.
        refused = "UPDATE OR DELETE" if table == VERDICT_TABLE else "UPDATE" if table in LOG_TABLES else None
        if refused:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
                f"CREATE TRIGGER {table}_append_only BEFORE {refused} ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION agencies_access_log_append_only()",
            ]
        if table in THINNED_TABLES:
            # The counters' delete trigger keeps its old name.
            name = f"{table}_append_only" if table == COUNTER_TABLE else f"{table}_delete_guard"
            statements += [
                f"DROP TRIGGER IF EXISTS {name} ON {table}",
                f"CREATE TRIGGER {name} BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION agencies_access_log_delete_guard()",
            ]
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION agencies_access_log_append_only()",
        ]
    if COUNTER_TABLE in existing:
        statements += [
            f"DROP TRIGGER IF EXISTS {COUNTER_TABLE}_only_counts ON {COUNTER_TABLE}",
            f"CREATE TRIGGER {COUNTER_TABLE}_only_counts BEFORE UPDATE ON {COUNTER_TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION agencies_denied_access_only_counts()",
        ]
    return statements


def _sqlite_statements(existing: set[str]) -> list[str]:
    statements = []
    for table in TABLES:
        if table not in existing:
            continue
        ops = ("UPDATE", "DELETE") if table in (*LOG_TABLES, VERDICT_TABLE) else ("DELETE",)
        for op in ops:
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'the access log is append-only ({op} refused on {table})'); END"
            )
    if COUNTER_TABLE in existing:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {COUNTER_TABLE}_only_counts BEFORE UPDATE ON {COUNTER_TABLE} "
            f"WHEN {_changed('IS NOT')} "
            "BEGIN SELECT RAISE(ABORT, 'the access log is append-only (a denied-access counter may only count on)'); END"
        )
    return statements


def _trigger_names(vendor: str, tables=TABLES) -> list[tuple[str, str]]:
    if vendor == "postgresql":
        names = [(f"{t}_append_only", t) for t in tables] + [(f"{t}_no_truncate", t) for t in tables]
        names += [(f"{t}_delete_guard", t) for t in LOG_TABLES if t in tables]
    else:
        names = [(f"{t}_no_{op}", t) for t in tables if t != COUNTER_TABLE for op in ("update", "delete")]
        names += [(f"{t}_no_delete", t) for t in tables if t == COUNTER_TABLE]
    if COUNTER_TABLE in tables:
        names.append((f"{COUNTER_TABLE}_only_counts", COUNTER_TABLE))
    return names


def _existing_tables(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def install(connection: BaseDatabaseWrapper) -> None:
    existing = _existing_tables(connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
        statements = _pg_statements(existing, connection.ops.quote_name(schema))
    elif connection.vendor == "sqlite":
        statements = _sqlite_statements(existing)
    else:  # pragma: no cover - the portal runs on these two
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):  # pragma: no cover
        return
    existing = _existing_tables(connection)
    with connection.cursor() as cursor:
        for name, table in _trigger_names(connection.vendor):
            if table not in existing:
                continue
            suffix = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")


def ensure_installed(using: str = "default", **kwargs) -> None:
    """post_migrate: put the triggers back where a migration's table rebuild dropped them."""
    from django.db import connections

    connection = connections[using]
    if set(THINNED_TABLES) <= _existing_tables(connection):
        install(connection)


@dataclass(frozen=True)
class Thinned:
    entries: int
    targets: int
    counters: int


def database_now(connection: BaseDatabaseWrapper) -> datetime:
    """The database's clock, which decides MINIMUM_AGE (a process's clock can be wrong, or moved in a test)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT now()")
            return cursor.fetchone()[0]
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        return datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=UTC)


# The same rows as the PostgreSQL function's; %s: agency, before (twice), agency, before.
_SQLITE_THIN = (
    "DELETE FROM agencies_accesslogtarget WHERE entry_id IN (SELECT e.id FROM agencies_accesslogentry e "
    "WHERE e.agency_id = %s AND e.at < %s AND e.id NOT IN (SELECT entry_id FROM agencies_logreviewitem))",
    "DELETE FROM agencies_accesslogentry WHERE agency_id = %s AND at < %s "
    "AND id NOT IN (SELECT entry_id FROM agencies_logreviewitem)",
    "DELETE FROM agencies_deniedaccess WHERE agency_id = %s AND last_at < %s",
)


def thin(connection: BaseDatabaseWrapper, *, agency_id: int, before: datetime) -> Thinned:
    """Remove one agency's log rows older than `before` (and than MINIMUM_AGE), except those a log review
    item points at. Only the retention run calls this (retention.services.access_log)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM agencies_thin_access_log(%s, %s)", [agency_id, before])
            entries, targets, counters = cursor.fetchone()
        return Thinned(entries, targets, counters)
    # SQLite has no roles to tell the retention run from anyone else: the delete triggers are lifted inside this
    # transaction only, and come back with it (SQLite's schema changes are transactional).
    before = min(before, database_now(connection) - MINIMUM_AGE)
    value = connection.ops.adapt_datetimefield_value(before)
    counts = []
    with transaction.atomic(using=connection.alias):
        uninstall(connection)
        with connection.cursor() as cursor:
            for statement in _SQLITE_THIN:
                cursor.execute(statement, [agency_id, value])
                counts.append(cursor.rowcount)
        install(connection)
    targets, entries, counters = counts
    return Thinned(entries, targets, counters)
