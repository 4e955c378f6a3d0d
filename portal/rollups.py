"""Figures the database keeps beside the hours ledgers, so pages need not add them up.

Both ledgers are append-only (a correction is a new, often negative, entry; see
DOMAIN.md), so what is derived from them changes only when rows are added. Triggers on
`courses_studyhoursentry`, `volunteering_hoursentry` and `volunteering_hoursconfirmation`
keep two tables up to date in the same transaction as the insert itself, whichever code
inserts (a service, a bulk insert, COPY, a migration):

- `people_monthhours` (portal.people.models.MonthHours): one row per person and month with
  five sums: study hours, and public-welfare and volunteer-service hours both as recorded
  and as confirmed; and the courses the person completed that month (local time), kept by
  triggers on `courses_enrolment` (insert, update and delete: enrolments are no ledger).
  The caseload, the today list and the unit dashboard read one row per person and month
  rather than summing entries.
- `volunteering_unconfirmedhours` (volunteering.models.UnconfirmedHours): the entries not
  yet confirmed, one row each, added with the entry and removed with its confirmation.
  The work lists read what is waiting, not millions of confirmed entries.
- `people_unitmonthhours` (portal.people.models.UnitMonthHours): people_monthhours summed
  by the people's unit, caseworker, juvenile flag and sealed flag (all that decides who
  may see them), kept by triggers on people_monthhours and on the people's rows: a person
  who moves unit takes their months along. The unit dashboard reads a few hundred rows
  (the courses completed with the hours).
- `people_unitpeople` (portal.people.models.UnitPeople): the number of people and of their
  referrals still running by unit, caseworker, the two flags and status, kept by
  triggers on the people's rows and on `helpnet_referral`. The unit dashboard's head
  counts and open referrals.

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


def _month_from_ledgers(vendor: str, completions: bool = False) -> str:
    """people_monthhours as the ledgers give it (with the courses completed, by the month
    of completion, when `completions`)."""
    pw = "CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END"
    vol = "CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END"
    confirmed = "CASE WHEN c.id IS NULL THEN 0 ELSE {} END"
    none, total, completed = "", "", ""
    if completions:
        none, total = ", 0", ", SUM(completions)"
        completed = f"""
                UNION ALL
                SELECT n.supervisee_id, {_local_month(vendor, "n.completed_at")}, 0, 0, 0, 0,
                       0, 1
                  FROM {ENROLMENTS} n WHERE {_COUNTS.format(r="n")}"""
    return f"""
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed){total}
          FROM (SELECT s.supervisee_id AS supervisee_id,
                       {_month(vendor, "s.credited_on")} AS month,
                       s.hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed{none and ", 0 AS completions"}
                  FROM courses_studyhoursentry s
                UNION ALL
                SELECT e.supervisee_id, {_month(vendor, "e.service_date")}, 0, {pw},
                       {confirmed.format(pw)}, {vol}, {confirmed.format(vol)}{none}
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id{completed}) ledgers
         GROUP BY supervisee_id, month"""


# --- volunteering_unconfirmedhours ---------------------------------------------------------

WAITING_TABLE = "volunteering_unconfirmedhours"
# What a waiting row copies of its entry: its person and moment (migration volunteering
# 0005), and since 0006 its hours, kind, day and who recorded it.
WAITING_COPIED_V1 = ("supervisee_id", "recorded_at")
WAITING_COPIED = WAITING_COPIED_V1 + ("hours", "kind", "service_date", "organisation_id",
                                      "unit_id")


# Since 0008 also the person's unit, caseworker and flags as they are now (everything
# portal.access.scope_q decides visibility by), kept by a trigger on the people's rows: the
# today list finds a unit's waiting entries by unit rather than probing each person's.
PERSON_COPIED = ("unit_id", "caseworker_id", "is_juvenile", "is_sealed")
_PERSON_COLUMNS = tuple(f"person_{c}" for c in PERSON_COPIED)
_PERSON_CHANGED = (f"({', '.join('o.' + c for c in PERSON_COPIED)}) IS DISTINCT FROM "
                   f"({', '.join('n.' + c for c in PERSON_COPIED)})")


def _waiting_scripts(copied: tuple[str, ...], person: bool = False) -> dict:
    columns = copied + (_PERSON_COLUMNS if person else ())
    insert = f"INSERT INTO {WAITING_TABLE} (entry_id, {', '.join(columns)})"
    if person:
        added = (f"{_wait_for_people('xy_new')}\n    "
                 f"{insert} SELECT e.id, {', '.join('e.' + c for c in copied)}, "
                 f"{', '.join('s.' + c for c in PERSON_COPIED)}"
                 f" FROM xy_new e JOIN people_supervisee s ON s.id = e.supervisee_id;")
    else:
        added = f"{insert} SELECT id, {', '.join(copied)} FROM xy_new;"
    postgres = f"""
