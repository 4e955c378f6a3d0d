"""The courses completed in each month, in people_monthhours and people_unitmonthhours,
kept by triggers on the enrolments too. The SQL is as this migration ran it: the
triggers of 0003 and 0004 (V1) and those that replace them."""

from django.db import migrations, models

MONTH_V1_POSTGRES_FILL = [
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
MONTH_V1_POSTGRES_TRIGGERS = """
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
MONTH_V1_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_month_hours ON courses_studyhoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursconfirmation;
DROP FUNCTION IF EXISTS xy_month_hours_study();
DROP FUNCTION IF EXISTS xy_month_hours_service();
DROP FUNCTION IF EXISTS xy_month_hours_confirmed();
"""
MONTH_V1_SQLITE_FILL = [
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
MONTH_V1_SQLITE_TRIGGERS = [
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
MONTH_V1_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_month_hours_study",
    "DROP TRIGGER IF EXISTS xy_month_hours_service",
    "DROP TRIGGER IF EXISTS xy_month_hours_confirmed",
]

UNIT_V1_POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation, people_monthhours, people_supervisee IN SHARE MODE",
    "DELETE FROM people_unitmonthhours",
    "INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer) FROM people_monthhours m JOIN people_supervisee s ON s.id = m.supervisee_id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month",
]
UNIT_V1_POSTGRES_TRIGGERS = """
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
UNIT_V1_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unit_hours_insert ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_update ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_delete ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_move ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_hours_added();
DROP FUNCTION IF EXISTS xy_unit_hours_changed();
DROP FUNCTION IF EXISTS xy_unit_hours_removed();
DROP FUNCTION IF EXISTS xy_unit_hours_moved();
"""
UNIT_V1_SQLITE_FILL = [
    "DELETE FROM people_unitmonthhours",
    "INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer) FROM people_monthhours m JOIN people_supervisee s ON s.id = m.supervisee_id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month",
]
UNIT_V1_SQLITE_TRIGGERS = [
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
UNIT_V1_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_unit_hours_insert",
    "DROP TRIGGER IF EXISTS xy_unit_hours_update",
    "DROP TRIGGER IF EXISTS xy_unit_hours_delete",
    "DROP TRIGGER IF EXISTS xy_unit_hours_move",
]

MONTH_POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation, courses_enrolment IN SHARE MODE",
    "DELETE FROM people_monthhours",
    """INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions)
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed), SUM(completions)
          FROM (SELECT s.supervisee_id AS supervisee_id,
                       date_trunc('month', s.credited_on)::date AS month,
                       s.hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed, 0 AS completions
                  FROM courses_studyhoursentry s
                UNION ALL
                SELECT e.supervisee_id, date_trunc('month', e.service_date)::date, 0, CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END,
                       CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END END, CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END, CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END END, 0
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id
                UNION ALL
                SELECT n.supervisee_id, date_trunc('month', n.completed_at AT TIME ZONE 'Asia/Shanghai')::date, 0, 0, 0, 0,
                       0, 1
                  FROM courses_enrolment n WHERE n.status = 'completed' AND n.completed_at IS NOT NULL) ledgers
         GROUP BY supervisee_id, month""",
]
MONTH_POSTGRES_TRIGGERS = """
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

CREATE OR REPLACE FUNCTION xy_month_completions_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions)
    SELECT supervisee_id, month, 0, 0, 0, 0, 0, n FROM (SELECT supervisee_id, month, SUM(n) AS n FROM (SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, 1 AS n FROM xy_new WHERE xy_new.status = 'completed' AND xy_new.completed_at IS NOT NULL) x GROUP BY supervisee_id, month HAVING SUM(n) <> 0) d WHERE n > 0 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month)
        DO UPDATE SET completions = people_monthhours.completions + EXCLUDED.completions;
    UPDATE people_monthhours m SET completions = m.completions + d.n
      FROM (SELECT supervisee_id, month, SUM(n) AS n FROM (SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, 1 AS n FROM xy_new WHERE xy_new.status = 'completed' AND xy_new.completed_at IS NOT NULL) x GROUP BY supervisee_id, month HAVING SUM(n) <> 0) d
     WHERE d.n < 0 AND m.supervisee_id = d.supervisee_id AND m.month = d.month;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_completions_insert AFTER INSERT ON courses_enrolment
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_completions_added();

CREATE OR REPLACE FUNCTION xy_month_completions_changed() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions)
    SELECT supervisee_id, month, 0, 0, 0, 0, 0, n FROM (SELECT supervisee_id, month, SUM(n) AS n FROM (SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, 1 AS n FROM xy_new WHERE xy_new.status = 'completed' AND xy_new.completed_at IS NOT NULL UNION ALL SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, -1 AS n FROM xy_old WHERE xy_old.status = 'completed' AND xy_old.completed_at IS NOT NULL) x GROUP BY supervisee_id, month HAVING SUM(n) <> 0) d WHERE n > 0 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month)
        DO UPDATE SET completions = people_monthhours.completions + EXCLUDED.completions;
    UPDATE people_monthhours m SET completions = m.completions + d.n
      FROM (SELECT supervisee_id, month, SUM(n) AS n FROM (SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, 1 AS n FROM xy_new WHERE xy_new.status = 'completed' AND xy_new.completed_at IS NOT NULL UNION ALL SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, -1 AS n FROM xy_old WHERE xy_old.status = 'completed' AND xy_old.completed_at IS NOT NULL) x GROUP BY supervisee_id, month HAVING SUM(n) <> 0) d
     WHERE d.n < 0 AND m.supervisee_id = d.supervisee_id AND m.month = d.month;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_completions_update AFTER UPDATE ON courses_enrolment
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_completions_changed();

CREATE OR REPLACE FUNCTION xy_month_completions_removed() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions)
    SELECT supervisee_id, month, 0, 0, 0, 0, 0, n FROM (SELECT supervisee_id, month, SUM(n) AS n FROM (SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, -1 AS n FROM xy_old WHERE xy_old.status = 'completed' AND xy_old.completed_at IS NOT NULL) x GROUP BY supervisee_id, month HAVING SUM(n) <> 0) d WHERE n > 0 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month)
        DO UPDATE SET completions = people_monthhours.completions + EXCLUDED.completions;
    UPDATE people_monthhours m SET completions = m.completions + d.n
      FROM (SELECT supervisee_id, month, SUM(n) AS n FROM (SELECT supervisee_id, date_trunc('month', completed_at AT TIME ZONE 'Asia/Shanghai')::date AS month, -1 AS n FROM xy_old WHERE xy_old.status = 'completed' AND xy_old.completed_at IS NOT NULL) x GROUP BY supervisee_id, month HAVING SUM(n) <> 0) d
     WHERE d.n < 0 AND m.supervisee_id = d.supervisee_id AND m.month = d.month;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_completions_delete AFTER DELETE ON courses_enrolment
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_completions_removed();
"""
MONTH_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_month_hours ON courses_studyhoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursconfirmation;
DROP FUNCTION IF EXISTS xy_month_hours_study();
DROP FUNCTION IF EXISTS xy_month_hours_service();
DROP FUNCTION IF EXISTS xy_month_hours_confirmed();

