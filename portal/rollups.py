"""Figures the database keeps beside the hours ledgers, so pages need not add them up.

Both ledgers are append-only (a correction is a new, often negative, entry; see
DOMAIN.md), so what is derived from them changes only when rows are added. Triggers on
`courses_studyhoursentry`, `volunteering_hoursentry` and `volunteering_hoursconfirmation`
keep two tables up to date in the same transaction as the insert itself, whichever code
inserts (a service, a bulk insert, COPY, a migration):

- `people_monthhours` (portal.people.models.MonthHours): one row per person and month with
  five sums: study hours, and public-welfare and volunteer-service hours both as recorded
  and as confirmed. The caseload, the today list and the unit dashboard read one row per
  person and month rather than summing entries.
- `volunteering_unconfirmedhours` (volunteering.models.UnconfirmedHours): the entries not
  yet confirmed, one row each, added with the entry and removed with its confirmation.
  The work lists read what is waiting, not millions of confirmed entries.
- `people_unitmonthhours` (portal.people.models.UnitMonthHours): people_monthhours summed
  by the people's unit, caseworker, juvenile flag and sealed flag (all that decides who
  may see them), kept by triggers on people_monthhours and on the people's rows: a person
  who moves unit takes their months along. The unit dashboard reads a few hundred rows.

On PostgreSQL the triggers run once per statement over its new rows (a grouped upsert in
a fixed order, so two writers never wait on each other crosswise); SQLite has only row
triggers. `rebuild()` recomputes a table from the ledgers (the migrations that create
the tables fill them the same way) and `differences()` lists the rows that disagree with
the ledgers; `manage.py rollups --check` runs it for a nightly job.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection as default_connection
from django.db import transaction

SOURCES = ("courses_studyhoursentry", "volunteering_hoursentry",
           "volunteering_hoursconfirmation")

# --- people_monthhours -------------------------------------------------------------------

MONTH_TABLE = "people_monthhours"
MONTH_COLUMNS = ("study", "public_welfare", "public_welfare_confirmed", "volunteer",
                 "volunteer_confirmed")
_MONTH_INSERT = f"INSERT INTO {MONTH_TABLE} (supervisee_id, month, {', '.join(MONTH_COLUMNS)})"
_UPSERT_SET = ", ".join(f"{c} = {MONTH_TABLE}.{c} + EXCLUDED.{c}" for c in MONTH_COLUMNS)

MONTH_POSTGRES = f"""
CREATE OR REPLACE FUNCTION xy_month_hours_study() RETURNS trigger AS $$
BEGIN
    {_MONTH_INSERT}
    SELECT supervisee_id, date_trunc('month', credited_on)::date, SUM(hours), 0, 0, 0, 0
      FROM xy_new GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month) DO UPDATE SET {_UPSERT_SET};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_hours AFTER INSERT ON courses_studyhoursentry
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_hours_study();

CREATE OR REPLACE FUNCTION xy_month_hours_service() RETURNS trigger AS $$
BEGIN
    {_MONTH_INSERT}
    SELECT supervisee_id, date_trunc('month', service_date)::date, 0,
           COALESCE(SUM(hours) FILTER (WHERE kind = 'public_welfare'), 0), 0,
           COALESCE(SUM(hours) FILTER (WHERE kind = 'volunteer_service'), 0), 0
      FROM xy_new GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month) DO UPDATE SET {_UPSERT_SET};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_hours AFTER INSERT ON volunteering_hoursentry
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_hours_service();