CREATE OR REPLACE FUNCTION xy_unconfirmed_add() RETURNS trigger AS $$
BEGIN
    {added}
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
    if person:
        postgres += f"""
CREATE OR REPLACE FUNCTION xy_unconfirmed_person() RETURNS trigger AS $$
BEGIN
    UPDATE {WAITING_TABLE} w SET {', '.join(f'person_{c} = n.{c}' for c in PERSON_COPIED)}
      FROM xy_old o JOIN xy_new n ON n.id = o.id
     WHERE w.supervisee_id = n.id AND {_PERSON_CHANGED};
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unconfirmed_person AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unconfirmed_person();
"""
    if person:
        sqlite_add = (f"{insert} SELECT NEW.id, {', '.join('NEW.' + c for c in copied)}, "
                      f"{', '.join('s.' + c for c in PERSON_COPIED)}"
                      f" FROM people_supervisee s WHERE s.id = NEW.supervisee_id;")
    else:
        sqlite_add = f"{insert} VALUES (NEW.id, {', '.join('NEW.' + c for c in copied)});"
    sqlite = [
        f"""CREATE TRIGGER xy_unconfirmed_add AFTER INSERT ON volunteering_hoursentry
    BEGIN
        {sqlite_add}
    END""",
        f"""CREATE TRIGGER xy_unconfirmed_remove AFTER INSERT ON volunteering_hoursconfirmation
    BEGIN
        DELETE FROM {WAITING_TABLE} WHERE entry_id = NEW.entry_id;
    END""",
    ]
    if person:
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PERSON_COPIED)
        sqlite.append(
            f"""CREATE TRIGGER xy_unconfirmed_person AFTER UPDATE OF {', '.join(PERSON_COPIED)}
        ON people_supervisee WHEN {changed}
    BEGIN
        UPDATE {WAITING_TABLE} SET {', '.join(f'person_{c} = NEW.{c}' for c in PERSON_COPIED)}
         WHERE supervisee_id = NEW.id;
    END""")

    def from_ledgers(vendor: str) -> str:
        if person:
            return f"""
        SELECT e.id AS entry_id, {', '.join('e.' + c for c in copied)},
               {', '.join('s.' + c for c in PERSON_COPIED)}
          FROM volunteering_hoursentry e JOIN people_supervisee s ON s.id = e.supervisee_id
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)"""
        return f"""
        SELECT e.id AS entry_id, {', '.join('e.' + c for c in copied)}
          FROM volunteering_hoursentry e
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)"""

    return {"insert": insert, "postgres": postgres, "sqlite": sqlite,
            "from_ledgers": from_ledgers}


WAITING_POSTGRES_DROP = """
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursentry;
DROP TRIGGER IF EXISTS xy_unconfirmed ON volunteering_hoursconfirmation;
DROP TRIGGER IF EXISTS xy_unconfirmed_person ON people_supervisee;
DROP FUNCTION IF EXISTS xy_unconfirmed_add();
DROP FUNCTION IF EXISTS xy_unconfirmed_remove();
DROP FUNCTION IF EXISTS xy_unconfirmed_person();
"""
WAITING_SQLITE_DROP = ["DROP TRIGGER IF EXISTS xy_unconfirmed_add",
                       "DROP TRIGGER IF EXISTS xy_unconfirmed_remove",
                       "DROP TRIGGER IF EXISTS xy_unconfirmed_person"]