DROP TRIGGER IF EXISTS xy_month_completions_insert ON courses_enrolment;
DROP TRIGGER IF EXISTS xy_month_completions_update ON courses_enrolment;
DROP TRIGGER IF EXISTS xy_month_completions_delete ON courses_enrolment;
DROP FUNCTION IF EXISTS xy_month_completions_added();
DROP FUNCTION IF EXISTS xy_month_completions_changed();
DROP FUNCTION IF EXISTS xy_month_completions_removed();
"""
MONTH_SQLITE_FILL = [
    "DELETE FROM people_monthhours",
    """INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions)
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed), SUM(completions)
          FROM (SELECT s.supervisee_id AS supervisee_id,
                       date(s.credited_on, 'start of month') AS month,
                       s.hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed, 0 AS completions
                  FROM courses_studyhoursentry s
                UNION ALL
                SELECT e.supervisee_id, date(e.service_date, 'start of month'), 0, CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END,
                       CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END END, CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END, CASE WHEN c.id IS NULL THEN 0 ELSE CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END END, 0
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id
                UNION ALL
                SELECT n.supervisee_id, date(n.completed_at, 'localtime', 'start of month'), 0, 0, 0, 0,
                       0, 1
                  FROM courses_enrolment n WHERE n.status = 'completed' AND n.completed_at IS NOT NULL) ledgers
         GROUP BY supervisee_id, month""",
]
MONTH_SQLITE_TRIGGERS = [
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
    "CREATE TRIGGER xy_month_completions_insert AFTER INSERT ON courses_enrolment BEGIN INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions) SELECT NEW.supervisee_id, date(NEW.completed_at, 'localtime', 'start of month'), 0, 0, 0, 0, 0, 1 WHERE NEW.status = 'completed' AND NEW.completed_at IS NOT NULL ON CONFLICT (supervisee_id, month) DO UPDATE SET completions = completions + 1; END",
    "CREATE TRIGGER xy_month_completions_update AFTER UPDATE OF status, completed_at, supervisee_id ON courses_enrolment BEGIN UPDATE people_monthhours SET completions = completions - 1 WHERE OLD.status = 'completed' AND OLD.completed_at IS NOT NULL AND supervisee_id = OLD.supervisee_id AND month = date(OLD.completed_at, 'localtime', 'start of month'); INSERT INTO people_monthhours (supervisee_id, month, study, public_welfare, public_welfare_confirmed, volunteer, volunteer_confirmed, completions) SELECT NEW.supervisee_id, date(NEW.completed_at, 'localtime', 'start of month'), 0, 0, 0, 0, 0, 1 WHERE NEW.status = 'completed' AND NEW.completed_at IS NOT NULL ON CONFLICT (supervisee_id, month) DO UPDATE SET completions = completions + 1; END",
    "CREATE TRIGGER xy_month_completions_delete AFTER DELETE ON courses_enrolment BEGIN UPDATE people_monthhours SET completions = completions - 1 WHERE OLD.status = 'completed' AND OLD.completed_at IS NOT NULL AND supervisee_id = OLD.supervisee_id AND month = date(OLD.completed_at, 'localtime', 'start of month'); END",
]
MONTH_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS xy_month_hours_study",
    "DROP TRIGGER IF EXISTS xy_month_hours_service",
    "DROP TRIGGER IF EXISTS xy_month_hours_confirmed",
    "DROP TRIGGER IF EXISTS xy_month_completions_insert",
    "DROP TRIGGER IF EXISTS xy_month_completions_update",
    "DROP TRIGGER IF EXISTS xy_month_completions_delete",
]

UNIT_POSTGRES_FILL = [
    "LOCK TABLE courses_studyhoursentry, volunteering_hoursentry, volunteering_hoursconfirmation, courses_enrolment, people_monthhours, people_supervisee IN SHARE MODE",
    "DELETE FROM people_unitmonthhours",
    "INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer), SUM(m.completions) FROM people_monthhours m JOIN people_supervisee s ON s.id = m.supervisee_id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month",
]
UNIT_POSTGRES_TRIGGERS = """
CREATE OR REPLACE FUNCTION xy_unit_hours_added() RETURNS trigger AS $$
BEGIN
    PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM xy_new)
      ORDER BY id FOR SHARE;
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer), SUM(completions) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, m.study, m.public_welfare, m.volunteer, m.completions FROM xy_new m JOIN people_supervisee s ON s.id = m.supervisee_id) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
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
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer), SUM(completions) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, m.study - o.study, m.public_welfare - o.public_welfare, m.volunteer - o.volunteer, m.completions - o.completions FROM xy_new m JOIN xy_old o ON o.id = m.id JOIN people_supervisee s ON s.id = m.supervisee_id) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
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
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer), SUM(completions) FROM (SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, -m.study, -m.public_welfare, -m.volunteer, -m.completions FROM xy_old m JOIN people_supervisee s ON s.id = m.supervisee_id) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON people_monthhours
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_removed();