CREATE OR REPLACE FUNCTION xy_month_hours_confirmed() RETURNS trigger AS $$
BEGIN
    {_MONTH_INSERT}
    SELECT e.supervisee_id, date_trunc('month', e.service_date)::date, 0, 0,
           COALESCE(SUM(e.hours) FILTER (WHERE e.kind = 'public_welfare'), 0), 0,
           COALESCE(SUM(e.hours) FILTER (WHERE e.kind = 'volunteer_service'), 0)
      FROM xy_new c JOIN volunteering_hoursentry e ON e.id = c.entry_id
     GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month) DO UPDATE SET {_UPSERT_SET};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_hours AFTER INSERT ON volunteering_hoursconfirmation
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_hours_confirmed();
"""
MONTH_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_month_hours ON courses_studyhoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_month_hours ON volunteering_hoursconfirmation;
DROP FUNCTION IF EXISTS xy_month_hours_study();
DROP FUNCTION IF EXISTS xy_month_hours_service();
DROP FUNCTION IF EXISTS xy_month_hours_confirmed();
"""
_SQLITE_SET = ", ".join(f"{c} = {c} + excluded.{c}" for c in MONTH_COLUMNS)
MONTH_SQLITE = [
    f"""CREATE TRIGGER xy_month_hours_study AFTER INSERT ON courses_studyhoursentry
    BEGIN
        {_MONTH_INSERT}
        VALUES (NEW.supervisee_id, date(NEW.credited_on, 'start of month'),
                NEW.hours, 0, 0, 0, 0)
        ON CONFLICT (supervisee_id, month) DO UPDATE SET {_SQLITE_SET};
    END""",
    f"""CREATE TRIGGER xy_month_hours_service AFTER INSERT ON volunteering_hoursentry
    BEGIN
        {_MONTH_INSERT}
        VALUES (NEW.supervisee_id, date(NEW.service_date, 'start of month'), 0,
                CASE WHEN NEW.kind = 'public_welfare' THEN NEW.hours ELSE 0 END, 0,
                CASE WHEN NEW.kind = 'volunteer_service' THEN NEW.hours ELSE 0 END, 0)
        ON CONFLICT (supervisee_id, month) DO UPDATE SET {_SQLITE_SET};
    END""",
    f"""CREATE TRIGGER xy_month_hours_confirmed AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        {_MONTH_INSERT}
        SELECT e.supervisee_id, date(e.service_date, 'start of month'), 0, 0,
               CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END, 0,
               CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END
          FROM volunteering_hoursentry e WHERE e.id = NEW.entry_id
        ON CONFLICT (supervisee_id, month) DO UPDATE SET {_SQLITE_SET};
    END""",
]
MONTH_SQLITE_DROP = ["DROP TRIGGER IF EXISTS xy_month_hours_study",
                     "DROP TRIGGER IF EXISTS xy_month_hours_service",
                     "DROP TRIGGER IF EXISTS xy_month_hours_confirmed"]


