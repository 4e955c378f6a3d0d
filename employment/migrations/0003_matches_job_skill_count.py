"""A job's number of skills wanted (Job.skill_count), kept by the database.

Ranking a person's matches in SQL (employment.matching.job_score_sql) needs, for a person
without skills, only whether each candidate job wants any skill: read from the job's own
row instead of a look-up in the skills' table per candidate job (a third of the
statement at provincial scale).

Triggers keep the count whoever writes the skills (a form, a service, a bulk insert, a
restore): on PostgreSQL once per statement over its rows, in the order of the jobs' keys,
adding to the count (so two writers of one job's skills each add theirs); on SQLite per
row, counting again. The application never writes the count: on PostgreSQL a write of
the column from outside those triggers (Job.save() writes every column) keeps the count
as it was, and a new job starts at 0; on SQLite the count is worked out again after
such a write.
"""

from django.db import migrations, models

FILL = """
UPDATE employment_job SET skill_count = (
    SELECT COUNT(*) FROM employment_job_skills s WHERE s.job_id = employment_job.id)
"""

POSTGRES = """
CREATE OR REPLACE FUNCTION xy_job_skills_counted() RETURNS trigger AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        FOR r IN SELECT job_id, COUNT(*) AS n FROM xy_new GROUP BY job_id ORDER BY job_id LOOP
            UPDATE employment_job SET skill_count = skill_count + r.n WHERE id = r.job_id;
        END LOOP;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        FOR r IN SELECT job_id, COUNT(*) AS n FROM xy_old GROUP BY job_id ORDER BY job_id LOOP
            UPDATE employment_job SET skill_count = skill_count - r.n WHERE id = r.job_id;
        END LOOP;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_job_skills_insert AFTER INSERT ON employment_job_skills
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_job_skills_counted();
CREATE TRIGGER xy_job_skills_delete AFTER DELETE ON employment_job_skills
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_job_skills_counted();
CREATE TRIGGER xy_job_skills_update AFTER UPDATE ON employment_job_skills
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_job_skills_counted();

CREATE OR REPLACE FUNCTION xy_job_skill_count_kept() RETURNS trigger AS $$
BEGIN
    -- Only the triggers above write the count: they run one level down.
    IF pg_trigger_depth() <= 1 THEN
        IF TG_OP = 'INSERT' THEN
            NEW.skill_count := 0;
        ELSE
            NEW.skill_count := OLD.skill_count;
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_job_skill_count_kept BEFORE INSERT OR UPDATE OF skill_count
    ON employment_job
    FOR EACH ROW EXECUTE FUNCTION xy_job_skill_count_kept();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_job_skill_count_kept ON employment_job;
DROP FUNCTION IF EXISTS xy_job_skill_count_kept();
DROP TRIGGER IF EXISTS xy_job_skills_insert ON employment_job_skills;
DROP TRIGGER IF EXISTS xy_job_skills_delete ON employment_job_skills;
DROP TRIGGER IF EXISTS xy_job_skills_update ON employment_job_skills;
DROP FUNCTION IF EXISTS xy_job_skills_counted();
"""


def _recount(job_id: str) -> str:
    return (f"UPDATE employment_job SET skill_count = (SELECT COUNT(*) FROM "
            f"employment_job_skills WHERE job_id = {job_id}) WHERE id = {job_id};")


SQLITE = [
    f"CREATE TRIGGER xy_job_skills_insert AFTER INSERT ON employment_job_skills "
    f"BEGIN {_recount('NEW.job_id')} END",
    f"CREATE TRIGGER xy_job_skills_delete AFTER DELETE ON employment_job_skills "
    f"BEGIN {_recount('OLD.job_id')} END",
    f"CREATE TRIGGER xy_job_skills_update AFTER UPDATE OF job_id ON employment_job_skills "
    f"BEGIN {_recount('OLD.job_id')} {_recount('NEW.job_id')} END",
    # A write of the count from outside (SQLite runs no trigger from within itself).
    f"CREATE TRIGGER xy_job_skill_count_kept AFTER UPDATE OF skill_count ON employment_job "
    f"BEGIN {_recount('NEW.id')} END",
    f"CREATE TRIGGER xy_job_skill_count_new AFTER INSERT ON employment_job "
    f"WHEN NEW.skill_count <> 0 BEGIN {_recount('NEW.id')} END",
]

SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS {name}" for name in (
        "xy_job_skills_insert", "xy_job_skills_delete", "xy_job_skills_update",
        "xy_job_skill_count_kept", "xy_job_skill_count_new")
]


def install(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute(FILL)
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES, params=None)
    else:
        with connection.cursor() as cursor:
            for statement in SQLITE:
                cursor.execute(statement)


def uninstall(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)
    else:
        with connection.cursor() as cursor:
            for statement in SQLITE_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('employment', '0002_training_enrolment_and_reminders'),
    ]

    operations = [
        migrations.AddField(
            model_name='job',
            name='skill_count',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='number of skills wanted'),
        ),
        migrations.RunPython(install, uninstall),
    ]