def stale_person_copies(connection=None, limit: int = 100) -> list[tuple]:
    """Waiting rows whose copy of their person's unit, caseworker or flags is not the
    person's now: (entry id, person id), at most `limit`; empty when all agree."""
    connection = connection or default_connection
    differ = " OR ".join(f"w.person_{c} IS DISTINCT FROM s.{c}" if connection.vendor
                         == "postgresql" else f"w.person_{c} IS NOT s.{c}"
                         for c in PERSON_COPIED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT w.entry_id, w.supervisee_id FROM {WAITING_TABLE} w"
                       f" JOIN people_supervisee s ON s.id = w.supervisee_id WHERE {differ}"
                       f" ORDER BY w.entry_id LIMIT {int(limit)}")
        return cursor.fetchall()


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
UNIT_COLUMNS_V1 = ("study", "public_welfare", "volunteer")
UNIT_COLUMNS = UNIT_COLUMNS_V1 + ("completions",)
_PERSON_KEY = "{p}.unit_id, COALESCE({p}.caseworker_id, 0), {p}.is_juvenile, {p}.is_sealed"
_S_KEY = _PERSON_KEY.format(p="s")
_CHANGED = ("(o.unit_id, COALESCE(o.caseworker_id, 0), o.is_juvenile, o.is_sealed) IS DISTINCT "
            "FROM (n.unit_id, COALESCE(n.caseworker_id, 0), n.is_juvenile, n.is_sealed)")


def _wait_for_people(rows: str) -> str:
    """Wait for any change of these people's unit, caseworker or flags to commit, and read
    their rows as committed then (a move moves only the months it can see)."""
    return (f"PERFORM 1 FROM people_supervisee WHERE id IN (SELECT supervisee_id FROM {rows})"
            "\n      ORDER BY id FOR SHARE;")


def _unit_scripts(columns: tuple[str, ...]) -> dict:
    """The unit roll-up's statements and triggers summing `columns` of people_monthhours
    (UNIT_COLUMNS_V1 as migration people.0004 made them; UNIT_COLUMNS since 0006)."""
    insert = f"INSERT INTO {UNIT_TABLE} ({', '.join(UNIT_KEY + columns)})"
    conflict = (f"ON CONFLICT ({', '.join(UNIT_KEY)}) DO UPDATE SET "
                + ", ".join(f"{c} = {UNIT_TABLE}.{c} + excluded.{c}" for c in columns))

    def delta(rows: str, sign: str) -> str:
        """(key, month, sums) of `rows` (people_monthhours rows aliased m, each joined to
        its person s), the sums with `sign`."""
        return (f"SELECT {_S_KEY}, m.month, "
                + ", ".join(f"{sign}m.{c}" for c in columns) + f" FROM {rows}")

    def grouped(deltas: str) -> str:
        return (f"{insert} SELECT {', '.join(UNIT_KEY)}, "
                + ", ".join(f"SUM({c})" for c in columns)
                + f" FROM ({deltas}) d ({', '.join(UNIT_KEY + columns)})"
                f" GROUP BY {', '.join(UNIT_KEY)} ORDER BY {', '.join(UNIT_KEY)} {conflict};")

    def moved(side: str, sign: str) -> str:
        return (f"SELECT {_PERSON_KEY.format(p=side)}, m.month, "
                + ", ".join(f"{sign}m.{c}" for c in columns)
                + f" FROM xy_old o JOIN xy_new n ON n.id = o.id"
                f" JOIN {MONTH_TABLE} m ON m.supervisee_id = o.id WHERE {_CHANGED}")

    postgres = f"""
CREATE OR REPLACE FUNCTION xy_unit_hours_added() RETURNS trigger AS $$
BEGIN
    {_wait_for_people('xy_new')}
    {grouped(delta("xy_new m JOIN people_supervisee s ON s.id = m.supervisee_id", ""))}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON {MONTH_TABLE}
    REFERENCING NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_added();

CREATE OR REPLACE FUNCTION xy_unit_hours_changed() RETURNS trigger AS $$
BEGIN
    {_wait_for_people('xy_new')}
    {grouped(
        f"SELECT {_S_KEY}, m.month, "
        + ", ".join(f"m.{c} - o.{c}" for c in columns)
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
    {grouped(delta("xy_old m JOIN people_supervisee s ON s.id = m.supervisee_id", "-"))}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON {MONTH_TABLE}
    REFERENCING OLD TABLE AS xy_old
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_removed();

CREATE OR REPLACE FUNCTION xy_unit_hours_moved() RETURNS trigger AS $$
BEGIN
    {grouped(moved("o", "-") + " UNION ALL " + moved("n", ""))}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_unit_hours_move AFTER UPDATE ON people_supervisee
    REFERENCING OLD TABLE AS xy_old NEW TABLE AS xy_new
    FOR EACH STATEMENT EXECUTE FUNCTION xy_unit_hours_moved();
"""

    def values(row: str, sign: str = "", minus: str | None = None) -> str:
        if minus is not None:
            return ", ".join(f"{row}.{c} - {minus}.{c}" for c in columns)
        return ", ".join(f"{sign}{row}.{c}" for c in columns)

    sqlite = [
        f"""CREATE TRIGGER xy_unit_hours_insert AFTER INSERT ON {MONTH_TABLE}
    BEGIN
        {insert} SELECT {_S_KEY}, NEW.month, {values("NEW")}
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        {conflict};
    END""",
        f"""CREATE TRIGGER xy_unit_hours_update AFTER UPDATE ON {MONTH_TABLE}
    BEGIN
        {insert} SELECT {_S_KEY}, NEW.month, {values("NEW", minus="OLD")}
          FROM people_supervisee s WHERE s.id = NEW.supervisee_id
        {conflict};
    END""",
        f"""CREATE TRIGGER xy_unit_hours_delete AFTER DELETE ON {MONTH_TABLE}
    BEGIN
        {insert} SELECT {_S_KEY}, OLD.month, {values("OLD", "-")}
          FROM people_supervisee s WHERE s.id = OLD.supervisee_id
        {conflict};
    END""",
        f"""CREATE TRIGGER xy_unit_hours_move AFTER UPDATE OF unit_id, caseworker_id, is_juvenile,
        is_sealed ON people_supervisee
    WHEN OLD.unit_id IS NOT NEW.unit_id OR COALESCE(OLD.caseworker_id, 0)
         IS NOT COALESCE(NEW.caseworker_id, 0) OR OLD.is_juvenile IS NOT NEW.is_juvenile
         OR OLD.is_sealed IS NOT NEW.is_sealed
    BEGIN
        {insert} SELECT {_PERSON_KEY.format(p="OLD")}, m.month, {values("m", "-")}
          FROM {MONTH_TABLE} m WHERE m.supervisee_id = OLD.id
        {conflict};
        {insert} SELECT {_PERSON_KEY.format(p="NEW")}, m.month, {values("m")}
          FROM {MONTH_TABLE} m WHERE m.supervisee_id = NEW.id
        {conflict};
    END""",
    ]

    def from_month_hours(vendor: str) -> str:
        return (f"SELECT {_S_KEY}, m.month, "
                + ", ".join(f"SUM(m.{c})" for c in columns)
                + f" FROM {MONTH_TABLE} m JOIN people_supervisee s ON s.id = m.supervisee_id"
                f" GROUP BY {_S_KEY}, m.month")

    return {"insert": insert, "postgres": postgres, "sqlite": sqlite,
            "from_month_hours": from_month_hours}


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
UNIT_SQLITE_DROP = ["DROP TRIGGER IF EXISTS xy_unit_hours_insert",
                    "DROP TRIGGER IF EXISTS xy_unit_hours_update",
                    "DROP TRIGGER IF EXISTS xy_unit_hours_delete",
                    "DROP TRIGGER IF EXISTS xy_unit_hours_move"]


