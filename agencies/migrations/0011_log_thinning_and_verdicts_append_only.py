"""The lead's log review verdicts become append-only in the database too, and the retention run gets its one
narrow way to thin old access-log rows (agencies/append_only.py: delete guard triggers, and on PostgreSQL the
owner's function agencies_thin_access_log)."""

from django.db import migrations


def install(apps, schema_editor):
    from agencies import append_only

    append_only.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0010_share_bundle"),
    ]

    operations = [
        # No way back: the triggers are installed from agencies/append_only.py after every migrate anyway.
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
