"""portal/ops/prepared.py: a kept statement gives exactly what the queryset gives, with
each call's own values, and refuses (running the ordinary way) whatever it cannot keep."""

import datetime
import logging
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from portal.ops.prepared import REFUSED, Variants, prepared
from portal.people.models import MonthHours, ProhibitionOrder, Supervisee, TravelApproval
from tests import factories as f


@prepared
def person_with_figures(supervisee_id: int, month: datetime.date, today: datetime.date):
    current_travel = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    hours = MonthHours.objects.filter(supervisee=OuterRef("pk"), month=month)
    return (Supervisee.objects.select_related("unit", "caseworker")
            .annotate(has_order=Exists(ProhibitionOrder.objects.filter(supervisee=OuterRef("pk"))),
                      has_travel=Exists(TravelApproval.objects.filter(
                          current_travel, supervisee=OuterRef("pk"))),
                      study=Subquery(hours.values("study")[:1]))
            .filter(pk=supervisee_id))


@prepared
def names_in_unit(unit_id: int, starts: str):
    return (Supervisee.objects.filter(unit_id=unit_id, legal_name__gte=starts)
            .order_by("legal_name").values_list("legal_name", "level"))


@prepared
def people_with_skills(unit_id: int):
    return (Supervisee.objects.filter(unit_id=unit_id).prefetch_related("skills")
            .annotate(n=Count("skills")).order_by("pk"))


@prepared
def derived_month(supervisee_id: int, day: datetime.date):
    return MonthHours.objects.filter(supervisee_id=supervisee_id, month=day.replace(day=1))


@prepared
def months_of_unit(unit_id: int, since: datetime.date):
    # Columns the database's converters change (a month of a date, decimal sums, counts).
    return (MonthHours.objects.filter(supervisee__unit_id=unit_id, month__gte=since)
            .annotate(m=TruncMonth("month")).values("m")
            .annotate(study=Sum("study"), n=Count("pk")).order_by("m")
            .values_list("m", "study", "n"))


@prepared
def ids_in_unit(unit_id: int):
    return Supervisee.objects.filter(unit_id=unit_id).order_by("pk").values_list("pk", flat=True)


def _kept(fn):
    return fn._kept("default")


def _describe(people):
    return [(p.pk, p.legal_name, p.unit.name, str(p.caseworker), p.has_order, p.has_travel,
             p.study, p.term_end) for p in people]


def test_kept_statement_gives_what_the_queryset_gives_for_every_value(world):
    today = timezone.localdate()
    month = today.replace(day=1)
    other = world.other_supervisee
    f.SkillFactory()
    ProhibitionOrder.objects.create(supervisee=other, kind="venue_type",
                                    venue_type=f.VenueTypeFactory(), description="x",
                                    starts_on=today)
    MonthHours.objects.filter(supervisee=world.supervisee).delete()
    MonthHours.objects.create(supervisee=world.supervisee, month=month, study=Decimal("2.5"))
    assert _kept(person_with_figures) is not REFUSED
    for person in Supervisee.objects.all():
        for day in (today, today - datetime.timedelta(days=40)):
            args = {"supervisee_id": person.pk, "month": day.replace(day=1), "today": day}
            got = person_with_figures(**args)
            assert _describe(got) == _describe(person_with_figures.build(**args))
    mine = person_with_figures(supervisee_id=world.supervisee.pk, month=month, today=today)
    assert mine[0].study == Decimal("2.5") and mine[0].has_order is False
    assert person_with_figures(supervisee_id=other.pk, month=month, today=today)[0].has_order
    assert person_with_figures(supervisee_id=0, month=month, today=today) == []


def test_values_lists_and_prefetches(world):
    unit = world.supervisee.unit
    for starts in ("", "李", "王", "zzz"):
        assert names_in_unit(unit_id=unit.pk, starts=starts) == list(
            names_in_unit.build(unit_id=unit.pk, starts=starts))
    world.supervisee.skills.add(f.SkillFactory())
    people = people_with_skills(unit_id=unit.pk)
    assert [(p.pk, p.n, list(p.skills.all())) for p in people] == [
        (p.pk, p.n, list(p.skills.all())) for p in people_with_skills.build(unit_id=unit.pk)]
    assert _kept(names_in_unit) is not REFUSED and _kept(people_with_skills) is not REFUSED


