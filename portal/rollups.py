"""Roll-up tables: figures the database keeps beside the records they are derived from, so
pages read a few rows instead of adding up thousands.

Triggers keep each table in the same transaction as the write that changes it, whoever
writes (a service, a bulk insert, COPY, a migration). The triggers themselves are defined
in the migrations named below, which hold their SQL; this module keeps what the code needs
to know about them:

- `ROLLUPS`: each table, its key, the tables whose triggers write it, and the SELECT that
  computes its rows from those tables. `differences()` compares the table with that SELECT
  and `rebuild()` refills it from it: `manage.py rollups --check` (a nightly job) and
  `--rebuild` (after a cause is found).
- `OTHER_KEPT`: a column kept by triggers that is no roll-up table (not checked here).
- tests/people/test_trigger_registry.py holds these registries to the triggers the
  database has.

The tables:

- people_monthhours (portal.people.models.MonthHours): per person and month, study hours,
  public-welfare and volunteer-service hours as recorded and as confirmed, and the courses
  completed that month in the portal's time zone. Kept from both hours ledgers, the
  confirmations and the enrolments (people 0003, 0006).
- volunteering_unconfirmedhours (volunteering.models.UnconfirmedHours): one row per hours
  entry not yet confirmed, with the entry's figures and its person's unit, caseworker and
  flags as they are now (volunteering 0005, 0007, 0009). The work lists read what is
  waiting, not the whole ledger. `stale_person_copies()` checks the copied person fields.
- people_unitmonthhours (portal.people.models.UnitMonthHours): people_monthhours summed by
  the person's unit, caseworker, juvenile flag and sealed flag (what visibility depends on);
  a person who moves takes their months along (people 0004, 0006).
- people_unitpeople (portal.people.models.UnitPeople): the number of people and of their
  referrals still running by unit, caseworker, the two flags and status (people 0007).

The ledgers are append-only (docs/domain.md rule 7), so hours roll-ups only ever grow by new rows; a
correction is a new, often negative, entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection as default_connection
from django.db import transaction

# helpnet.models.FINAL_REFERRAL_STATUSES as the people_unitpeople triggers spell them
# (tests/people/test_people_rollup.py holds the two the same): any other status is running.
FINAL_REFERRAL = ("closed", "declined", "withdrawn", "consent_declined")


def _month(vendor: str, column: str) -> str:
    """The first day of the month of the date `column`."""
    if vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _local_month(vendor: str, column: str) -> str:
    """The first day of the month, in settings.TIME_ZONE, of the moment `column`."""
    if vendor == "postgresql":
        return f"date_trunc('month', {column} AT TIME ZONE '{settings.TIME_ZONE}')::date"
    # SQLite keeps moments as UTC text; 'localtime' is the process's zone, which Django
    # sets to TIME_ZONE.
    return f"date({column}, 'localtime', 'start of month')"


def _month_hours(vendor: str) -> str:
    return f"""
        SELECT supervisee_id, month, SUM(study), SUM(public_welfare),
               SUM(public_welfare_confirmed), SUM(volunteer), SUM(volunteer_confirmed),
               SUM(completions)
          FROM (SELECT supervisee_id, {_month(vendor, "credited_on")} AS month,
                       hours AS study, 0 AS public_welfare, 0 AS public_welfare_confirmed,
                       0 AS volunteer, 0 AS volunteer_confirmed, 0 AS completions
                  FROM courses_studyhoursentry
                UNION ALL
                SELECT e.supervisee_id, {_month(vendor, "e.service_date")}, 0,
                       CASE WHEN e.kind = 'public_welfare' THEN e.hours ELSE 0 END,
                       CASE WHEN e.kind = 'public_welfare' AND c.id IS NOT NULL
                            THEN e.hours ELSE 0 END,
                       CASE WHEN e.kind = 'volunteer_service' THEN e.hours ELSE 0 END,
                       CASE WHEN e.kind = 'volunteer_service' AND c.id IS NOT NULL
                            THEN e.hours ELSE 0 END,
                       0
                  FROM volunteering_hoursentry e
                  LEFT JOIN volunteering_hoursconfirmation c ON c.entry_id = e.id
                UNION ALL
                SELECT supervisee_id, {_local_month(vendor, "completed_at")}, 0, 0, 0, 0, 0, 1
                  FROM courses_enrolment
                 WHERE status = 'completed' AND completed_at IS NOT NULL) sources
         GROUP BY supervisee_id, month"""


def _unconfirmed_hours(vendor: str) -> str:
    return """
        SELECT e.id, e.supervisee_id, e.recorded_at, e.hours, e.kind, e.service_date,
               e.organisation_id, e.unit_id,
               s.unit_id, s.caseworker_id, s.is_juvenile, s.is_sealed
          FROM volunteering_hoursentry e
          JOIN people_supervisee s ON s.id = e.supervisee_id
         WHERE NOT EXISTS (SELECT 1 FROM volunteering_hoursconfirmation c
                            WHERE c.entry_id = e.id)"""


def _unit_month_hours(vendor: str) -> str:
    return """
        SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, m.month,
               SUM(m.study), SUM(m.public_welfare), SUM(m.volunteer), SUM(m.completions)
          FROM people_monthhours m
          JOIN people_supervisee s ON s.id = m.supervisee_id
         GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed,
                  m.month"""


def _unit_people(vendor: str) -> str:
    final = ", ".join(f"'{status}'" for status in FINAL_REFERRAL)
    return f"""
        SELECT s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed, s.status,
               COUNT(*), COALESCE(SUM(r.running), 0)
          FROM people_supervisee s
          LEFT JOIN (SELECT supervisee_id, COUNT(*) AS running FROM helpnet_referral
                      WHERE status NOT IN ({final})
                      GROUP BY supervisee_id) r ON r.supervisee_id = s.id
         GROUP BY s.unit_id, COALESCE(s.caseworker_id, 0), s.is_juvenile, s.is_sealed,
                  s.status"""


@dataclass(frozen=True)
class Rollup:
    table: str
    key: tuple[str, ...]
    # Summed columns the check compares; () where only which keys exist matters.
    columns: tuple[str, ...]
    # Further columns rebuild() fills (copies the check does not compare).
    copied: tuple[str, ...]
    # vendor -> SELECT of key + columns + copied, from the tables it is kept from.
    from_sources: Callable[[str], str]
    # The tables whose triggers write it; rebuild() locks them on PostgreSQL.
    kept_from: tuple[str, ...]
    # A row of zeros counts as no row (keys that people move away from keep theirs).
    zero_is_none: bool = False

    @property
    def all_columns(self) -> tuple[str, ...]:
        return self.key + self.columns + self.copied


MONTH_HOURS = Rollup(
    "people_monthhours", ("supervisee_id", "month"),
    ("study", "public_welfare", "public_welfare_confirmed", "volunteer", "volunteer_confirmed",
     "completions"), (),
    _month_hours,
    ("courses_studyhoursentry", "volunteering_hoursentry", "volunteering_hoursconfirmation",
     "courses_enrolment"),
    zero_is_none=True)
UNCONFIRMED = Rollup(
    "volunteering_unconfirmedhours", ("entry_id",), (),
    ("supervisee_id", "recorded_at", "hours", "kind", "service_date", "organisation_id",
     "unit_id", "person_unit_id", "person_caseworker_id", "person_is_juvenile",
     "person_is_sealed"),
    _unconfirmed_hours,
    ("volunteering_hoursentry", "volunteering_hoursconfirmation", "people_supervisee"))
UNIT_HOURS = Rollup(
    "people_unitmonthhours", ("unit_id", "caseworker_id", "is_juvenile", "is_sealed", "month"),
    ("study", "public_welfare", "volunteer", "completions"), (),
    _unit_month_hours,
    ("people_monthhours", "people_supervisee"),
    zero_is_none=True)
UNIT_PEOPLE = Rollup(
    "people_unitpeople", ("unit_id", "caseworker_id", "is_juvenile", "is_sealed", "status"),
    ("people", "open_referrals"), (),
    _unit_people,
    ("people_supervisee", "helpnet_referral"),
    zero_is_none=True)

# In the order --rebuild refills them: the units' months are summed from the people's.
ROLLUPS = {r.table: r for r in (MONTH_HOURS, UNCONFIRMED, UNIT_HOURS, UNIT_PEOPLE)}

# Columns kept by triggers outside the roll-up tables: {table: tables whose triggers write
# it}. employment_job.skill_count, the number of a job's skills (employment 0003).
OTHER_KEPT = {"employment_job": ("employment_job_skills",)}


def rebuild(rollup: Rollup, connection=None) -> None:
    """Refill the table from the tables it is kept from, in one transaction; on PostgreSQL
    those take no writes meanwhile, so nothing is counted twice or missed."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {', '.join(rollup.kept_from)} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {rollup.table}")
        cursor.execute(f"INSERT INTO {rollup.table} ({', '.join(rollup.all_columns)})"
                       f" {rollup.from_sources(connection.vendor)}")


