"""PostgreSQL connections prepare the statements pages run again and again (settings:
DB_PREPARED_STATEMENTS, DB_PREPARE_THRESHOLD), so the server plans each once per
connection."""

import pytest
from django.conf import settings
from django.db import connection

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


def test_the_activity_lists_first_page_bounds_the_deadline_with_a_parameter(world):
    """The first page bounds the sign-up deadline on both sides with parameters, so the
    generic plan the server keeps estimates a narrow range and is used for every run."""
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