# --- people_unitpeople -----------------------------------------------------------------------
#
# The number of people, and of their referrals still running, with the same unit,
# caseworker, juvenile flag, sealed flag and status (everything portal.access.scope_q
# decides visibility by, and the status the figures are counted by): the unit dashboard
# reads a few dozen of these rows rather than every person of the unit and a probe of the
# referrals for each. Kept by triggers on the people's rows (a person added, removed, or
# moved to another key takes their referrals along) and on the referrals (added,
# removed, closed or reopened, or moved to another person).

PEOPLE_TABLE = "people_unitpeople"
PEOPLE_KEY = ("unit_id", "caseworker_id", "is_juvenile", "is_sealed", "status")
PEOPLE_COLUMNS = ("people", "open_referrals")
REFERRALS = "helpnet_referral"
# helpnet.models.FINAL_REFERRAL_STATUSES (tests/people/test_people_rollup.py holds
# the two the same): a referral with any other status is still running.
FINAL_REFERRAL = ("closed", "declined", "withdrawn", "consent_declined")
_RUNNING = ("{r}.status NOT IN (" + ", ".join(f"'{v}'" for v in FINAL_REFERRAL) + ")")
_P_KEY = ("{p}.unit_id, COALESCE({p}.caseworker_id, 0), {p}.is_juvenile, {p}.is_sealed, "
          "{p}.status")
