"""people_unitmonthhours: people_monthhours summed by unit, caseworker and flags, kept by
triggers on the months and on the people. The SQL is as this migration ran it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation, people_monthhours, people_supervisee IN SHARE MODE",
    "DELETE FROM people_unitmonthhours",
    "INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer) FROM people_monthhours m JOIN people_supervisee s ON s.id = m.supervisee_id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month",
]
POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_unit_hours_added() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_new)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, m.study, m.public_welfare, m.volunteer FROM xy_new m JOIN people_supervisee s ON s.id = m.supervisee_id) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON people_monthhours
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_added();

CREATE OR REPLACE FUNCTION xy_unit_hours_changed() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_new)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, m.study - o.study, m.public_welfare - o.public_welfare, m.volunteer - o.volunteer FROM xy_new m JOIN xy_old o ON o.id = m.id JOIN people_supervisee s ON s.id = m.supervisee_id) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_update AFTER UPDATE ON people_monthhours
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_changed();

CREATE OR REPLACE FUNCTION xy_unit_hours_removed() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_old)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, -m.study, -m.public_welfare, -m.volunteer FROM xy_old m JOIN people_supervisee s ON s.id = m.supervisee_id) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON people_monthhours
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_removed();

CREATE OR REPLACE FUNCTION xy_unit_hours_moved() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer) FROM (SELECT o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed, m.month, -m.study, -m.public_welfare, -m.volunteer FROM xy_old o JOIN xy_new n ON n.id = o.id JOIN people_monthhours m ON m.supervisee_id = o.id WHERE (o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed) IS DISTINCT FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed) UNION ALL SELECT n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed, m.month, m.study, m.public_welfare, m.volunteer FROM xy_old o JOIN xy_new n ON n.id = o.id JOIN people_monthhours m ON m.supervisee_id = o.id WHERE (o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed) IS DISTINCT FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed)) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_move AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_moved();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unit_hours_insert ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_update ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_delete ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_move ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_hours_added();
DROP FUNCTION IF EXISTS xy_unit_hours_changed();
DROP FUNCTION IF EXISTS xy_unit_hours_removed();
DROP FUNCTION IF EXISTS xy_unit_hours_moved();
"""
SQLITE_FILL = [
    "DELETE FROM people_unitmonthhours",
    "INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer) FROM people_monthhours m JOIN people_supervisee s ON s.id = m.supervisee_id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON people_monthhours
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, NEW.month, NEW.study, NEW.public_welfare, NEW.volunteer
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    END""",
    """CREATE TRIGGER xy_unit_hours_update AFTER UPDATE ON people_monthhours
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, NEW.month, NEW.study - OLD.study, NEW.public_welfare - OLD.public_welfare, NEW.volunteer - OLD.volunteer
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    END""",
    """CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON people_monthhours
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, OLD.month, -OLD.study, -OLD.public_welfare, -OLD.volunteer
          FROM people_supervisee s WHERE s.id = OLD.supervisee_id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    END""",
    """CREATE TRIGGER xy_unit_hours_move AFTER UPDATE OF unit_id, caseworker_id, is_juvenile,
        is_sealed ON people_supervisee
    WHEN OLD.unit_id IS NOT NEW.unit_id OR COALESCE(OLD.caseworker_id, 0)
         IS NOT COALESCE(NEW.caseworker_id, 0) OR OLD.is_juvenile IS NOT NEW.is_juvenile
         OR OLD.is_sealed IS NOT NEW.is_sealed
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT OLD.unit_id, COALESCE(OLD.caseworker_id, 0), OLD.is_juvenile, OLD.is_sealed, m.month, -m.study, -m.public_welfare, -m.volunteer
          FROM people_monthhours m WHERE m.supervisee_id = OLD.id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT NEW.unit_id, COALESCE(NEW.caseworker_id, 0), NEW.is_juvenile, NEW.is_sealed, m.month, m.study, m.public_welfare, m.volunteer
          FROM people_monthhours m WHERE m.supervisee_id = NEW.id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_unit_hours_insert",
    "DROP TRIGGER IF EXISTS xy_unit_hours_update",
    "DROP TRIGGER IF EXISTS xy_unit_hours_delete",
    "DROP TRIGGER IF EXISTS xy_unit_hours_move",
]


def run(schema_editor, postgres, sqlite):
    """Run this database's statements in order (PostgreSQL's scripts hold several)."""
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    """The table filled from the people's months already there, then the triggers."""
    run(schema_editor, POSTGRES_FILL + [POSTGRES_TRIGGERS], SQLITE_FILL + SQLITE_TRIGGERS)


def uninstall(apps, schema_editor):
    run(schema_editor, [POSTGRES_DROP], SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0002_unit_administrators_group'),
        ('people', '0003_month_hours'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='UnitMonthHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('is_juvenile', models.BooleanField()),
                ('is_sealed', models.BooleanField()),
                ('month', models.DateField()),
                ('study', models.DecimalField(decimal_places=2, default=0, max_digits=12)),
                ('public_welfare', models.DecimalField(decimal_places=2, default=0, max_digits=12)),
                ('volunteer', models.DecimalField(decimal_places=2, default=0, max_digits=12)),
                ('caseworker', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('unit', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='organisations.unit')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('unit', 'caseworker', 'is_juvenile', 'is_sealed', 'month'), name='people_unitmonthhours_key')],
            },
        ),
        # Its triggers, and the table filled from the people's months already there.
        migrations.RunPython(install, uninstall),
    ]
