"""people_monthhours: each person's hours by month, kept by triggers on the two hours
ledgers and the confirmations. The SQL is as this migration ran it (portal/rollups.py
checks and rebuilds the table today)."""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation IN SHARE MODE",
    "DELETE FROM people_monthhours",
    """INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed)
          FROM (SELECT s.supervisee_id AS supervisee_id,
                       date_trunc('month', s.credited_on)::date AS month,
                       s.hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed
                  FROM courses_studyhoursentry s
                UNION ALL
                SELECT e.supervisee_id, date_trunc('month', e.service_date)::date, 0, CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END,
                       CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END END, CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END, CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END END
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id) ledgers
         GROUP BY supervisee_id, month""",
]
POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_month_hours_study() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
    SELECT supervisee_id, date_trunc('month', credited_on)::date, SUM(hours), 0, 0, 0, 0
      FROM xy_new GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month) DO UPDATE SET study = people_monthhours.study + EXCLUDED.study, public_welfare = people_monthhours.public_welfare + EXCLUDED.public_welfare, public_welfare_confirmed = people_monthhours.public_welfare_confirmed + EXCLUDED.public_welfare_confirmed, volunteer = people_monthhours.volunteer + EXCLUDED.volunteer, volunteer_confirmed = people_monthhours.volunteer_confirmed + EXCLUDED.volunteer_confirmed;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_hours AFTER INSERT ON courses_studyhoursentry
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_hours_study();

CREATE OR REPLACE FUNCTION xy_month_hours_service() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
    SELECT supervisee_id, date_trunc('month', service_date)::date, 0,
           COALESCE(SUM(hours) FILTER (WHERE kind = 'public_welfare'), 0), 0,
           COALESCE(SUM(hours) FILTER (WHERE kind = 'volunteer_service'), 0), 0
      FROM xy_new GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month) DO UPDATE SET study = people_monthhours.study + EXCLUDED.study, public_welfare = people_monthhours.public_welfare + EXCLUDED.public_welfare, public_welfare_confirmed = people_monthhours.public_welfare_confirmed + EXCLUDED.public_welfare_confirmed, volunteer = people_monthhours.volunteer + EXCLUDED.volunteer, volunteer_confirmed = people_monthhours.volunteer_confirmed + EXCLUDED.volunteer_confirmed;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_hours AFTER INSERT ON volunteering_hoursentry
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_hours_service();

CREATE OR REPLACE FUNCTION xy_month_hours_confirmed() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
    SELECT e.supervisee_id, date_trunc('month', e.service_date)::date, 0, 0,
           COALESCE(SUM(e.hours) FILTER (WHERE e.kind = 'public_welfare'), 0), 0,
           COALESCE(SUM(e.hours) FILTER (WHERE e.kind = 'volunteer_service'), 0)
      FROM xy_new c JOIN volunteering_hoursentry e ON e.id = c.entry_id
     GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month) DO UPDATE SET study = people_monthhours.study + EXCLUDED.study, public_welfare = people_monthhours.public_welfare + EXCLUDED.public_welfare, public_welfare_confirmed = people_monthhours.public_welfare_confirmed + EXCLUDED.public_welfare_confirmed, volunteer = people_monthhours.volunteer + EXCLUDED.volunteer, volunteer_confirmed = people_monthhours.volunteer_confirmed + EXCLUDED.volunteer_confirmed;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_hours AFTER INSERT ON volunteering_hoursconfirmation
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_hours_confirmed();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_month_hours ON courses_studyhoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursconfirmation;
DROP FUNCTION IF EXISTS xy_month_hours_study();
DROP FUNCTION IF EXISTS xy_month_hours_service();
DROP FUNCTION IF EXISTS xy_month_hours_confirmed();
"""
SQLITE_FILL = [
    "DELETE FROM people_monthhours",
    """INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed)
          FROM (SELECT s.supervisee_id AS supervisee_id,
                       date(s.credited_on, 'start of month') AS month,
                       s.hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed
                  FROM courses_studyhoursentry s
                UNION ALL
                SELECT e.supervisee_id, date(e.service_date, 'start of month'), 0, CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END,
                       CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END END, CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END, CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END END
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id) ledgers
         GROUP BY supervisee_id, month""",
]
SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_month_hours_study AFTER INSERT ON courses_studyhoursentry
    BEGIN
        INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
        VALUES (NEW.supervisee_id, date(NEW.credited_on, 'start of month'),
                NEW.hours, 0, 0, 0, 0)
        ON CONFLICT (supervisee_id, month) DO UPDATE SET study = study + excluded.study, public_welfare = public_welfare + excluded.public_welfare, public_welfare_confirmed = public_welfare_confirmed + excluded.public_welfare_confirmed, volunteer = volunteer + excluded.volunteer, volunteer_confirmed = volunteer_confirmed + excluded.volunteer_confirmed;
    END""",
    """CREATE TRIGGER xy_month_hours_service AFTER INSERT ON volunteering_hoursentry
    BEGIN
        INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
        VALUES (NEW.supervisee_id, date(NEW.service_date, 'start of month'), 0,
                CASE WHEN NEW.kind = 'public_welfare' THEN NEW.hours ELSE 0 END, 0,
                CASE WHEN NEW.kind = 'volunteer_service' THEN NEW.hours ELSE 0 END, 0)
        ON CONFLICT (supervisee_id, month) DO UPDATE SET study = study + excluded.study, public_welfare = public_welfare + excluded.public_welfare, public_welfare_confirmed = public_welfare_confirmed + excluded.public_welfare_confirmed, volunteer = volunteer + excluded.volunteer, volunteer_confirmed = volunteer_confirmed + excluded.volunteer_confirmed;
    END""",
    """CREATE TRIGGER xy_month_hours_confirmed AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed)
        SELECT e.supervisee_id, date(e.service_date, 'start of month'), 0, 0,
               CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END, 0,
               CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END
          FROM volunteering_hoursentry e WHERE e.id = NEW.entry_id
        ON CONFLICT (supervisee_id, month) DO UPDATE SET study = study + excluded.study, public_welfare = public_welfare + excluded.public_welfare, public_welfare_confirmed = public_welfare_confirmed + excluded.public_welfare_confirmed, volunteer = volunteer + excluded.volunteer, volunteer_confirmed = volunteer_confirmed + excluded.volunteer_confirmed;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_month_hours_study",
    "DROP TRIGGER IF EXISTS xy_month_hours_service",
    "DROP TRIGGER IF EXISTS xy_month_hours_confirmed",
]


def run(schema_editor, postgres, sqlite):
    """Run this database's statements in order (PostgreSQL's scripts hold several)."""
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    for statement in statements:
        schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    """The table filled from the ledgers as they stand, then the triggers."""
    run(schema_editor, POSTGRES_FILL + [POSTGRES_TRIGGERS], SQLITE_FILL + SQLITE_TRIGGERS)


def uninstall(apps, schema_editor):
    run(schema_editor, [POSTGRES_DROP], SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0002_default_targets'),
        ('courses', '0003_catalogue_version'),
        ('volunteering', '0004_activity_sequence'),
    ]

    operations = [
        migrations.CreateModel(
            name='MonthHours',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField()),
                ('study', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('public_welfare', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('public_welfare_confirmed', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('volunteer', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('volunteer_confirmed', models.DecimalField(decimal_places=2, default=0, max_digits=9)),
                ('supervisee', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='month_hours', to='people.supervisee')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('supervisee', 'month'), name='people_monthhours_person_month')],
            },
        ),
        # The ledgers' triggers, and the table filled from the entries already there.
        migrations.RunPython(install, uninstall),
    ]
