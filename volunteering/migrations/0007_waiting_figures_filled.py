"""The waiting rows made again from the ledger with their entries' figures, and the
triggers that copy them from now on. The SQL is as this migration ran it."""

from django.db import migrations

POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation IN SHARE MODE",
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
POSTGRES_TRIGGERS = """
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
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id) VALUES (NEW.id, NEW.supervisee_id, NEW.recorded_at, NEW.hours, NEW.kind, NEW.service_date, NEW.organisation_id, NEW.unit_id);
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
    run(schema_editor, POSTGRES_FILL + [POSTGRES_TRIGGERS], SQLITE_FILL + SQLITE_TRIGGERS)


def uninstall(apps, schema_editor):
    run(schema_editor, [POSTGRES_DROP], SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("volunteering", "0006_waiting_figures"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
