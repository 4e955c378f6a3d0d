"""Querysets built and compiled once per process, then run with new values.

Building a queryset (filters, annotations, subqueries) and compiling it to SQL costs far
more Python time than the database takes to answer it: on the supervisee dashboard the
record query cost 0.6 ms to build and 0.7 ms to compile, against 0.08 ms in PostgreSQL.
A page asks the same few questions with different values (this person, this month), so
the SQL can be kept and only the values put in.

    @prepared
    def person_with_flags(supervisee_id: int, month: datetime.date):
        return Supervisee.objects.select_related("unit").filter(pk=supervisee_id, ...)

    rows = person_with_flags(supervisee_id=7, month=first_day)  # a list, as list(qs)

The first call (per thread, database and language) builds the queryset twice
with two different sets of stand-in values and compiles both. It keeps the SQL only if
both compile to the same statement and every parameter is either the same in both (a
constant of the query) or exactly one of the stand-ins in both (an argument); a value
derived from an argument (`month.replace(day=1)`, `pk + 1`, a `__startswith` pattern), a
list argument that changes the statement's shape, or a type that cannot be told apart
(a bool) makes it refuse, and that function then always runs the ordinary way — so a
refusal costs speed, never correctness. Calls after that run the kept SQL with the new
values through Django's own result handling (model instances with their select_related
rows, annotations, values_list tuples and prefetches, with the database's converters),
via the compiler kept from the first build. The database is asked of the routers on every
call (portal.db_router: a read replica for plain reads, the primary inside a transaction
or after a write), and a statement is kept for each.

The build function must depend on its arguments only: a value it reads itself (the
clock, a setting, the database) would be kept as a constant. Arguments are keywords;
supported types are int, str, datetime.date and aware datetime.datetime, passed to the
database as its backend adapts them (SQLite: as text). A call with a value of another
type (None, say) runs the ordinary way.
`XY_PREPARED_QUERIES = False` in settings turns the whole mechanism off.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import logging
import re
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import connections, router
from django.db.models.query import FlatValuesListIterable, ValuesListIterable
from django.db.models.sql.constants import MULTI
from django.utils import translation

logger = logging.getLogger(__name__)

_local = threading.local()
REFUSED = object()
# The values_list() iterables whose rows _plain_rows gives (flat or not); the others
# (model instances, values() dicts, named tuples) go through the queryset.
_PLAIN_ROWS = {ValuesListIterable: False, FlatValuesListIterable: True}
# Bounds on what a process keeps: statements per thread (each a compiled query, a few
# tens of kilobytes), and variants per query shape (a staff scope each, say). Past them
# everything is dropped and built again as it is asked for.
KEPT_MAX = 500
VARIANTS_MAX = 300


def _stand_in(kind: type, name: str, round_: int, position: int = 0):
    """A value of `kind` that no real call uses and that no derivation preserves; the
    arguments of one call (`position`: the argument's place) get different ones."""
    if kind is int:
        return 900_000_007 + round_ * 1_000_003 + position * 131
    if kind is str:
        return f"xy-prepared-{round_}-{name}"
    # Never the first of a month (a derived month.replace(day=1) would look like the
    # argument itself).
    day = datetime.date(1901 + round_ + 2 * (position // 11), 3 + round_, 13 + position % 11)
    if kind is datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(7, 41, 29), tzinfo=datetime.UTC)
    if kind is datetime.date:
        return day
    raise TypeError(kind)


class Prepared:
    def __init__(self, build):
        self.build = build
        self.name = f"{build.__module__}.{build.__qualname__}"
        self.model = None
        signature = inspect.signature(build)
        self.kinds = {}
        for name, parameter in signature.parameters.items():
            kind = parameter.annotation
            if isinstance(kind, str):  # from __future__ import annotations
                kind = {"int": int, "str": str, "datetime.date": datetime.date,
                        "datetime.datetime": datetime.datetime}.get(kind, kind)
            if kind not in (int, str, datetime.date, datetime.datetime):
                raise TypeError(f"{self.name}: argument {name!r} needs an int, str, "
                                "datetime.date or datetime.datetime annotation")
            self.kinds[name] = kind
        functools.update_wrapper(self, build)

    # --- preparing ------------------------------------------------------------------

    def _compile(self, values: dict, alias: str):
        qs = self.build(**values).using(alias)
        compiler = qs.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        return qs, compiler, sql, tuple(params)

    def _prepare(self, alias: str):
        """(queryset, compiler, sql, params, slots) or REFUSED."""
        stand_ins = self._stand_ins()
        try:
            first = self._compile(stand_ins[0], alias)
            second = self._compile(stand_ins[1], alias)
        except Exception as error:  # noqa: BLE001 - an empty or odd query: run it plainly
            logger.info("prepared query %s refused: %s", self.name, error)
            return REFUSED
        qs, compiler, sql, params = first
        if sql != second[2] or len(params) != len(second[3]):
            return self._refuse("the statement depends on the values")
        adapters = {name: _adapter(kind, compiler.connection) for name, kind in self.kinds.items()}
        slots = []
        for index, (a, b) in enumerate(zip(params, second[3], strict=True)):
            found = [(n, adapt) for n in self.kinds for adapt in (None, adapters[n])
                     if _same(a, _apply(adapt, stand_ins[0][n]))
                     and _same(b, _apply(adapt, stand_ins[1][n]))]
            if found and len({name for name, _adapt in found}) == 1:
                slots.append((index, *found[0]))  # as it is, when that matches
            elif found:
                return self._refuse("two arguments share a stand-in")
            elif not _same(a, b):
                return self._refuse(f"parameter {index} is derived from an argument")
        missing = set(self.kinds) - {name for _i, name, _adapt in slots}
        if missing:
            return self._refuse(f"arguments not in the statement as given: {missing}")
        if compiler.connection.vendor == "postgresql":
            sql, params, slots = _inline_constants(sql, params, slots)
        return qs, compiler, sql, params, tuple(slots)

    def _refuse(self, why: str):
        logger.warning("prepared query %s refused: %s; it runs unprepared", self.name, why)
        return REFUSED

    def _stand_ins(self) -> list[dict]:
        return [{name: _stand_in(kind, name, r, i)
                 for i, (name, kind) in enumerate(self.kinds.items())} for r in (0, 1)]

    def _alias(self) -> str:
        """The database this call reads from, as the routers say now (portal.db_router:
        the replica for plain reads; the primary inside a transaction or after a write)."""
        if self.model is None:
            self.model = self.build(**self._stand_ins()[0]).model
        return router.db_for_read(self.model)

    def _kept(self, alias: str):
        store = getattr(_local, "kept", None)
        if store is None:
            store = _local.kept = {}
        connection = connections[alias]
        key = (self.name, alias, id(connection), translation.get_language())
        kept = store.get(key)
        if kept is None or (kept is not REFUSED and kept[1].connection is not connection):
            if len(store) >= KEPT_MAX:
                store.clear()
            kept = store[key] = self._prepare(alias)
        return kept

    # --- running --------------------------------------------------------------------

    def __call__(self, **values):
        if set(values) != set(self.kinds):
            raise TypeError(f"{self.name} takes {sorted(self.kinds)}, got {sorted(values)}")
        if not getattr(settings, "XY_PREPARED_QUERIES", True):
            return list(self.build(**values))
        for name, value in values.items():
            if not _accepts(self.kinds[name], value):
                return list(self.build(**values))  # e.g. None: let the ORM decide
        alias = self._alias()
        kept = self._kept(alias)
        if kept is REFUSED:
            return list(self.build(**values))
        qs, compiler, sql, params, slots = kept
        params = list(params)
        for index, name, adapt in slots:
            params[index] = _apply(adapt, values[name])
        rows = None
        memo = getattr(_local, "ahead", None)
        if memo:
            rows = memo.pop((self.name, alias, sql, tuple(params)), None)
        flat = _PLAIN_ROWS.get(qs._iterable_class)
        if flat is not None and not qs._prefetch_related_lookups:
            plain = _plain_rows(compiler, sql, tuple(params), rows, flat)
            if plain is not None:
                return plain
        run = qs._chain()
        run.query.get_compiler = _KeptCompiler(compiler, sql, tuple(params), rows)
        return list(run)

    def _statement(self, values):
        """(database, kept compiler, SQL, parameters) of a call with `values`, or None
        when the call would not run the kept statement."""
        if set(values) != set(self.kinds) or not getattr(settings, "XY_PREPARED_QUERIES", True):
            return None
        if not all(_accepts(self.kinds[name], value) for name, value in values.items()):
            return None
        alias = self._alias()
        kept = self._kept(alias)
        if kept is REFUSED:
            return None
        _qs, compiler, sql, params, slots = kept
        params = list(params)
        for index, name, adapt in slots:
            params[index] = _apply(adapt, values[name])
        return alias, compiler, sql, tuple(params)


@contextmanager
def ahead(*calls, raw=None):
    """Run the statements of several kept queries at once, then answer each of those
    calls made inside the block from what came back.

        with ahead((first_page, {"supervisee_id": 7}), (person, {"supervisee_id": 7})):
            rows = first_page(supervisee_id=7)  # no round trip of its own

    On PostgreSQL the statements go to the server together (psycopg's pipeline mode):
    one round trip instead of one each. A call inside the block with the same query and
    values gets its rows, through the same result handling as ever, once; anything else
    runs as usual. Only for reads a view makes before it writes anything: the rows are
    those of the moment the block began. Inside another block, a statement the outer
    block ran already is not run again (its rows are the outer block's).

    `raw=(alias, sql, params)` sends one hand-written statement first in the same round
    trip (it must be for that database); the block is given its rows (None without)."""
    outer = getattr(_local, "ahead", None)
    statements = []
    for query, values in calls:
        found = query._statement(values)
        if found is not None and (outer is None or (query.name, found[0], found[2],
                                                    found[3]) not in outer):
            statements.append((query.name, *found))
    memo = outer if outer is not None else {}
    by_alias: dict[str, list] = {}
    if raw is not None:
        by_alias[raw[0]] = [(None, raw[0], None, raw[1], tuple(raw[2]))]
    for entry in statements:
        by_alias.setdefault(entry[1], []).append(entry)
    raw_rows = None
    for alias, entries in by_alias.items():
        results = _run_together(connections[alias], [(e[3], e[4]) for e in entries])
        for (name, _alias, _compiler, sql, params), rows in zip(entries, results, strict=True):
            if name is None:
                raw_rows = rows
            else:
                memo[(name, alias, sql, params)] = rows
    _local.ahead = memo
    try:
        yield raw_rows
    finally:
        _local.ahead = outer


def _run_together(connection, statements) -> list[list]:
    """Each statement's rows: in one round trip on PostgreSQL (pipeline mode), else one
    after the other."""
    results = []
    if len(statements) > 1 and connection.vendor == "postgresql":
        import psycopg

        if psycopg.Pipeline.is_supported():
            if not connection.queries_logged:
                return _run_pipelined(connection, statements)
            connection.ensure_connection()
            cursors = []
            try:
                with connection.connection.pipeline() as pipeline:
                    with _queued(pipeline):
                        for sql, params in statements:
                            cursor = connection.cursor()
                            cursors.append(cursor)
                            cursor.execute(sql, params)
                    results = [cursor.fetchall() for cursor in cursors]
            finally:
                for cursor in cursors:
                    cursor.close()
            return results
    for sql, params in statements:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


def _run_pipelined(connection, statements) -> list[list]:
    """_run_together's pipeline on the driver's own cursors: what Django's cursor wrapper
    does for each statement (the connection's checks, its execute wrappers, such as
    portal.privatecache's record of the tables read, and its error translation) done
    once for the round trip rather than once per statement; about 25 µs a statement.
    Not when queries are logged (tests counting them, DEBUG): Django's cursors then."""
    connection.validate_thread_sharing()
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    wrappers = connection.execute_wrappers
    cursors = []
    with connection.wrap_database_errors:
        try:
            with connection.connection.pipeline() as pipeline:
                with _queued(pipeline):
                    for sql, params in statements:
                        cursor = connection.create_cursor()
                        cursors.append(cursor)
                        if wrappers:
                            _wrapped(connection, cursor, wrappers, sql, params)
                        else:
                            cursor.execute(sql, params)
                return [cursor.fetchall() for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()


def _wrapped(connection, cursor, wrappers, sql, params) -> None:
    """cursor.execute(sql, params) through the connection's execute wrappers, as Django's
    CursorWrapper._execute_with_wrappers calls them."""
    def execute(sql, params, many, context):
        return cursor.execute(sql, params)

    for wrapper in reversed(wrappers):
        execute = functools.partial(wrapper, execute)
    execute(sql, params, False, {"connection": connection, "cursor": cursor})


@contextmanager
def _queued(pipeline):
    """The statements executed in the block are queued and sent together when it ends, in
    one write to the socket: psycopg otherwise sends each as it is executed (a write, and
    the server woken, for each; for ten statements about 40 µs more of the client's time
    and 50 µs more of the server's). Relies on psycopg's Pipeline._communicate_gen, which
    each execute() calls (psycopg 3.2 and 3.3); tests/bench/test_prepared.py holds the
    rows and the single write to it."""
    communicate = getattr(type(pipeline), "_communicate_gen", None)
    if communicate is None:  # another psycopg: send as it goes
        yield
        return
    pipeline._communicate_gen = _nothing_yet
    try:
        yield
    finally:
        del pipeline._communicate_gen
    pipeline._conn.wait(communicate(pipeline))


def _nothing_yet():
    return iter(())


def _plain_rows(compiler, sql, params, rows, flat: bool) -> list:
    """A values_list() query's result from the kept compiler, as list(queryset) gives it
    (tuples, or the values when flat), without a queryset to clone and iterate: what
    ValuesListIterable and the compiler's results_iter do, with the converters worked out
    once per kept compiler. None (nothing run) for a composite primary key's columns,
    which the queryset puts together."""
    converters = compiler.__dict__.get("_xy_converters")
    if converters is None:
        fields = [s[0] for s in compiler.select[0:compiler.col_count]]
        if compiler.has_composite_fields(fields):
            return None
        converters = compiler.__dict__["_xy_converters"] = compiler.get_converters(fields)
    rows = _rows(compiler, sql, params, rows)
    if converters:
        if flat:
            return [row[0] for row in compiler.apply_converters(rows, converters)]
        return list(map(tuple, compiler.apply_converters(rows, converters)))
    if flat:
        return [row[0] for row in rows]
    return [row if type(row) is tuple else tuple(row) for row in rows]


def _rows(compiler, sql, params, fetched=None) -> list:
    """The statement's rows (`fetched` when it was run already, with others: ahead),
    without the extra columns the compiler selects for ordering."""
    rows = fetched
    if rows is None:
        cursor = compiler.connection.cursor()
        try:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        finally:
            cursor.close()
    if compiler.has_extra_select:
        rows = [row[:compiler.col_count] for row in rows]
    return rows


class _KeptCompiler:
    """Stands in for Query.get_compiler: hands back the kept compiler, whose as_sql()
    gives the kept statement with this call's values."""

    def __init__(self, compiler, sql, params, rows=None):
        self.compiler, self.sql, self.params, self.rows = compiler, sql, params, rows

    def __call__(self, using=None, connection=None, elide_empty=True):
        compiler = self.compiler
        sql, params, fetched = self.sql, self.params, self.rows

        def execute_sql(result_type=MULTI, chunked_fetch=False, chunk_size=100):
            if result_type != MULTI:
                raise NotImplementedError(result_type)
            return [_rows(compiler, sql, params, fetched)]

        return _CompilerView(compiler, execute_sql)


class _CompilerView:
    """The kept compiler with this call's execute_sql; everything else is the compiler's
    (select, klass_info, annotation_col_map, results_iter and its converters). The
    converters (which the database and each column's field ask to apply to a value) are
    worked out on the first call and kept with the compiler: the same statement on the
    same connection selects the same columns every time."""

    def __init__(self, compiler, execute_sql):
        self.__dict__["_compiler"] = compiler
        self.__dict__["execute_sql"] = execute_sql

    def __getattr__(self, name):
        if name == "get_converters":
            return self._kept_converters
        value = getattr(self._compiler, name)
        if name == "results_iter":
            return functools.partial(type(self._compiler).results_iter, self)
        return value

    def _kept_converters(self, expressions):
        compiler = self._compiler
        kept = compiler.__dict__.get("_xy_converters")
        if kept is None:
            kept = compiler.__dict__["_xy_converters"] = compiler.get_converters(expressions)
        return kept


_PLACEHOLDER = re.compile(r"(%%|%s)")
_PLAIN = re.compile(r"[0-9A-Za-z_%.\-]*\Z")


def _inline_constants(sql: str, params: tuple, slots: list) -> tuple[str, tuple, list]:
    """The statement with its constant parameters written into it as literals: plain
    strings (a unit path's pattern, a status, a choice such as Signup.Status.CONFIRMED)
    and integers. Sent as parameters, they are
    unknown to a plan PostgreSQL keeps for the prepared statement (psycopg prepares a
    statement it has run a few times), so a filter on them — a unit's subtree, a
    `path LIKE $1` — cannot use its index there, and the server plans the statement
    afresh on every run instead; written in, the kept plan knows them. Arguments stay
    parameters. Only characters that need no quoting are written in (a literal % is
    doubled, as the driver expects of a statement with parameters)."""
    by_index = {index: (name, adapt) for index, name, adapt in slots}
    parts = _PLACEHOLDER.split(sql)
    out, kept, new_slots, n = [], [], [], 0
    for part in parts:
        if part != "%s":
            out.append(part)
            continue
        value = params[n]
        if n in by_index:
            new_slots.append((len(kept), *by_index[n]))
            kept.append(value)
            out.append(part)
        elif isinstance(value, int) and not isinstance(value, bool):
            out.append(str(int(value)))  # an IntegerChoices member as its number
        elif isinstance(value, str) and _PLAIN.match(value):
            # A TextChoices member (a status) as its text: a partial index on that
            # status is then usable by the kept plan.
            out.append("'" + str.__str__(value).replace("%", "%%") + "'")
        else:
            kept.append(value)
            out.append(part)
        n += 1
    if n != len(params):  # a placeholder the split did not see: leave the statement as it is
        return sql, params, slots
    return "".join(out), tuple(kept), new_slots


def _adapter(kind, connection):
    """How the database backend turns a value of `kind` into a parameter (SQLite: dates
    and datetimes as text), or None when it passes values as they are."""
    if kind is datetime.date:
        return connection.ops.adapt_datefield_value
    if kind is datetime.datetime:
        return connection.ops.adapt_datetimefield_value
    return None


def _apply(adapt, value):
    return value if adapt is None else adapt(value)


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b


def _accepts(kind, value) -> bool:
    if kind is datetime.date:
        return type(value) is datetime.date
    if kind is datetime.datetime:
        return isinstance(value, datetime.datetime) and value.tzinfo is not None
    return type(value) is kind


def prepared(build):
    """Decorator: see the module's docstring."""
    return Prepared(build)


class Variants:
    """One kept query per variant of a query's shape (a page size, a set of joins): the
    decorated factory takes the variant's key and returns the build function.

        @Variants
        def first_page(size, providers):
            def build(supervisee_id: int):
                return enrolments_of(supervisee_id, providers=providers)[:size]
            return build

        first_page[20, True](supervisee_id=7)
    """

    def __init__(self, factory):
        self.factory, self.kept = factory, {}
        functools.update_wrapper(self, factory)

    def __getitem__(self, key) -> Prepared:
        key = key if isinstance(key, tuple) else (key,)
        query = self.kept.get(key)
        if query is None:
            build = self.factory(*key)
            build.__qualname__ = f"{self.factory.__qualname__}{list(key)}"
            build.__module__ = self.factory.__module__
            if len(self.kept) >= VARIANTS_MAX:
                self.kept.clear()
            query = self.kept[key] = Prepared(build)
        return query