_P_CHANGED = (f"({_P_KEY.format(p='o')}) IS DISTINCT FROM ({_P_KEY.format(p='n')})")
_PEOPLE_INSERT = f"INSERT INTO {PEOPLE_TABLE} ({', '.join(PEOPLE_KEY + PEOPLE_COLUMNS)})"
_PEOPLE_CONFLICT = (f"ON CONFLICT ({', '.join(PEOPLE_KEY)}) DO UPDATE SET "
                    + ", ".join(f"{c} = {PEOPLE_TABLE}.{c} + excluded.{c}"
                                for c in PEOPLE_COLUMNS))


def _running_of(person: str) -> str:
    """The number of `person`'s referrals still running."""
    return (f"(SELECT COUNT(*) FROM {REFERRALS} r WHERE r.supervisee_id = {person}"
            f" AND {_RUNNING.format(r='r')})")


def _people_grouped(deltas: str) -> str:
    key = ", ".join(PEOPLE_KEY)
    return (f"{_PEOPLE_INSERT} SELECT {key}, SUM(people), SUM(open_referrals)"
            f" FROM ({deltas}) d ({', '.join(PEOPLE_KEY + PEOPLE_COLUMNS)})"
            f" GROUP BY {key} HAVING SUM(people) <> 0 OR SUM(open_referrals) <> 0"
            f" ORDER BY {key} {_PEOPLE_CONFLICT};")


def _person_rows(rows: str, alias: str, sign: str) -> str:
    return (f"SELECT {_P_KEY.format(p=alias)}, {sign}1, {sign}{_running_of(alias + '.id')}"
            f" FROM {rows} {alias}")


def _referral_rows(rows: str, sign: str) -> str:
    return (f"SELECT {_P_KEY.format(p='s')}, 0, {sign}1 FROM {rows} r"
            f" JOIN people_supervisee s ON s.id = r.supervisee_id"
            f" WHERE {_RUNNING.format(r='r')}")


def _statement_trigger(name: str, event: str, table: str, body: str) -> str:
    """A PostgreSQL function xy_<name>() running `body`, and the trigger xy_<name> calling
    it once per statement `event` on `table`, with the statement's old and new rows as
    the tables xy_old and xy_new."""
    referencing = {"INSERT": "NEW TABLE AS xy_new", "DELETE": "OLD TABLE AS xy_old",
                   "UPDATE": "OLD TABLE AS xy_old NEW TABLE AS xy_new"}[event]
    return f"""
CREATE OR REPLACE FUNCTION xy_{name}() RETURNS trigger AS $$
BEGIN
    {body}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_{name} AFTER {event} ON {table}
    REFERENCING {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION xy_{name}();
"""


_changed_people = f"xy_old o JOIN xy_new n ON n.id = o.id WHERE {_P_CHANGED}"
_both_referrals = ("(SELECT supervisee_id FROM xy_old UNION SELECT supervisee_id FROM xy_new)"
                   " AS both_")
PEOPLE_POSTGRES = "".join([
    _statement_trigger("unit_people_insert", "INSERT", "people_supervisee",
                       _people_grouped(_person_rows("xy_new", "n", ""))),
    _statement_trigger("unit_people_update", "UPDATE", "people_supervisee", _people_grouped(
        f"SELECT {_P_KEY.format(p='o')}, -1, -{_running_of('o.id')} FROM {_changed_people}"
        f" UNION ALL SELECT {_P_KEY.format(p='n')}, 1, {_running_of('n.id')}"
        f" FROM {_changed_people}")),
    _statement_trigger("unit_people_delete", "DELETE", "people_supervisee",
                       _people_grouped(_person_rows("xy_old", "o", "-"))),
    _statement_trigger("unit_referrals_insert", "INSERT", REFERRALS,
                       f"{_wait_for_people('xy_new')}\n    "
                       + _people_grouped(_referral_rows("xy_new", ""))),
    _statement_trigger("unit_referrals_update", "UPDATE", REFERRALS,
                       f"{_wait_for_people(_both_referrals)}\n    "
                       + _people_grouped(_referral_rows("xy_old", "-") + " UNION ALL "
                                         + _referral_rows("xy_new", ""))),
    _statement_trigger("unit_referrals_delete", "DELETE", REFERRALS,
                       f"{_wait_for_people('xy_old')}\n    "
                       + _people_grouped(_referral_rows("xy_old", "-"))),
])
PEOPLE_POSTGRES_DROP = "".join(
    f"DROP TRIGGER IF EXISTS xy_unit_{name} ON {table};\n"
    f"DROP FUNCTION IF EXISTS xy_unit_{name}();\n"
    for name, table in (("people_insert", "people_supervisee"),
                        ("people_update", "people_supervisee"),
                        ("people_delete", "people_supervisee"),
                        ("referrals_insert", REFERRALS), ("referrals_update", REFERRALS),
                        ("referrals_delete", REFERRALS)))


