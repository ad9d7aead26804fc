from django.db import migrations

# Real Örebro districts (DESIGN.md); everything else in the demo data is fictional.
DISTRICTS = [
    "Centrum", "Vivalla", "Varberga", "Oxhagen", "Baronbackarna", "Brickebacken", "Markbacken",
    "Adolfsberg", "Hjärsta", "Lundby", "Mellringe", "Hovsta", "Almby", "Axberg",
]


def seed(apps, schema_editor):
    District = apps.get_model("cases", "District")
    for name in DISTRICTS:
        District.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
