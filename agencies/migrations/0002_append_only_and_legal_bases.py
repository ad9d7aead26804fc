from django.db import migrations

# Refuse UPDATE and DELETE on the access log at the database, so not even raw SQL from the application
# can rewrite it. PostgreSQL only; on SQLite the model layer's refusal is what stands.
TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION agencies_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the access log is append-only (% refused on %)', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER agencies_accesslogentry_append_only BEFORE UPDATE OR DELETE ON agencies_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION agencies_access_log_append_only();
CREATE TRIGGER agencies_accesslogtarget_append_only BEFORE UPDATE OR DELETE ON agencies_accesslogtarget
    FOR EACH ROW EXECUTE FUNCTION agencies_access_log_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS agencies_accesslogentry_append_only ON agencies_accesslogentry;
DROP TRIGGER IF EXISTS agencies_accesslogtarget_append_only ON agencies_accesslogtarget;
DROP FUNCTION IF EXISTS agencies_access_log_append_only();
"""

def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


def seed_legal_bases(apps, schema_editor):
    # Only the codes and names as this migration's model knows them; migration 0006 (and every migrate, see
    # agencies/reference_data.py) writes where each basis applies, with the fields that migration adds.
    LegalBasis = apps.get_model("agencies", "LegalBasis")
    for code, name, requires_consent in [
        ("samtycke", "Samtycke", True),
        ("osl-10-2", "OSL 10 kap. 2 §", False),
        ("osl-10-18a", "OSL 10 kap. 18 a §", False),
        ("osl-10-27", "OSL 10 kap. 27 § (generalklausulen)", False),
        ("osl-10-28", "OSL 10 kap. 28 §", False),
        ("ej-sekretess", "Ej sekretessbelagd uppgift", False),
    ]:
        LegalBasis.objects.get_or_create(code=code, defaults={"name": name, "requires_consent": requires_consent})


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]

    operations = [
        migrations.RunPython(add_triggers, drop_triggers),
        migrations.RunPython(seed_legal_bases, migrations.RunPython.noop),
    ]