def _sqlite_person(row: str, sign: str) -> str:
    return (f"{_PEOPLE_INSERT} SELECT {_P_KEY.format(p=row)}, {sign}1,"
            f" {sign}{_running_of(row + '.id')} WHERE true {_PEOPLE_CONFLICT};")


def _sqlite_referral(row: str, sign: str) -> str:
    return (f"{_PEOPLE_INSERT} SELECT {_P_KEY.format(p='s')}, 0, {sign}1"
            f" FROM people_supervisee s WHERE s.id = {row}.supervisee_id"
            f" AND {_RUNNING.format(r=row)} {_PEOPLE_CONFLICT};")


PEOPLE_SQLITE = [
    f"CREATE TRIGGER xy_unit_people_insert AFTER INSERT ON people_supervisee"
    f" BEGIN {_sqlite_person('NEW', '')} END",
    f"""CREATE TRIGGER xy_unit_people_update AFTER UPDATE OF unit_id, caseworker_id,
        is_juvenile, is_sealed, status ON people_supervisee
    WHEN OLD.unit_id IS NOT NEW.unit_id OR COALESCE(OLD.caseworker_id, 0)
         IS NOT COALESCE(NEW.caseworker_id, 0) OR OLD.is_juvenile IS NOT NEW.is_juvenile
         OR OLD.is_sealed IS NOT NEW.is_sealed OR OLD.status IS NOT NEW.status
    BEGIN {_sqlite_person('OLD', '-')} {_sqlite_person('NEW', '')} END""",
    f"CREATE TRIGGER xy_unit_people_delete AFTER DELETE ON people_supervisee"
    f" BEGIN {_sqlite_person('OLD', '-')} END",
    f"CREATE TRIGGER xy_unit_referrals_insert AFTER INSERT ON {REFERRALS}"
    f" BEGIN {_sqlite_referral('NEW', '')} END",
    f"CREATE TRIGGER xy_unit_referrals_update AFTER UPDATE OF status, supervisee_id"
    f" ON {REFERRALS} BEGIN {_sqlite_referral('OLD', '-')} {_sqlite_referral('NEW', '')} END",
    f"CREATE TRIGGER xy_unit_referrals_delete AFTER DELETE ON {REFERRALS}"
    f" BEGIN {_sqlite_referral('OLD', '-')} END",
]
PEOPLE_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS xy_unit_{name}" for name in (
    "people_insert", "people_update", "people_delete", "referrals_insert",
    "referrals_update", "referrals_delete")]


def _people_from_rows(vendor: str) -> str:
    return (f"SELECT {_P_KEY.format(p='s')}, COUNT(*), COALESCE(SUM(o.n), 0)"
            f" FROM people_supervisee s LEFT JOIN (SELECT r.supervisee_id, COUNT(*) AS n"
            f" FROM {REFERRALS} r WHERE {_RUNNING.format(r='r')} GROUP BY r.supervisee_id) o"
            f" ON o.supervisee_id = s.id GROUP BY {_P_KEY.format(p='s')}")


# --- completed courses in people_monthhours -------------------------------------------------
#
# Since migration people.0006 a person's month also counts the courses they completed in it
# (courses_enrolment rows with status "completed", by the month of completed_at in the
# portal's time zone), so the unit dashboard reads completions from the units' months too.
# Enrolments change (they are no ledger): the triggers add what a row counts after the
# change and take away what it counted before; a take-away only updates a month already
# there (a person being deleted takes their months and enrolments together, in any order).

ENROLMENTS = "courses_enrolment"
_COUNTS = "{r}.status = 'completed' AND {r}.completed_at IS NOT NULL"


def _local_month(vendor: str, column: str) -> str:
    """The first day of the month, in settings.TIME_ZONE, of the moment `column`."""
    from django.conf import settings

    if vendor == "postgresql":
        zone = settings.TIME_ZONE.replace("'", "")
        return f"date_trunc('month', {column} AT TIME ZONE '{zone}')::date"
    # SQLite keeps moments as UTC text; 'localtime' is the process's zone, which Django
    # sets to TIME_ZONE.
    return f"date({column}, 'localtime', 'start of month')"