def test_values_list_rows_come_converted_as_the_queryset_gives_them(world, monkeypatch):
    """Values lists skip the queryset (prepared._plain_rows): the same tuples, flat values
    and converted types as list(queryset), alone and run ahead with others."""
    from portal.ops.prepared import ahead

    unit = world.supervisee.unit
    month = timezone.localdate().replace(day=1)
    MonthHours.objects.filter(supervisee=world.supervisee).delete()
    MonthHours.objects.create(supervisee=world.supervisee, month=month, study=Decimal("2.5"))
    MonthHours.objects.create(supervisee=world.supervisee, month=month.replace(year=2020),
                              study=Decimal("1.25"))
    for since in (month, month.replace(year=2019), month.replace(year=2099)):
        args = {"unit_id": unit.pk, "since": since}
        expected = list(months_of_unit.build(**args))
        assert months_of_unit(**args) == expected
        with ahead((months_of_unit, args), (ids_in_unit, {"unit_id": unit.pk})):
            got = months_of_unit(**args)
            ids = ids_in_unit(unit_id=unit.pk)
        assert got == expected and ids == list(ids_in_unit.build(unit_id=unit.pk))
        assert all(type(row) is tuple and type(row[0]) is datetime.date
                   and type(row[1]) is Decimal and type(row[2]) is int for row in got)
    assert months_of_unit(unit_id=unit.pk, since=month) == [(month, Decimal("2.5"), 1)]
    assert ids_in_unit(unit_id=unit.pk) == list(Supervisee.objects.filter(
        unit=unit).order_by("pk").values_list("pk", flat=True))
    assert _kept(months_of_unit) is not REFUSED and _kept(ids_in_unit) is not REFUSED
    # No queryset is cloned and iterated for them.
    from django.db.models.query import QuerySet

    def iterated(self):
        raise AssertionError("a kept values list went through a queryset")

    monkeypatch.setattr(QuerySet, "_fetch_all", iterated)
    assert months_of_unit(unit_id=unit.pk, since=month) == [(month, Decimal("2.5"), 1)]


def test_a_kept_call_runs_one_statement_with_the_new_values(world):
    today = timezone.localdate()
    args = {"month": today.replace(day=1), "today": today}
    person_with_figures(supervisee_id=world.supervisee.pk, **args)
    with CaptureQueriesContext(connection) as ctx:
        got = person_with_figures(supervisee_id=world.other_supervisee.pk, **args)
    assert len(ctx.captured_queries) == 1 and got[0].pk == world.other_supervisee.pk


def test_a_value_derived_from_an_argument_is_refused_and_runs_plainly(world, caplog):
    today = timezone.localdate()
    MonthHours.objects.filter(supervisee=world.supervisee).delete()
    row = MonthHours.objects.create(supervisee=world.supervisee, month=today.replace(day=1))
    with caplog.at_level(logging.WARNING, logger="portal.ops.prepared"):
        assert _kept(derived_month) is REFUSED
    assert "derived from an argument" in caplog.text
    # Still right on every day, including days other than the first of the month.
    for day in (today.replace(day=1), today.replace(day=1) + datetime.timedelta(days=9)):
        assert derived_month(supervisee_id=world.supervisee.pk, day=day) == [row]


def test_wrong_arguments_and_unusual_values(world, settings):
    with pytest.raises(TypeError):
        names_in_unit(unit_id=1)
    with pytest.raises(TypeError):
        prepared(lambda flag: Supervisee.objects.filter(is_juvenile=flag))
    # A value of another type (a text id here) is left to the ORM, which gives its answer.
    unit = world.supervisee.unit_id
    assert names_in_unit(unit_id=str(unit), starts="") == list(
        names_in_unit.build(unit_id=unit, starts=""))
    settings.XY_PREPARED_QUERIES = False
    assert names_in_unit(unit_id=unit, starts="") == list(names_in_unit.build(unit_id=unit,
                                                                              starts=""))


def test_statements_are_kept_per_language(world):
    unit = world.supervisee.unit_id
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert names_in_unit(unit_id=unit, starts="") == list(
                names_in_unit.build(unit_id=unit, starts=""))


@Variants
def first_names(size):
    def build(unit_id: int):
        return Supervisee.objects.filter(unit_id=unit_id).order_by("pk").values_list(
            "pk", flat=True)[:size]

    return build


def test_variants_keep_one_statement_per_shape(world):
    unit = world.supervisee.unit_id
    everyone = list(Supervisee.objects.filter(unit_id=unit).order_by("pk").values_list(
        "pk", flat=True))
    assert len(everyone) >= 2
    for size in (1, 2, 50):
        assert first_names[size](unit_id=unit) == everyone[:size]
        assert _kept(first_names[size]) is not REFUSED
    assert first_names[1] is first_names[1] and first_names[1] is not first_names[2]


