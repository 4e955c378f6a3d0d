"""The waiting rows made again from the ledger with their people's unit, caseworker and
flags, and the triggers that keep them from now on. The SQL is as this migration ran it
(portal/rollups.py checks and rebuilds the table today)."""

from django.db import migrations

POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation, people_supervisee IN SHARE MODE",
    "DELETE FROM volunteering_unconfirmedhours",
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id, person_unit_id, person_caseworker_id, person_is_juvenile, person_is_sealed)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id,
               s.unit_id, s.caseworker_id, s.is_juvenile, s.is_sealed
          FROM volunteering_hoursentry e JOIN people_supervisee s ON s.id = e.supervisee_id
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_unconfirmed_add() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_new)
      ORDER BY id FOR SHARE;
    INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id, person_unit_id, person_caseworker_id, person_is_juvenile, person_is_sealed) SELECT e.id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id, s.unit_id, s.caseworker_id, s.is_juvenile, s.is_sealed FROM xy_new e JOIN people_supervisee s ON s.id = e.supervisee_id;
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

CREATE OR REPLACE FUNCTION xy_unconfirmed_person() RETURNS trigger AS $$
BEGIN
    UPDATE volunteering_unconfirmedhours w SET person_unit_id = n.unit_id, person_caseworker_id = n.caseworker_id, person_is_juvenile = n.is_juvenile, person_is_sealed = n.is_sealed
      FROM xy_old o JOIN xy_new n ON n.id = o.id
     WHERE w.supervisee_id = n.id AND (o.unit_id, o.caseworker_id, o.is_juvenile, o.is_sealed) IS DISTINCT FROM (n.unit_id, n.caseworker_id, n.is_juvenile, n.is_sealed);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unconfirmed_person AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unconfirmed_person();
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
    """INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id, person_unit_id, person_caseworker_id, person_is_juvenile, person_is_sealed)
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date, e.organisation_id, e.unit_id,
               s.unit_id, s.caseworker_id, s.is_juvenile, s.is_sealed
          FROM volunteering_hoursentry e JOIN people_supervisee s ON s.id = e.supervisee_id
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)""",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        INSERT INTO volunteering_unconfirmedhours (entry_id, supervisee_id, recorded_at, hours, kind, service_date, organisation_id, unit_id, person_unit_id, person_caseworker_id, person_is_juvenile, person_is_sealed) SELECT NEW.id, NEW.supervisee_id, NEW.recorded_at, NEW.hours, NEW.kind, NEW.service_date, NEW.organisation_id, NEW.unit_id, s.unit_id, s.caseworker_id, s.is_juvenile, s.is_sealed FROM people_supervisee s WHERE s.id = NEW.supervisee_id;
    END""",
    """CREATE TRIGGER xy_unconfirmed_remove AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        DELETE FROM volunteering_unconfirmedhours WHERE entry_id = NEW.entry_id;
    END""",
    """CREATE TRIGGER xy_unconfirmed_person AFTER UPDATE OF unit_id, caseworker_id, is_juvenile, is_sealed
        ON people_supervisee WHEN OLD.unit_id IS NOT NEW.unit_id OR OLD.caseworker_id IS NOT NEW.caseworker_id OR OLD.is_juvenile IS NOT NEW.is_juvenile OR OLD.is_sealed IS NOT NEW.is_sealed
    BEGIN
        UPDATE volunteering_unconfirmedhours SET person_unit_id = NEW.unit_id, person_caseworker_id = NEW.caseworker_id, person_is_juvenile = NEW.is_juvenile, person_is_sealed = NEW.is_sealed
         WHERE supervisee_id = NEW.id;
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
        ("volunteering", "0008_waiting_person"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
