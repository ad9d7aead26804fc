"""The database half of the append-only access log: triggers that refuse to rewrite it, for both databases.

The model layer (agencies.models.audit) refuses every ORM path; these triggers refuse raw SQL too, for every
role. On PostgreSQL the application's role does not own the tables, so it can neither drop the triggers nor
TRUNCATE (README, "The database roles"); the owner, which runs the migrations, could — that is what owning
a table means, and why the application never connects as the owner.

`install()` is idempotent. It runs in migration 0003, after every `migrate` (a later migration that alters a
log table makes SQLite rebuild the table, which silently drops its triggers), and after `flush`: the one
operation that empties the log on purpose — an owner's command that wipes the whole database, used by the
test suite between tests — lifts the triggers for its own duration (agencies/management/commands/flush.py).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

LOG_TABLES = ("agencies_accesslogentry", "agencies_accesslogtarget")
COUNTER_TABLE = "agencies_deniedaccess"
TABLES = (*LOG_TABLES, COUNTER_TABLE)

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
CREATE OR REPLACE FUNCTION agencies_denied_access_only_counts() RETURNS trigger AS $$
BEGIN
    IF {_changed("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION 'the access log is append-only (a denied-access counter may only count on)';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def _pg_statements() -> list[str]:
    statements = [_PG_FUNCTIONS]
    for table in TABLES:
        row_ops = "UPDATE OR DELETE" if table in LOG_TABLES else "DELETE"
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
            f"CREATE TRIGGER {table}_append_only BEFORE {row_ops} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION agencies_access_log_append_only()",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION agencies_access_log_append_only()",
        ]
    statements += [
        f"DROP TRIGGER IF EXISTS {COUNTER_TABLE}_only_counts ON {COUNTER_TABLE}",
        f"CREATE TRIGGER {COUNTER_TABLE}_only_counts BEFORE UPDATE ON {COUNTER_TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION agencies_denied_access_only_counts()",
    ]
    return statements


def _sqlite_statements() -> list[str]:
    statements = []
    for table in TABLES:
        ops = ("UPDATE", "DELETE") if table in LOG_TABLES else ("DELETE",)
        for op in ops:
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'the access log is append-only ({op} refused on {table})'); END"
            )
    statements.append(
        f"CREATE TRIGGER IF NOT EXISTS {COUNTER_TABLE}_only_counts BEFORE UPDATE ON {COUNTER_TABLE} "
        f"WHEN {_changed('IS NOT')} "
        "BEGIN SELECT RAISE(ABORT, 'the access log is append-only (a denied-access counter may only count on)'); END"
    )
    return statements


def _trigger_names(vendor: str) -> list[tuple[str, str]]:
    if vendor == "postgresql":
        names = [(f"{t}_append_only", t) for t in TABLES] + [(f"{t}_no_truncate", t) for t in TABLES]
    else:
        names = [(f"{t}_no_{op}", t) for t in LOG_TABLES for op in ("update", "delete")]
        names.append((f"{COUNTER_TABLE}_no_delete", COUNTER_TABLE))
    return [*names, (f"{COUNTER_TABLE}_only_counts", COUNTER_TABLE)]


def _tables_exist(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    return set(TABLES) <= existing


def install(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor == "postgresql":
        statements = _pg_statements()
    elif connection.vendor == "sqlite":
        statements = _sqlite_statements()
    else:  # pragma: no cover - the portal runs on these two
        return
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):  # pragma: no cover
        return
    with connection.cursor() as cursor:
        for name, table in _trigger_names(connection.vendor):
            suffix = f" ON {table}" if connection.vendor == "postgresql" else ""
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")


def ensure_installed(using: str = "default", **kwargs) -> None:
    """post_migrate: put the triggers back where a migration's table rebuild dropped them."""
    from django.db import connections

    connection = connections[using]
    if _tables_exist(connection):
        install(connection)