def _month(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _month_from_ledgers(vendor: str) -> str:
    pw = "CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END"
    vol = "CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END"
    confirmed = "CASE WHEN c.id IS NULL THEN 0 ELSE {} END"
    return f"""
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed)
          FROM (SELECT s.supervisee_id AS supervisee_id,
                       {_month(vendor, "s.credited_on")} AS month,
                       s.hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed
                  FROM courses_studyhoursentry s
                UNION ALL
                SELECT e.supervisee_id, {_month(vendor, "e.service_date")}, 0, {pw},
                       {confirmed.format(pw)}, {vol}, {confirmed.format(vol)}
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id) ledgers
         GROUP BY supervisee_id, month"""


# --- volunteering_unconfirmedhours ---------------------------------------------------------

WAITING_TABLE = "volunteering_unconfirmedhours"
_WAITING_INSERT = f"INSERT INTO {WAITING_TABLE} (entry_id, supervisee_id, recorded_at)"

WAITING_POSTGRES = f"""
CREATE OR REPLACE FUNCTION xy_unconfirmed_add() RETURNS trigger AS $$
BEGIN
    {_WAITING_INSERT} SELECT id, supervisee_id, recorded_at FROM xy_new;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unconfirmed AFTER INSERT ON volunteering_hoursentry
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unconfirmed_add();

CREATE OR REPLACE FUNCTION xy_unconfirmed_remove() RETURNS trigger AS $$
BEGIN
    DELETE FROM {WAITING_TABLE} w USING xy_new c WHERE w.entry_id = c.entry_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unconfirmed AFTER INSERT ON volunteering_hoursconfirmation
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unconfirmed_remove();
"""
WAITING_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursconfirmation;
DROP FUNCTION IF EXISTS xy_unconfirmed_add();
DROP FUNCTION IF EXISTS xy_unconfirmed_remove();
"""
WAITING_SQLITE = [
    f"""CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        {_WAITING_INSERT} VALUES (NEW.id, NEW.supervisee_id, NEW.recorded_at);
    END""",
    f"""CREATE TRIGGER xy_unconfirmed_remove AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        DELETE FROM {WAITING_TABLE} WHERE entry_id = NEW.entry_id;
    END""",
]
WAITING_SQLITE_DROP = ["DROP TRIGGER IF EXISTS xy_unconfirmed_add",
                       "DROP TRIGGER IF EXISTS xy_unconfirmed_remove"]


def _waiting_from_ledgers(vendor: str) -> str:
    return """
        SELECT e.id AS entry_id, e.supervisee_id, e.recorded_at FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)"""


# --- people_unitmonthhours ------------------------------------------------------------------
#
# The month's hours of people with the same unit, caseworker, juvenile flag and sealed
# flag (everything portal.access.scope_q decides visibility by), summed from
# people_monthhours: the unit dashboard reads a few hundred of these rows instead of one
# per person and month. A person moving unit (or changing caseworker, or being sealed or
# turning adult) moves their months from the old key to the new one; their status is not
# part of the key, since the figures count people of every status.

UNIT_TABLE = "people_unitmonthhours"
UNIT_KEY = ("unit_id", "caseworker_id", "is_juvenile", "is_sealed", "month")
UNIT_COLUMNS = ("study", "public_welfare", "volunteer")
_UNIT_INSERT = f"INSERT INTO {UNIT_TABLE} ({', '.join(UNIT_KEY + UNIT_COLUMNS)})"
_UNIT_CONFLICT = (f"ON CONFLICT ({', '.join(UNIT_KEY)}) DO UPDATE SET "
                  + ", ".join(f"{c} = {UNIT_TABLE}.{c} + excluded.{c}" for c in UNIT_COLUMNS))
_PERSON_KEY = "{p}.unit_id, COALESCE({p}.caseworker_id, 0), {p}.is_juvenile, {p}.is_sealed"


def _unit_delta(rows: str, sign: str) -> str:
    """(key, month, sums) of `rows` (people_monthhours rows aliased m, each joined to its
    person s), the sums with `sign`."""
    return (f"SELECT {_PERSON_KEY.format(p='s')}, m.month, "
            + ", ".join(f"{sign}m.{c}" for c in UNIT_COLUMNS) + f" FROM {rows}")


def _unit_grouped(deltas: str) -> str:
    return (f"{_UNIT_INSERT} SELECT {', '.join(UNIT_KEY)}, "
            + ", ".join(f"SUM({c})" for c in UNIT_COLUMNS)
            + f" FROM ({deltas}) d ({', '.join(UNIT_KEY + UNIT_COLUMNS)})"
            f" GROUP BY {', '.join(UNIT_KEY)} ORDER BY {', '.join(UNIT_KEY)} {_UNIT_CONFLICT};")


_CHANGED = ("(o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed) IS DISTINCT "
            "FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed)")
_MOVED_OLD = (f"SELECT {_PERSON_KEY.format(p='o')}, m.month, "
              + ", ".join(f"-m.{c}" for c in UNIT_COLUMNS)
              + f" FROM xy_old o JOIN xy_new n ON n.id = o.id"
              f" JOIN {MONTH_TABLE} m ON m.supervisee_id = o.id WHERE {_CHANGED}")
_MOVED_NEW = (f"SELECT {_PERSON_KEY.format(p='n')}, m.month, "
              + ", ".join(f"m.{c}" for c in UNIT_COLUMNS)
              + f" FROM xy_old o JOIN xy_new n ON n.id = o.id"
              f" JOIN {MONTH_TABLE} m ON m.supervisee_id = o.id WHERE {_CHANGED}")

def _wait_for_people(rows: str) -> str:
    """Wait for any change of these people's unit, caseworker or flags to commit, and read
    their rows as committed then (a move moves only the months it can see)."""
    return (f"PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM {rows})"
            "\n      ORDER BY id FOR SHARE;")


UNIT_POSTGRES = f"""
CREATE OR REPLACE FUNCTION xy_unit_hours_added() RETURNS trigger AS $$
BEGIN
    {_wait_for_people('xy_new')}
    {_unit_grouped(_unit_delta("xy_new m JOIN people_supervisee s ON s.id = m.supervisee_id", ""))}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON {MONTH_TABLE}
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_added();