_COMPLETIONS_INSERT = (f"INSERT INTO {MONTH_TABLE} (supervisee_id, month, "
                       f"{', '.join(MONTH_COLUMNS)}, completions)")


def _completions_postgres() -> str:
    def body(parts: list[str]) -> str:
        deltas = " UNION ALL ".join(parts)
        changes = (f"SELECT supervisee_id, month, SUM(n) AS n FROM ({deltas}) x"
                   " GROUP BY supervisee_id, month HAVING SUM(n) <> 0")
        zeros = ", ".join("0" for _c in MONTH_COLUMNS)
        return f"""
    {_COMPLETIONS_INSERT}
    SELECT supervisee_id, month, {zeros}, n FROM ({changes}) d WHERE n > 0 ORDER BY 1, 2
    ON CONFLICT (supervisee_id, month)
        DO UPDATE SET completions = {MONTH_TABLE}.completions + EXCLUDED.completions;
    UPDATE {MONTH_TABLE} m SET completions = m.completions + d.n
      FROM ({changes}) d
     WHERE d.n < 0 AND m.supervisee_id = d.supervisee_id AND m.month = d.month;"""

    def counted(table: str, n: str) -> str:
        return (f"SELECT supervisee_id, {_local_month('postgresql', 'completed_at')} AS month, "
                f"{n} AS n FROM {table} WHERE {_COUNTS.format(r=table)}")

    added, removed = counted("xy_new", "1"), counted("xy_old", "-1")

    def trigger(name: str, event: str, referencing: str, parts: list[str]) -> str:
        return f"""
CREATE OR REPLACE FUNCTION xy_month_completions_{name}() RETURNS trigger AS $$
BEGIN{body(parts)}
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER xy_month_completions_{event.lower()} AFTER {event} ON {ENROLMENTS}
    REFERENCING {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION xy_month_completions_{name}();
"""

    return (trigger("added", "INSERT", "NEW TABLE AS xy_new", [added])
            + trigger("changed", "UPDATE", "OLD TABLE AS xy_old NEW TABLE AS xy_new",
                      [added, removed])
            + trigger("removed", "DELETE", "OLD TABLE AS xy_old", [removed]))


COMPLETIONS_POSTGRES_DROP = f"""
DROP TRIGGER IF EXISTS xy_month_completions_insert ON {ENROLMENTS};
DROP TRIGGER IF EXISTS xy_month_completions_update ON {ENROLMENTS};
DROP TRIGGER IF EXISTS xy_month_completions_delete ON {ENROLMENTS};
DROP FUNCTION IF EXISTS xy_month_completions_added();
DROP FUNCTION IF EXISTS xy_month_completions_changed();
DROP FUNCTION IF EXISTS xy_month_completions_removed();
"""


def _completions_sqlite() -> list[str]:
    zeros = ", ".join("0" for _c in MONTH_COLUMNS)
    month = {r: _local_month("sqlite", f"{r}.completed_at") for r in ("NEW", "OLD")}
    add = (f"{_COMPLETIONS_INSERT} SELECT NEW.supervisee_id, {month['NEW']}, {zeros}, 1"
           f" WHERE {_COUNTS.format(r='NEW')}"
           " ON CONFLICT (supervisee_id, month) DO UPDATE SET completions = completions + 1;")
    take = (f"UPDATE {MONTH_TABLE} SET completions = completions - 1"
            f" WHERE {_COUNTS.format(r='OLD')} AND supervisee_id = OLD.supervisee_id"
            f" AND month = {month['OLD']};")
    return [
        f"CREATE TRIGGER xy_month_completions_insert AFTER INSERT ON {ENROLMENTS}"
        f" BEGIN {add} END",
        f"CREATE TRIGGER xy_month_completions_update AFTER UPDATE OF status, completed_at,"
        f" supervisee_id ON {ENROLMENTS} BEGIN {take} {add} END",
        f"CREATE TRIGGER xy_month_completions_delete AFTER DELETE ON {ENROLMENTS}"
        f" BEGIN {take} END",
    ]


COMPLETIONS_SQLITE_DROP = ["DROP TRIGGER IF EXISTS xy_month_completions_insert",
                           "DROP TRIGGER IF EXISTS xy_month_completions_update",
                           "DROP TRIGGER IF EXISTS xy_month_completions_delete"]


