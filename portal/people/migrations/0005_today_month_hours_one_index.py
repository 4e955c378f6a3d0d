"""people_monthhours keeps one index on the person: the unique (supervisee, month). The
foreign key's own index on the person alone is dropped (see MonthHours.supervisee).

The index is dropped by name rather than by AlterField: on SQLite AlterField remakes the
table, which would drop the roll-up triggers on it (portal/rollups.py, UNIT_HOURS). The
name is Django's for that index on both engines."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "people_monthhours_supervisee_id_a24b06af"


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0004_unit_month_hours"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="monthhours",
                    name="supervisee",
                    field=models.ForeignKey(db_index=False,
                                            on_delete=django.db.models.deletion.CASCADE,
                                            related_name="month_hours",
                                            to="people.supervisee"),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f"DROP INDEX IF EXISTS {INDEX}",
                    f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_monthhours (supervisee_id)",
                ),
            ],
        ),
    ]