CREATE OR REPLACE FUNCTION xy_unit_hours_changed() RETURNS trigger AS $$
BEGIN
    {_wait_for_people('xy_new')}
    {_unit_grouped(
        f"SELECT {_PERSON_KEY.format(p='s')}, m.month, "
        + ", ".join(f"m.{c} - o.{c}" for c in UNIT_COLUMNS)
        + " FROM xy_new m JOIN xy_old o ON o.id = m.id"
        " JOIN people_supervisee s ON s.id = m.supervisee_id")}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_update AFTER UPDATE ON {MONTH_TABLE}
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_changed();

CREATE OR REPLACE FUNCTION xy_unit_hours_removed() RETURNS trigger AS $$
BEGIN
    {_wait_for_people('xy_old')}
    {_unit_grouped(_unit_delta("xy_old m JOIN people_supervisee s ON s.id = m.supervisee_id", "-"))}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON {MONTH_TABLE}
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_removed();

CREATE OR REPLACE FUNCTION xy_unit_hours_moved() RETURNS trigger AS $$
BEGIN
    {_unit_grouped(_MOVED_OLD + " UNION ALL " + _MOVED_NEW)}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_move AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_moved();
"""
UNIT_POSTGRES_DROP = f"""
DROP TRIGGER IF EXISTS xy_unit_hours_insert ON {MONTH_TABLE};
DROP TRIGGER IF EXISTS xy_unit_hours_update ON {MONTH_TABLE};
DROP TRIGGER IF EXISTS xy_unit_hours_delete ON {MONTH_TABLE};
DROP TRIGGER IF EXISTS xy_unit_hours_move ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unit_hours_added();
DROP FUNCTION IF EXISTS xy_unit_hours_changed();
DROP FUNCTION IF EXISTS xy_unit_hours_removed();
DROP FUNCTION IF EXISTS xy_unit_hours_moved();
"""


_S_KEY = _PERSON_KEY.format(p="s")
UNIT_SQLITE = [
    f"""CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON {MONTH_TABLE}
    BEGIN
        {_UNIT_INSERT} SELECT {_S_KEY}, NEW.month, NEW.study, NEW.public_welfare,
               NEW.volunteer FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        {_UNIT_CONFLICT};
    END""",
    f"""CREATE TRIGGER xy_unit_hours_update AFTER UPDATE ON {MONTH_TABLE}
    BEGIN
        {_UNIT_INSERT} SELECT {_S_KEY}, NEW.month, NEW.study - OLD.study,
               NEW.public_welfare - OLD.public_welfare, NEW.volunteer - OLD.volunteer
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        {_UNIT_CONFLICT};
    END""",
    f"""CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON {MONTH_TABLE}
    BEGIN
        {_UNIT_INSERT} SELECT {_S_KEY}, OLD.month, -OLD.study, -OLD.public_welfare,
               -OLD.volunteer FROM people_supervisee s WHERE s.id = OLD.supervisee_id
        {_UNIT_CONFLICT};
    END""",
    f"""CREATE TRIGGER xy_unit_hours_move AFTER UPDATE OF unit_id, caseworker_id, is_juvenile,
        is_sealed ON people_supervisee
    WHEN OLD.unit_id IS NOT NEW.unit_id OR COALESCE(OLD.caseworker_id, 0)
         IS NOT COALESCE(NEW.caseworker_id, 0) OR OLD.is_juvenile IS NOT NEW.is_juvenile
         OR OLD.is_sealed IS NOT NEW.is_sealed
    BEGIN
        {_UNIT_INSERT} SELECT {_PERSON_KEY.format(p="OLD")}, m.month, -m.study,
               -m.public_welfare, -m.volunteer
          FROM {MONTH_TABLE} m WHERE m.supervisee_id = OLD.id
        {_UNIT_CONFLICT};
        {_UNIT_INSERT} SELECT {_PERSON_KEY.format(p="NEW")}, m.month, m.study,
               m.public_welfare, m.volunteer
          FROM {MONTH_TABLE} m WHERE m.supervisee_id = NEW.id
        {_UNIT_CONFLICT};
    END""",
]
UNIT_SQLITE_DROP = ["DROP TRIGGER IF EXISTS xy_unit_hours_insert",
                    "DROP TRIGGER IF EXISTS xy_unit_hours_update",
                    "DROP TRIGGER IF EXISTS xy_unit_hours_delete",
                    "DROP TRIGGER IF EXISTS xy_unit_hours_move"]


def _unit_from_month_hours(vendor: str) -> str:
    return (f"SELECT {_S_KEY}, m.month, "
            + ", ".join(f"SUM(m.{c})" for c in UNIT_COLUMNS)
            + f" FROM {MONTH_TABLE} m JOIN people_supervisee s ON s.id = m.supervisee_id"
            f" GROUP BY {_S_KEY}, m.month")


# --- both ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rollup:
    table: str
    key: tuple[str, ...]
    columns: tuple[str, ...]  # summed columns compared by differences(); () for a set
    insert: str
    from_ledgers: object  # vendor -> SELECT of key + columns (or key + extra)
    postgres: str
    postgres_drop: str
    sqlite: list
    sqlite_drop: list
    # Tables rebuild() keeps from changing while it recomputes (PostgreSQL).
    sources: tuple[str, ...] = SOURCES
    # A row of zeros counts as no row (a table whose rows are moved between keys, such
    # as the units' hours, keeps the emptied ones).
    zero_is_none: bool = False


MONTH_HOURS = Rollup(MONTH_TABLE, ("supervisee_id", "month"), MONTH_COLUMNS, _MONTH_INSERT,
                     _month_from_ledgers, MONTH_POSTGRES, MONTH_POSTGRES_DROP, MONTH_SQLITE,
                     MONTH_SQLITE_DROP)
UNCONFIRMED = Rollup(WAITING_TABLE, ("entry_id",), (), _WAITING_INSERT,
                     _waiting_from_ledgers, WAITING_POSTGRES, WAITING_POSTGRES_DROP,
                     WAITING_SQLITE, WAITING_SQLITE_DROP)
UNIT_HOURS = Rollup(UNIT_TABLE, UNIT_KEY, UNIT_COLUMNS, _UNIT_INSERT, _unit_from_month_hours,
                    UNIT_POSTGRES, UNIT_POSTGRES_DROP, UNIT_SQLITE, UNIT_SQLITE_DROP,
                    sources=SOURCES + (MONTH_TABLE, "people_supervisee"), zero_is_none=True)
ROLLUPS = {r.table: r for r in (MONTH_HOURS, UNCONFIRMED, UNIT_HOURS)}

# Which tables an insert into each source writes as well (portal.privatecache retires the
# pages read from them too).
WRITTEN_BY_TRIGGERS = {
    "courses_studyhoursentry": (MONTH_TABLE, UNIT_TABLE),
    "volunteering_hoursentry": (MONTH_TABLE, WAITING_TABLE, UNIT_TABLE),
    "volunteering_hoursconfirmation": (MONTH_TABLE, WAITING_TABLE, UNIT_TABLE),
    MONTH_TABLE: (UNIT_TABLE,),
    "people_supervisee": (UNIT_TABLE,),
    # A job's number of skills (employment/migrations/0003_matches_job_skill_count.py).
    "employment_job_skills": ("employment_job",),
}


def install(rollup: Rollup, schema_editor) -> None:
    """Fill the table from the ledgers as they stand, then create its triggers."""
    connection = schema_editor.connection
    rebuild(rollup, connection)
    if connection.vendor == "postgresql":
        from portal.dbtools import run_script

        run_script(connection, rollup.postgres)
    else:
        with connection.cursor() as cursor:
            for statement in rollup.sqlite:
                cursor.execute(statement)


def uninstall(rollup: Rollup, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        from portal.dbtools import run_script

        run_script(connection, rollup.postgres_drop)
    else:
        with connection.cursor() as cursor:
            for statement in rollup.sqlite_drop:
                cursor.execute(statement)


def rebuild(rollup: Rollup, connection=None) -> None:
    """Recompute the table from the ledgers, in one transaction; on PostgreSQL the
    ledgers take no inserts meanwhile, so no entry is counted twice or missed."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {', '.join(rollup.sources)} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {rollup.table}")
        cursor.execute(f"{rollup.insert} {rollup.from_ledgers(connection.vendor)}")


