"""Starting defaults for goals 3 and 4. Placeholders, said so in their source text, for the steering group to
replace with its own sourced figures in the admin (every change is in the admin log)."""

from django.db import migrations

SOURCE = (
    "Platshållare satt vid driftsättningen, inte en uppmätt siffra. Styrgruppen ersätter den med en siffra från "
    "Polisens eller Region Örebro läns egna uppföljningar och skriver källan här."
)
HOURS = {"shooting": 300, "explosion": 200, "serious_violence": 120}
COST = {
    ("shooting", "dead"): 15_000_000, ("shooting", "injured"): 2_500_000, ("shooting", "none"): 400_000,
    ("explosion", "dead"): 15_000_000, ("explosion", "injured"): 2_000_000, ("explosion", "none"): 800_000,
    ("serious_violence", "dead"): 12_000_000, ("serious_violence", "injured"): 800_000,
    ("serious_violence", "none"): 150_000,
}  # fmt: skip


def forwards(apps, schema_editor):
    CostDefault = apps.get_model("dashboards", "CostDefault")
    for kind, hours in HOURS.items():
        CostDefault.objects.get_or_create(
            measure="hours", incident_kind=kind, outcome="any", defaults={"amount": hours, "source": SOURCE}
        )
    for (kind, outcome), amount in COST.items():
        CostDefault.objects.get_or_create(
            measure="cost", incident_kind=kind, outcome=outcome, defaults={"amount": amount, "source": SOURCE}
        )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