def test_what_a_process_keeps_is_bounded(world, monkeypatch):
    from portal.ops import prepared as module

    monkeypatch.setattr(module, "VARIANTS_MAX", 3)
    monkeypatch.setattr(module, "KEPT_MAX", 4)
    monkeypatch.setattr(module._local, "kept", {})
    unit = world.supervisee.unit_id
    for size in range(1, 10):
        assert first_names[size](unit_id=unit) == list(
            first_names[size].build(unit_id=unit))
        assert len(first_names.kept) <= 3
        assert len(module._local.kept) <= 4


def test_each_call_reads_from_the_database_the_routers_name(world, monkeypatch):
    """A read replica takes plain reads; inside a transaction or after a write the routers
    name the primary (portal.db_router). A kept statement asks them on every call and
    runs where they say."""
    from django.utils.connection import ConnectionDoesNotExist

    from portal.ops import prepared as module

    asked, answer = [], {"alias": "default"}

    class Spy:
        def db_for_read(self, model, **hints):
            asked.append(model)
            return answer["alias"]

    monkeypatch.setattr(module, "router", Spy())
    unit = world.supervisee.unit_id
    expected = list(names_in_unit.build(unit_id=unit, starts=""))
    for _ in range(3):
        asked.clear()
        assert names_in_unit(unit_id=unit, starts="") == expected
        assert asked == [Supervisee]
    answer["alias"] = "nowhere"  # a database the routers name is the one used
    with pytest.raises(ConnectionDoesNotExist):
        names_in_unit(unit_id=unit, starts="")


def test_reads_run_ahead_together_answer_the_same_calls_once(world, monkeypatch):
    """ahead(): the statements run at once (on PostgreSQL in one pipeline), each call of
    the block with the same query and values gets exactly what it would have got, once;
    other values, a second call and calls after the block run as usual."""
    from portal.ops import prepared as module

    today = timezone.localdate()
    args = {"month": today.replace(day=1), "today": today}
    mine, other = world.supervisee, world.other_supervisee
    unit = mine.unit
    expected_people = _describe(person_with_figures.build(supervisee_id=mine.pk, **args))
    expected_names = list(names_in_unit.build(unit_id=unit.pk, starts=""))
    expected_skills = [(p.pk, p.n, [s.pk for s in p.skills.all()])
                       for p in people_with_skills.build(unit_id=unit.pk)]
    batches = []
    original = module._run_together
    monkeypatch.setattr(module, "_run_together",
                        lambda conn, statements: batches.append(len(statements))
                        or original(conn, statements))
    with CaptureQueriesContext(connection) as ctx:
        with module.ahead((person_with_figures, {"supervisee_id": mine.pk, **args}),
                          (names_in_unit, {"unit_id": unit.pk, "starts": ""}),
                          (people_with_skills, {"unit_id": unit.pk}),
                          (derived_month, {"supervisee_id": mine.pk, "day": today})):
            started = len(ctx.captured_queries)
            assert _describe(person_with_figures(supervisee_id=mine.pk, **args)) == (
                expected_people)
            assert names_in_unit(unit_id=unit.pk, starts="") == expected_names
            assert [(p.pk, p.n, [s.pk for s in p.skills.all()])
                    for p in people_with_skills(unit_id=unit.pk)] == expected_skills
            answered = len(ctx.captured_queries)
            assert _describe(person_with_figures(supervisee_id=other.pk, **args))[0][0] == (
                other.pk)
            assert names_in_unit(unit_id=unit.pk, starts="") == expected_names
            inside = len(ctx.captured_queries)
        assert names_in_unit(unit_id=unit.pk, starts="") == expected_names
    assert batches == [3]  # the derived (refused) query is not run ahead
    assert started == 3
    assert answered - started == 1  # only the prefetch of the skills
    assert inside - answered == 2  # other values; the same values a second time
    assert len(ctx.captured_queries) - inside == 1