def differences(rollup: Rollup, connection=None, limit: int = 100) -> list[dict]:
    """Rows of the table that differ from what the ledgers give (missing and extra rows
    included), at most `limit`; empty when they agree. Sums are compared to the cent."""
    connection = connection or default_connection
    key = rollup.key
    names = key + rollup.columns
    ledger = rollup.from_ledgers(connection.vendor)
    if not rollup.columns:  # a set of keys; the ledger query has extra columns
        ledger = f"SELECT {', '.join(key)} FROM ({ledger}) x"
        names = key
    on = " AND ".join(f"{{side}}.{k} = keys.{k}" for k in key)
    present = ", ".join(f"CASE WHEN {side}.{key[0]} IS NULL THEN 0 ELSE 1 END AS in_{side}"
                        for side in ("k", "l"))
    cols = "".join(f", ROUND(COALESCE(k.{c}, 0), 2) AS kept_{c}, "
                   f"ROUND(COALESCE(l.{c}, 0), 2) AS ledger_{c}" for c in rollup.columns)
    differ = " OR ".join(
        ([] if rollup.zero_is_none else [f"k.{key[0]} IS NULL", f"l.{key[0]} IS NULL"])
        + [f"ROUND(COALESCE(k.{c}, 0), 2) <> ROUND(COALESCE(l.{c}, 0), 2)"
           for c in rollup.columns])
    sql = f"""
        WITH l ({', '.join(names)}) AS ({ledger}),
             keys AS (SELECT {', '.join(key)} FROM l
                      UNION SELECT {', '.join(key)} FROM {rollup.table})
        SELECT {', '.join('keys.' + k for k in key)}, {present}{cols}
          FROM keys
          LEFT JOIN l ON {on.format(side='l')}
          LEFT JOIN {rollup.table} k ON {on.format(side='k')}
         WHERE {differ}
         ORDER BY {', '.join('keys.' + k for k in key)}
         LIMIT {int(limit)}"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        labels = [d[0] for d in cursor.description]
        rows = [dict(zip(labels, row, strict=True)) for row in cursor.fetchall()]
    for row in rows:
        for label, value in row.items():
            if label.startswith(("kept_", "ledger_")):
                row[label] = Decimal(str(value)).quantize(Decimal("0.01"))
    return rows