def _month_with_completions_from_ledgers(vendor: str) -> str:
    return _month_from_ledgers(vendor, completions=True)


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


# As migration people.0003 made it (the hours alone), for that migration.
MONTH_HOURS_V1 = Rollup(MONTH_TABLE, ("supervisee_id", "month"), MONTH_COLUMNS, _MONTH_INSERT,
                        _month_from_ledgers, MONTH_POSTGRES, MONTH_POSTGRES_DROP, MONTH_SQLITE,
                        MONTH_SQLITE_DROP)
# Since people.0006: the hours and the courses completed.
MONTH_HOURS = Rollup(MONTH_TABLE, ("supervisee_id", "month"), MONTH_COLUMNS + ("completions",),
                     _COMPLETIONS_INSERT, _month_with_completions_from_ledgers,
                     MONTH_POSTGRES + _completions_postgres(),
                     MONTH_POSTGRES_DROP + COMPLETIONS_POSTGRES_DROP,
                     MONTH_SQLITE + _completions_sqlite(),
                     MONTH_SQLITE_DROP + COMPLETIONS_SQLITE_DROP,
                     sources=SOURCES + (ENROLMENTS,), zero_is_none=True)


def _waiting_rollup(copied: tuple[str, ...], columns: tuple[str, ...],
                    person: bool = False) -> Rollup:
    scripts = _waiting_scripts(copied, person)
    return Rollup(WAITING_TABLE, ("entry_id",), columns, scripts["insert"],
                  scripts["from_ledgers"], scripts["postgres"], WAITING_POSTGRES_DROP,
                  scripts["sqlite"], WAITING_SQLITE_DROP,
                  sources=SOURCES + (("people_supervisee",) if person else ()))


# As migration volunteering.0005 made it, for that migration; since 0006 with the entry's
# figures copied with it (the check compares which entries wait; the copies come from an
# append-only ledger, and tests/volunteering hold them to their entries); since 0008 with
# the person's unit, caseworker and flags (stale_person_copies checks those).
UNCONFIRMED_V1 = _waiting_rollup(WAITING_COPIED_V1, ())
UNCONFIRMED_V2 = _waiting_rollup(WAITING_COPIED, ())
UNCONFIRMED = _waiting_rollup(WAITING_COPIED, (), person=True)


def _unit_rollup(columns: tuple[str, ...], month: Rollup) -> Rollup:
    scripts = _unit_scripts(columns)
    return Rollup(UNIT_TABLE, UNIT_KEY, columns, scripts["insert"], scripts["from_month_hours"],
                  scripts["postgres"], UNIT_POSTGRES_DROP, scripts["sqlite"], UNIT_SQLITE_DROP,
                  sources=month.sources + (MONTH_TABLE, "people_supervisee"),
                  zero_is_none=True)


# As migration people.0004 made it, for that migration; since people.0006 with completions.
UNIT_HOURS_V1 = _unit_rollup(UNIT_COLUMNS_V1, MONTH_HOURS_V1)
UNIT_HOURS = _unit_rollup(UNIT_COLUMNS, MONTH_HOURS)
# Since people.0007.
UNIT_PEOPLE = Rollup(PEOPLE_TABLE, PEOPLE_KEY, PEOPLE_COLUMNS, _PEOPLE_INSERT,
                     _people_from_rows, PEOPLE_POSTGRES, PEOPLE_POSTGRES_DROP, PEOPLE_SQLITE,
                     PEOPLE_SQLITE_DROP, sources=("people_supervisee", REFERRALS),
                     zero_is_none=True)
ROLLUPS = {r.table: r for r in (MONTH_HOURS, UNCONFIRMED, UNIT_HOURS, UNIT_PEOPLE)}

# Which tables an insert into each source writes as well (portal.privatecache retires the
# pages read from them too).
WRITTEN_BY_TRIGGERS = {
    "courses_studyhoursentry": (MONTH_TABLE, UNIT_TABLE),
    "volunteering_hoursentry": (MONTH_TABLE, WAITING_TABLE, UNIT_TABLE),
    "volunteering_hoursconfirmation": (MONTH_TABLE, WAITING_TABLE, UNIT_TABLE),
    MONTH_TABLE: (UNIT_TABLE,),
    "people_supervisee": (UNIT_TABLE, PEOPLE_TABLE, WAITING_TABLE),
    REFERRALS: (PEOPLE_TABLE,),
    ENROLMENTS: (MONTH_TABLE, UNIT_TABLE),
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
