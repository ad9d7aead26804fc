"""Plan goals and tasks belong to the agency that wrote them (issue 9).

Existing rows go to the agency of their creator (the user's membership), or, for a creator without one, to
the case's owner (its lead agency).
"""

import django.db.models.deletion
from django.db import migrations, models


def assign_owners(apps, schema_editor):
    Membership = apps.get_model("agencies", "Membership")
    agency_of = dict(Membership.objects.values_list("user_id", "agency_id"))
    for name in ("PlanGoal", "Task"):
        model = apps.get_model("cases", name)
        rows = list(model.objects.select_related("case").only("pk", "created_by_id", "case__owner_agency_id"))
        for row in rows:
            row.owner_agency_id = agency_of.get(row.created_by_id, row.case.owner_agency_id)
        model.objects.bulk_update(rows, ["owner_agency"], batch_size=500)
    if schema_editor.connection.vendor == "postgresql":
        # The rows just written queue deferred foreign-key checks; run them now so the column can become NOT NULL.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0008_access_log_delete_action"),
        ("cases", "0006_alias_trigram_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="plangoal",
            name="owner_agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="ägande myndighet",
            ),
        ),
        migrations.AddField(
            model_name="task",
            name="owner_agency",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="ägande myndighet",
            ),
        ),
        migrations.RunPython(assign_owners, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="plangoal",
            name="owner_agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="ägande myndighet",
            ),
        ),
        migrations.AlterField(
            model_name="task",
            name="owner_agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="agencies.agency",
                verbose_name="ägande myndighet",
            ),
        ),
    ]
