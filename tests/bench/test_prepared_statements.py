"""PostgreSQL connections prepare the statements pages run again and again (settings:
DB_PREPARED_STATEMENTS, DB_PREPARE_THRESHOLD), so the server plans each once per
connection; scripts of several commands still run (portal/dbtools.py)."""

import pytest
from django.conf import settings
from django.db import connection

from portal.dbtools import run_script
from portal.people.models import Supervisee
from tests.volunteering.pg import requires_postgres

pytestmark = [pytest.mark.postgres, requires_postgres, pytest.mark.django_db]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_the_connection_binds_on_the_server_and_prepares():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 5
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == 5


def test_a_statement_run_repeatedly_is_prepared_once_with_placeholders(world):
    for pk in range(1, 9):
        list(Supervisee.objects.filter(pk=pk, level="strict").values_list("pk"))
    mine = [s for s in prepared_statements() if 'FROM "people_supervisee" WHERE' in s
            and '"people_supervisee"."level" = $' in s and '"people_supervisee"."id" = $' in s]
    assert len(mine) == 1, prepared_statements()  # one plan for every value


def test_a_statement_run_once_is_not_prepared(world):
    list(Supervisee.objects.filter(legal_name="nobody-at-all").values_list("pk"))
    assert not [s for s in prepared_statements() if '"legal_name" = $1' in s]


def test_a_script_of_several_commands_runs_and_is_not_prepared(world):
    for _ in range(8):
        run_script(connection, "CREATE TEMP TABLE IF NOT EXISTS xy_t (n int); "
                               "INSERT INTO xy_t VALUES (1); INSERT INTO xy_t VALUES (2);")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM xy_t")
        assert cursor.fetchone()[0] == 16
    assert not [s for s in prepared_statements() if "xy_t" in s]


def test_statements_planned_for_their_values_are_not_prepared_and_preparing_resumes(world):
    from portal.dbtools import planned_for_values

    with planned_for_values():
        for _ in range(8):
            list(Supervisee.objects.filter(alias__startswith="no-such").values_list("pk"))
        assert connection.connection.prepare_threshold is None
    assert not [s for s in prepared_statements() if '"alias"::text LIKE $1' in s]
    assert connection.connection.prepare_threshold == 5
    for _ in range(8):
        list(Supervisee.objects.filter(alias__startswith="no-such").values_list("pk"))
    assert [s for s in prepared_statements() if '"alias"::text LIKE $1' in s]


def test_the_unit_dashboard_totals_are_kept_with_the_units_path_written_in(world, login):
    """A generic plan of `path LIKE $1` cannot use the path index: the dashboard's ledger
    totals are kept statements (casework/outcomes.py) with the unit's path written
    in, so the plan the server keeps for them knows it; only the period and the viewer
    are parameters."""
    from django.urls import reverse

    client = login(world.users["unit_admin"])
    for _ in range(8):
        assert client.get(reverse("casework:unit_dashboard")).status_code == 200
    totals = [s for s in prepared_statements() if "DATE_TRUNC" in s]
    assert totals
    for statement in totals:
        assert "LIKE $" not in statement
        assert f"LIKE '{world.bureau.path}%'" in statement


def test_a_kept_statement_has_its_constants_written_in_and_keeps_one_plan(world):
    """A kept statement (portal/ops/prepared.py) of one unit's subtree: the path pattern,
    a constant of the statement, is written into it, so the plan the server keeps knows
    it and is used for every run (a `path LIKE $1` one would be planned afresh each time);
    the argument stays a parameter."""
    from portal.ops.prepared import Variants

    @Variants
    def subtree(path):
        def build(caseworker_id: int):
            return Supervisee.objects.filter(unit__path__startswith=path,
                                             caseworker_id=caseworker_id).values_list("pk")
        return build

    path = world.squad1.path
    query = subtree[path]
    for _ in range(12):
        found = query(caseworker_id=world.users["caseworker"].pk)
    assert set(found) == set(Supervisee.objects.filter(
        unit__path__startswith=path, caseworker=world.users["caseworker"]).values_list("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement, generic_plans FROM pg_prepared_statements "
                       "WHERE statement LIKE %s", [f"%LIKE '{path}%%'%"])
        rows = cursor.fetchall()
    assert len(rows) == 1, prepared_statements()
    statement, generic = rows[0]
    assert '"caseworker_id" = $1' in statement
    assert generic > 0


def test_the_activity_lists_first_page_bounds_the_deadline_with_a_parameter(world):
    """The first page's kept statement (volunteering.selectors._first_page) bounds the
    sign-up deadline on both sides with parameters ("now" and the latest moment there is):
    given the range, the plan the server keeps guesses a narrow one and is used for every
    run, where "deadline >= $n" alone made the server plan the statement afresh on every
    request. Written in as a constant, the bound would no longer make a range of
    parameters."""
    from django.utils import timezone

    from tests import factories as f
    from volunteering import selectors

    person = f.SuperviseeFactory(unit=world.squad1,
                                 home_district=f.DistrictFactory(county="测试县"))
    for _ in range(7):
        rows, _count = selectors.first_activity_page(person.user, {}, size=20, cards="api")
        vars(person.user).pop("_xy_volunteer", None)
    kept = [s for s in prepared_statements() if '"volunteering_activity"."signup_deadline"'
            in s and "STRING_AGG" in s]
    assert len(kept) == 1, prepared_statements()
    assert '"volunteering_activity"."signup_deadline" >= $' in kept[0]
    assert '"volunteering_activity"."signup_deadline" <= $' in kept[0]
    assert selectors.LATEST > timezone.now()
