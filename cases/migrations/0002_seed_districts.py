from django.db import migrations

def seed(apps, schema_editor):
    from cases.reference_data import ensure_districts

    ensure_districts(apps.get_model("cases", "District"))


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
