"""The waiting rows get their entries' figures (filled, with new triggers, by 0007). The
SQL of 0005's triggers is repeated here as 0005 ran it, for going back."""

import django.db.models.deletion
from django.db import migrations, models

V1_POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation IN SHARE MODE",
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
V1_POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_unconfirmed_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at) SELECT id, supervisee_id, recorded_at FROM xy_new;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unconfirmed AFTER INSERT ON volunteering_hoursentry
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unconfirmed_add();

CREATE OR REPLACE FUNCTION xy_unconfirmed_remove() RETURNS trigger AS $$
BEGIN
    DELETE FROM volunteering_unconfirmedhours w USING xy_new c WHERE w.entry_id = c.entry_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unconfirmed AFTER INSERT ON volunteering_hoursconfirmation
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unconfirmed_remove();
"""
V1_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursconfirmation;
DROP TRIGGER IF EXISTS xy_unconfirmed_person ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unconfirmed_add();
DROP FUNCTION IF EXISTS xy_unconfirmed_remove();
DROP FUNCTION IF EXISTS xy_unconfirmed_person();
"""
V1_SQLITE_FILL = [
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
V1_SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at) VALUES (NEW.id, NEW.supervisee_id, NEW.recorded_at);
    END""",
    """CREATE TRIGGER xy_unconfirmed_remove AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        DELETE FROM volunteering_unconfirmedhours WHERE entry_id = NEW.entry_id;
    END""",
]
V1_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_unconfirmed_add",
    "DROP TRIGGER IF EXISTS xy_unconfirmed_remove",
    "DROP TRIGGER IF EXISTS xy_unconfirmed_person",
]


def run(schema_editor, postgres, sqlite):
    """Run this database's statements in order (PostgreSQL's scripts hold several)."""
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_v1(apps, schema_editor):
    """The waiting list's triggers come off first (were SQLite to remake the table, a
    trigger naming it would refuse); 0007 fills the new columns and makes them anew (in a
    transaction of its own: PostgreSQL makes the new columns' indexes at the end of this
    one, which it refuses after rows have been written)."""
    run(schema_editor, [V1_POSTGRES_DROP], V1_SQLITE_DROP)


def make_v1(apps, schema_editor):
    run(schema_editor, V1_POSTGRES_FILL + [V1_POSTGRES_TRIGGERS], V1_SQLITE_FILL + V1_SQLITE_TRIGGERS)


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_unit_administrators_group'),
        ('volunteering', '0005_unconfirmed_hours'),
    ]

    operations = [
        migrations.RunPython(drop_v1, make_v1),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='hours',
            field=models.DecimalField(decimal_places=2, max_digits=6, null=True),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='kind',
            field=models.CharField(choices=[('public_welfare', 'Public-welfare activity'), ('volunteer_service', 'Volunteer service')], default='', max_length=20),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='organisation',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='service_date',
            field=models.DateField(null=True),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='unit',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisations.unit'),
        ),
    ]
