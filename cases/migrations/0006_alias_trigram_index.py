"""A trigram index for the alias search (`alias__icontains`), on PostgreSQL only.

Django writes `alias__icontains` as `UPPER("alias"::text) LIKE UPPER('%…%')`, which no b-tree can serve:
without this index, a person search through the gate scanned every person the branches reach. The GIN
index on the same expression (pg_trgm's `gin_trgm_ops`) answers the LIKE from the index. SQLite, the
embedded default, keeps its plain scan (a small register). pg_trgm is a trusted extension (PostgreSQL 13+),
so the database owner may create it.
"""

from django.db import migrations

INDEX = "cases_individual_alias_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_individual USING gin ((UPPER(alias::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_date_bounds")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