def differences(rollup: Rollup, connection=None, limit: int = 100) -> list[dict]:
    """Rows of the table that differ from what its sources give, at most `limit`; empty
    when they agree. Each row has the key, in_k and in_l (1 if the key is in the kept
    table, in the sources) and kept_<column> and ledger_<column>, compared to the cent."""
    connection = connection or default_connection
    key = rollup.key
    on = " AND ".join(f"{{side}}.{k} = keys.{k}" for k in key)
    kept = [f"ROUND(COALESCE(k.{c}, 0), 2)" for c in rollup.columns]
    ledger = [f"ROUND(COALESCE(l.{c}, 0), 2)" for c in rollup.columns]
    differ = [f"{a} <> {b}" for a, b in zip(kept, ledger, strict=True)]
    if not rollup.zero_is_none:
        differ = [f"k.{key[0]} IS NULL", f"l.{key[0]} IS NULL"] + differ
    compared = "".join(f", {a} AS kept_{c}, {b} AS ledger_{c}"
                       for a, b, c in zip(kept, ledger, rollup.columns, strict=True))
    sql = f"""
        WITH l ({', '.join(rollup.all_columns)}) AS ({rollup.from_sources(connection.vendor)}),
             keys AS (SELECT {', '.join(key)} FROM l
                      UNION SELECT {', '.join(key)} FROM {rollup.table})
        SELECT {', '.join('keys.' + k for k in key)},
               CASE WHEN k.{key[0]} IS NULL THEN 0 ELSE 1 END AS in_k,
               CASE WHEN l.{key[0]} IS NULL THEN 0 ELSE 1 END AS in_l{compared}
          FROM keys
          LEFT JOIN l ON {on.format(side='l')}
          LEFT JOIN {rollup.table} k ON {on.format(side='k')}
         WHERE {' OR '.join(differ)}
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


# The person fields each waiting row copies (person_<field>), kept by a trigger on
# people_supervisee: the today list finds a unit's waiting entries by unit.
PERSON_COPIED = ("unit_id", "caseworker_id", "is_juvenile", "is_sealed")


def stale_person_copies(connection=None, limit: int = 100) -> list[tuple]:
    """Waiting rows whose copy of their person's unit, caseworker or flags is not the
    person's now: (entry id, person id), at most `limit`; empty when all agree."""
    connection = connection or default_connection
    distinct = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    differ = " OR ".join(f"w.person_{c} {distinct} s.{c}" for c in PERSON_COPIED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT w.entry_id, w.supervisee_id FROM {UNCONFIRMED.table} w"
                       f" JOIN people_supervisee s ON s.id = w.supervisee_id WHERE {differ}"
                       f" ORDER BY w.entry_id LIMIT {int(limit)}")
        return cursor.fetchall()