CREATE OR REPLACE FUNCTION xy_unit_hours_moved() RETURNS trigger AS $$
BEGIN
    INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT unit_id, caseworker_id, is_juvenile, is_sealed, month, SUM(study), SUM(public_welfare), SUM(volunteer), SUM(completions) FROM (SELECT o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed, m.month, -m.study, -m.public_welfare, -m.volunteer, -m.completions FROM xy_old o JOIN xy_new n ON n.id = o.id JOIN people_monthhours m ON m.supervisee_id = o.id WHERE (o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed) IS DISTINCT FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed) UNION ALL SELECT n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed, m.month, m.study, m.public_welfare, m.volunteer, m.completions FROM xy_old o JOIN xy_new n ON n.id = o.id JOIN people_monthhours m ON m.supervisee_id = o.id WHERE (o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed) IS DISTINCT FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed)) d (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) GROUP BY unit_id, caseworker_id, is_juvenile, is_sealed, month ORDER BY unit_id, caseworker_id, is_juvenile, is_sealed, month ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_move AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_moved();
"""
UNIT_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unit_hours_insert ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_update ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_delete ON people_monthhours;
DROP TRIGGER IF EXISTS xy_unit_hours_move ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_hours_added();
DROP FUNCTION IF EXISTS xy_unit_hours_changed();
DROP FUNCTION IF EXISTS xy_unit_hours_removed();
DROP FUNCTION IF EXISTS xy_unit_hours_moved();
"""
UNIT_SQLITE_FILL = [
    "DELETE FROM people_unitmonthhours",
    "INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month, SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer), SUM(m.completions) FROM people_monthhours m JOIN people_supervisee s ON s.id = m.supervisee_id GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month",
]
UNIT_SQLITE_TRIGGERS = [
    """CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON people_monthhours
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, NEW.month, NEW.study, NEW.public_welfare, NEW.volunteer, NEW.completions
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
    END""",
    """CREATE TRIGGER xy_unit_hours_update AFTER UPDATE ON people_monthhours
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, NEW.month, NEW.study - OLD.study, NEW.public_welfare - OLD.public_welfare, NEW.volunteer - OLD.volunteer, NEW.completions - OLD.completions
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
    END""",
    """CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON people_monthhours
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, OLD.month, -OLD.study, -OLD.public_welfare, -OLD.volunteer, -OLD.completions
          FROM people_supervisee s WHERE s.id = OLD.supervisee_id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
    END""",
    """CREATE TRIGGER xy_unit_hours_move AFTER UPDATE OF unit_id, caseworker_id, is_juvenile,
        is_sealed ON people_supervisee
    WHEN OLD.unit_id IS NOT NEW.unit_id OR COALESCE(OLD.caseworker_id, 0)
         IS NOT COALESCE(NEW.caseworker_id, 0) OR OLD.is_juvenile IS NOT NEW.is_juvenile
         OR OLD.is_sealed IS NOT NEW.is_sealed
    BEGIN
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT OLD.unit_id, COALESCE(OLD.caseworker_id, 0), OLD.is_juvenile, OLD.is_sealed, m.month, -m.study, -m.public_welfare, -m.volunteer, -m.completions
          FROM people_monthhours m WHERE m.supervisee_id = OLD.id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
        INSERT INTO people_unitmonthhours (unit_id, caseworker_id, is_juvenile, is_sealed, month, study, public_welfare, volunteer, completions) SELECT NEW.unit_id, COALESCE(NEW.caseworker_id, 0), NEW.is_juvenile, NEW.is_sealed, m.month, m.study, m.public_welfare, m.volunteer, m.completions
          FROM people_monthhours m WHERE m.supervisee_id = NEW.id
        ON CONFLICT (unit_id, caseworker_id, is_juvenile, is_sealed, month) DO UPDATE SET study = people_unitmonthhours.study + excluded.study, public_welfare = people_unitmonthhours.public_welfare + excluded.public_welfare, volunteer = people_unitmonthhours.volunteer + excluded.volunteer, completions = people_unitmonthhours.completions + excluded.completions;
    END""",
]
UNIT_SQLITE_DROP = [
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


def drop_v1(apps, schema_editor):
    """The triggers of people.0003 and 0004 come off first: on SQLite adding the columns
    remakes both tables, which a trigger naming them would refuse."""
    run(schema_editor, [UNIT_V1_POSTGRES_DROP, MONTH_V1_POSTGRES_DROP],
        UNIT_V1_SQLITE_DROP + MONTH_V1_SQLITE_DROP)


def make_v1(apps, schema_editor):
    run(schema_editor, MONTH_V1_POSTGRES_FILL + [MONTH_V1_POSTGRES_TRIGGERS],
        MONTH_V1_SQLITE_FILL + MONTH_V1_SQLITE_TRIGGERS)
    run(schema_editor, UNIT_V1_POSTGRES_FILL + [UNIT_V1_POSTGRES_TRIGGERS],
        UNIT_V1_SQLITE_FILL + UNIT_V1_SQLITE_TRIGGERS)


def install(apps, schema_editor):
    """The months and the units' months recomputed with the courses completed (the
    months first, before the units' triggers exist, so they are not added twice), and
    every trigger made anew, the enrolments' too."""
    run(schema_editor, MONTH_POSTGRES_FILL + [MONTH_POSTGRES_TRIGGERS], MONTH_SQLITE_FILL + MONTH_SQLITE_TRIGGERS)
    run(schema_editor, UNIT_POSTGRES_FILL + [UNIT_POSTGRES_TRIGGERS], UNIT_SQLITE_FILL + UNIT_SQLITE_TRIGGERS)


def uninstall(apps, schema_editor):
    run(schema_editor, [UNIT_POSTGRES_DROP], UNIT_SQLITE_DROP)
    run(schema_editor, [MONTH_POSTGRES_DROP], MONTH_SQLITE_DROP)


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0004_completions_index'),
        ('people', '0005_today_month_hours_one_index'),
    ]

    operations = [
        migrations.RunPython(drop_v1, make_v1),
        migrations.AddField(
            model_name='monthhours',
            name='completions',
            field=models.IntegerField(default=0, db_default=0),
        ),
        migrations.AddField(
            model_name='unitmonthhours',
            name='completions',
            field=models.IntegerField(default=0, db_default=0),
        ),
        migrations.RunPython(install, uninstall),
]
