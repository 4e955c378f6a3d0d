"""volunteering_unconfirmedhours: the entries waiting for confirmation, kept by triggers
on the ledger and the confirmations. The SQL is as this migration ran it."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation IN SHARE MODE",
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
POSTGRES_TRIGGERS = """
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
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursconfirmation;
DROP TRIGGER IF EXISTS xy_unconfirmed_person ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unconfirmed_add();
DROP FUNCTION IF EXISTS xy_unconfirmed_remove();
DROP FUNCTION IF EXISTS xy_unconfirmed_person();
"""
SQLITE_FILL = [
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at) VALUES (NEW.id, NEW.supervisee_id, NEW.recorded_at);
    END""",
    """CREATE TRIGGER xy_unconfirmed_remove AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        DELETE FROM volunteering_unconfirmedhours WHERE entry_id = NEW.entry_id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_unconfirmed_add",
    "DROP TRIGGER IF EXISTS xy_unconfirmed_remove",
    "DROP TRIGGER IF EXISTS xy_unconfirmed_person",
]


def run(schema_editor, postgres, sqlite):
    """Run this database's statements in order (PostgreSQL's scripts hold several)."""
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    """The entries waiting now, then the triggers."""
    run(schema_editor, POSTGRES_FILL + [POSTGRES_TRIGGERS], SQLITE_FILL + SQLITE_TRIGGERS)


def uninstall(apps, schema_editor):
    run(schema_editor, [POSTGRES_DROP], SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0003_month_hours'),
        ('volunteering', '0004_activity_sequence'),
    ]

    operations = [
        migrations.CreateModel(
            name='UnconfirmedHours',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='volunteering.hoursentry')),
                ('recorded_at', models.DateTimeField()),
                ('supervisee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='people.supervisee')),
            ],
            options={
                'indexes': [models.Index(fields=['supervisee', 'recorded_at'], name='volunteerin_supervi_68690e_idx')],
            },
        ),
        # The ledger's triggers, and the entries waiting now.
        migrations.RunPython(install, uninstall),
    ]
