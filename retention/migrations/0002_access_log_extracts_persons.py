"""The access log's rule is applied now (it was data only), and three new categories: register extracts' files,
register extract orders, and persons with nothing left about them (retention/defaults.py, docs/retention.md)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from retention.defaults import seed

    Category = apps.get_model("retention", "RetentionCategory")
    Category.objects.filter(code="access-log").update(not_applied_reason="")
    seed(Category, apps.get_model("retention", "RetentionRule"))


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