def test_ahead_on_postgresql_uses_one_pipeline(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("psycopg's pipeline mode is PostgreSQL's")
    from portal.ops.prepared import ahead

    connection.ensure_connection()
    opened = []
    original = type(connection.connection).pipeline
    monkeypatch.setattr(type(connection.connection), "pipeline",
                        lambda self: opened.append(1) or original(self))
    unit = world.supervisee.unit
    with ahead((names_in_unit, {"unit_id": unit.pk, "starts": ""}),
               (people_with_skills, {"unit_id": unit.pk})):
        assert names_in_unit(unit_id=unit.pk, starts="") == list(
            names_in_unit.build(unit_id=unit.pk, starts=""))
    assert opened == [1]


def test_statements_run_ahead_are_sent_together(world, monkeypatch):
    """In the pipeline the statements are queued and sent to the server at once (one
    exchange with the socket, not one per statement), with the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg's pipeline mode is PostgreSQL's")
    import psycopg

    from portal.ops.prepared import ahead

    connection.ensure_connection()
    exchanges = []
    original = psycopg.Pipeline._communicate_gen

    def counted(self):
        exchanges.append(len(self.command_queue))
        return original(self)

    monkeypatch.setattr(psycopg.Pipeline, "_communicate_gen", counted)
    unit = world.supervisee.unit
    calls = [(names_in_unit, {"unit_id": unit.pk, "starts": ""}),
             (ids_in_unit, {"unit_id": unit.pk}),
             (months_of_unit, {"unit_id": unit.pk, "since": datetime.date(2020, 1, 1)})]
    with ahead(*calls):
        got = [query(**values) for query, values in calls]
    assert got == [list(query.build(**values)) for query, values in calls]
    # The first exchange carries the three statements (psycopg may exchange once more
    # when the pipeline ends); sent as they were executed, each went alone.
    assert exchanges[0] == 3, exchanges


def test_ahead_unlogged_runs_each_statement_through_the_connections_wrappers(world):
    """Without query logging (production) the pipeline runs on the driver's cursors, yet
    each statement still passes the connection's execute wrappers (the private page
    cache learns the tables a page read from them), with the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg's pipeline mode is PostgreSQL's")
    from portal.ops.prepared import ahead

    unit = world.supervisee.unit
    calls = [(names_in_unit, {"unit_id": unit.pk, "starts": ""}),
             (months_of_unit, {"unit_id": unit.pk, "since": datetime.date(2020, 1, 1)})]
    expected = [list(query.build(**values)) for query, values in calls]
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql.split(" FROM ")[1][:30],
                     context["connection"] is connections["default"]))
        return execute(sql, params, many, context)

    assert not connection.queries_logged
    with connection.execute_wrapper(record):
        with ahead(*calls):
            got = [query(**values) for query, values in calls]
    assert got == expected
    assert [s[0].split()[0] for s in seen] == ['"people_supervisee"', '"people_monthhours"']
    assert all(same for _table, same in seen)


def test_ahead_unlogged_gives_djangos_errors(world):
    """A statement that fails in the pipeline raises Django's database error, as a
    Django cursor would; inside a transaction that has failed, nothing runs."""
    if connection.vendor != "postgresql":
        pytest.skip("psycopg's pipeline mode is PostgreSQL's")
    from django.db import DatabaseError, transaction
    from django.db.transaction import TransactionManagementError

    from portal.ops.prepared import _run_together

    with pytest.raises(DatabaseError) as raised, transaction.atomic():
        _run_together(connection, [("SELECT 1", ()), ("SELECT * FROM no_such_table", ())])
    assert type(raised.value).__module__.startswith("django.")
    with transaction.atomic():
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM no_such_table")
        assert _run_together(connection, [("SELECT 1", ()), ("SELECT 2", ())]) == [
            [(1,)], [(2,)]]
        connection.needs_rollback = True
        with pytest.raises(TransactionManagementError):
            _run_together(connection, [("SELECT 1", ()), ("SELECT 2", ())])
        connection.needs_rollback = False


def test_constants_written_into_a_statement_only_when_plain():
    from portal.ops.prepared import _inline_constants

    sql = "SELECT a FROM t WHERE p LIKE %s AND n = %s AND s = %s AND x = %s AND y = %s %% 2"
    params = ("0001%", 7, "it's", 42, True)
    slots = [(3, "x", None)]  # the argument
    out, kept, new_slots = _inline_constants(sql, params, slots)
    assert out == ("SELECT a FROM t WHERE p LIKE '0001%%' AND n = 7 AND s = %s AND x = %s "
                   "AND y = %s %% 2")
    assert kept == ("it's", 42, True)  # a quote, the argument, a bool: still parameters
    assert new_slots == [(1, "x", None)]


def test_choices_are_written_in_as_their_text_and_number():
    """A TextChoices member (a status) is written in as its text, so a partial index on
    that status can serve the kept plan; an IntegerChoices member as its number."""
    from django.db import models

    from portal.ops.prepared import _inline_constants
    from volunteering.models import Signup

    class Size(models.IntegerChoices):
        BIG = 3, "big"

    sql = "SELECT a FROM t WHERE s IN (%s, %s) AND n = %s AND p = %s"
    out, kept, new_slots = _inline_constants(
        sql, (Signup.Status.CONFIRMED, Signup.Status.WAITLISTED, Size.BIG, 7), [(3, "p", None)])
    assert out == "SELECT a FROM t WHERE s IN ('confirmed', 'waitlisted') AND n = 3 AND p = %s"
    assert kept == (7,) and new_slots == [(0, "p", None)]
