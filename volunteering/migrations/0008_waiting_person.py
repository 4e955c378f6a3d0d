"""The waiting rows get their people's unit, caseworker and flags (filled, with new
triggers, by 0009). The SQL of 0007's triggers is repeated here as 0007 ran it, for
going back."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

V2_POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation IN SHARE MODE",
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
V2_POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_unconfirmed_add() RETURNS trigger AS $$
BEGIN
    INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id) SELECT id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id FROM xy_new;
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
V2_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursconfirmation;
DROP TRIGGER IF EXISTS xy_unconfirmed_person ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unconfirmed_add();
DROP FUNCTION IF EXISTS xy_unconfirmed_remove();
DROP FUNCTION IF EXISTS xy_unconfirmed_person();
"""
V2_SQLITE_FILL = [
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
V2_SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id) VALUES (NEW.id, NEW.supervisee_id, NEW.recorded_at, NEW.hours, NEW.kind, NEW.service_date, NEW.organisation_id, NEW.unit_id);
    END""",
    """CREATE TRIGGER xy_unconfirmed_remove AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        DELETE FROM volunteering_unconfirmedhours WHERE entry_id = NEW.entry_id;
    END""",
]
V2_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_unconfirmed_add",
    "DROP TRIGGER IF EXISTS xy_unconfirmed_remove",
    "DROP TRIGGER IF EXISTS xy_unconfirmed_person",
]


def run(schema_editor, postgres, sqlite):
    """Run this database's statements in order (PostgreSQL's scripts hold several)."""
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement, params=None)


def drop_v2(apps, schema_editor):
    """The triggers come off first: on SQLite adding the columns remakes the table, which
    a trigger naming it would refuse. They come back, copying the people's unit,
    caseworker and flags too, in 0009 (after this migration's indexes are made: the
    rows it writes would hold them back on PostgreSQL)."""
    run(schema_editor, [V2_POSTGRES_DROP], V2_SQLITE_DROP)


def make_v2(apps, schema_editor):
    run(schema_editor, V2_POSTGRES_FILL + [V2_POSTGRES_TRIGGERS], V2_SQLITE_FILL + V2_SQLITE_TRIGGERS)


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_unit_administrators_group'),
        ('people', '0007_unit_people'),
        ('volunteering', '0007_waiting_figures_filled'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_v2, make_v2),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='person_caseworker',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='person_is_juvenile',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='person_is_sealed',
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name='unconfirmedhours',
            name='person_unit',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisations.unit'),
        ),
        migrations.AddIndex(
            model_name='unconfirmedhours',
            index=models.Index(fields=['person_unit', 'recorded_at'], name='volunteering_waiting_unit'),
        ),
    ]
