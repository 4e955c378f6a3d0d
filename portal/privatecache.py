"""Signed-in pages kept whole, per person, until a table they were built from changes.

A person's hours page, their courses or a caseworker's today list are the same every time
that person asks for them, until some row they were made from changes. `private_page`
(a view decorator) keeps such a response in the shared cache under a key that belongs to
that person's session and to nothing else, together with the list of database tables
the page read and each table's *write token* at the moment it was read. The next request
for the same page in the same session is answered from the cache when every one of those
tokens is unchanged; otherwise the page is built again.

Write tokens: every database connection carries `track_writes` (installed when a
connection is created). Any statement that is not a read — an INSERT, UPDATE or DELETE
of the ORM, a bulk update, raw SQL, a migration — gives every table it names a new token
once its transaction commits (at once under autocommit). Reads take a table's token
*before* the query runs and writers change it *after* they commit, so a page can be
marked out of date without need but never kept as current when it is not.

What else a page depends on is part of the key:

- the session's whole contents, and the CSRF cookie (a cached form's token stays valid);
- everything the request loaded before the view ran: the account row with its roles'
  flags, two-factor flag and unread-message count (`portal.access.signed_in_user`), and
  the roles, units and organisations if they were worked out already (`actor_for`);
- the path with its query string, scheme and host, the language, and the request
  headers a page may answer differently to (Accept, HTMX's);
- for the API, the bearer token (its lookup runs inside the view and is tracked).

A request saying `Cache-Control: no-cache` (a browser's hard reload) is always built
afresh, and its page kept in place of the old one.

What is never stored: anything but a 200 to a GET; a page that wrote to the database,
changed the session, queued a message, set a cookie, made a new CSRF token or used a
Content-Security-Policy nonce; requests that carry messages to show. An entry lives at
most `XY_PRIVATE_PAGE_SECONDS` (a minute), which bounds what no token sees: time passing
(a sign-up deadline going by) and data a page took from another cache.

The entries live in the cache shared by all app server processes (Redis), so the
feature is on only where that cache is shared (`XY_PRIVATE_PAGE_CACHE`, default: when
REDIS_URL is set). The HTTP headers are unchanged: these pages are still
`Cache-Control: private, no-store` to browsers and proxies.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from functools import lru_cache, partial, wraps

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.backends.signals import connection_created
from django.http import HttpResponse

from portal.pagecache import SKIPPED_HEADERS, rebuilt

# Which tables an insert into each table writes as well, by trigger (portal/rollups.py).
WRITTEN_BY_TRIGGERS = {
    "courses_studyhoursentry": ("people_monthhours", "people_unitmonthhours"),
    "volunteering_hoursentry": ("people_monthhours", "volunteering_unconfirmedhours",
                                "people_unitmonthhours"),
    "volunteering_hoursconfirmation": ("people_monthhours", "volunteering_unconfirmedhours",
                                       "people_unitmonthhours"),
    "people_monthhours": ("people_unitmonthhours",),
    "people_supervisee": ("people_unitmonthhours", "people_unitpeople",
                          "volunteering_unconfirmedhours"),
    "helpnet_referral": ("people_unitpeople",),
    "courses_enrolment": ("people_monthhours", "people_unitmonthhours"),
    "employment_job_skills": ("employment_job",),
}
ENTRY = "xy:priv:"
TOKEN = "xy:tab:"
# Request headers a page may answer differently to, beyond the key's other parts.
VARY_HEADERS = ("HTTP_ACCEPT", "HTTP_HX_REQUEST", "HTTP_HX_TARGET", "HTTP_HX_CURRENT_URL",
                "HTTP_X_REQUESTED_WITH", "HTTP_AUTHORIZATION")
STORED_TYPES = ("text/html", "application/json")

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_FIRST = re.compile(r"\s*(?:/\*.*?\*/\s*)*([A-Za-z]+)", re.S)
_WRITES_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.I)
_UPDATE_SET = re.compile(r'\s*UPDATE\s+"?(\w+)"?\s+SET\s+(.*?)\s+WHERE\s', re.I | re.S)
_SET_COLUMN = re.compile(r'(?:^|,)\s*"?(\w+)"?\s*=')
# Bookkeeping columns no page shows: an UPDATE that sets only these changes no page, so
# it gives no new token (otherwise every sign-in anywhere, which stamps last_login, would
# retire every page that reads an account).
QUIET_COLUMNS = {
    "accounts_user": frozenset({"last_login"}),
    "wagtailcore_apitoken": frozenset({"last_used_at"}),
}
NEITHER = frozenset({"SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "BEGIN", "SET", "SHOW",
                     "PRAGMA", "EXPLAIN", "RESET", "DISCARD", "LISTEN", "NOTIFY"})

_local = threading.local()
logger = logging.getLogger(__name__)


def enabled() -> bool:
    return bool(getattr(settings, "XY_PRIVATE_PAGE_CACHE", False))


# --- which tables a statement reads or writes --------------------------------------------

@lru_cache(maxsize=1)
def _known_tables() -> frozenset[str]:
    names = set()
    for model in apps.get_models(include_auto_created=True):
        names.add(model._meta.db_table.lower())
    return frozenset(names)


@lru_cache(maxsize=8192)
def classify(sql: str) -> tuple[str, frozenset[str]]:
    """("read" | "write" | "neither", the tables it names). A statement that is not
    plainly a read counts as a write of every table it names (an over-estimate only
    costs a rebuilt page)."""
    first = _FIRST.match(sql)
    verb = first.group(1).upper() if first else ""
    if verb in NEITHER:
        return "neither", frozenset()
    known = _known_tables()
    tables = frozenset(w for w in (m.lower() for m in _WORD.findall(sql)) if w in known)
    if verb == "SELECT" or (verb in ("WITH", "VALUES") and not _WRITES_IN_WITH.search(sql)):
        return "read", tables
    if verb == "UPDATE":
        found = _UPDATE_SET.match(sql)
        if found and found.group(1).lower() in QUIET_COLUMNS:
            columns = {c.lower() for c in _SET_COLUMN.findall(found.group(2))}
            if columns and columns <= QUIET_COLUMNS[found.group(1).lower()]:
                return "write", frozenset()
    return "write", tables


# --- write tokens ------------------------------------------------------------------------

def _new_token() -> str:
    return os.urandom(8).hex()


def bump(tables) -> None:
    """Give `tables` new write tokens: every page built from them is out of date.

    Runs after a commit: if the cache cannot be reached, the write stands and the error
    is logged (pages kept before it may then be served until they expire, within
    XY_PRIVATE_PAGE_SECONDS), rather than telling the person their saved change failed."""
    tables = set(tables)
    if not tables:
        return
    # Tables the database writes itself (triggers, portal/rollups.py) are written too.
    for table in tables & WRITTEN_BY_TRIGGERS.keys():
        tables.update(WRITTEN_BY_TRIGGERS[table])
    try:
        cache.set_many({TOKEN + t: _new_token() for t in tables}, timeout=None)
    except Exception:  # noqa: BLE001 - any cache failure; the data is committed
        logger.exception("Could not retire kept pages of %s", ", ".join(sorted(tables)))


def current_tokens(tables) -> dict[str, str]:
    """The tables' write tokens now; a table that has none yet (a cleared cache) is given
    one, so no entry is ever kept against a missing token."""
    tables = list(tables)
    if not tables:
        return {}
    found = cache.get_many([TOKEN + t for t in tables])
    tokens = {t: found.get(TOKEN + t) for t in tables}
    for table, token in tokens.items():
        if token is None:
            fresh = _new_token()
            tokens[table] = fresh if cache.add(TOKEN + table, fresh, timeout=None) else (
                cache.get(TOKEN + table) or fresh)
    return tokens


def _flush_pending(connection) -> None:
    pending = getattr(connection, "_xy_written", None)
    if pending:
        connection._xy_written = set()
        bump(pending)


def track_writes(execute, sql, params, many, context):
    """Installed on every database connection (`connection_created`)."""
    if not enabled():
        return execute(sql, params, many, context)
    kind, tables = classify(sql)
    capture = getattr(_local, "capture", None)
    if kind == "read":
        if capture is not None and tables:
            capture.before_read(tables)
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    if kind == "write" and tables:
        if capture is not None:
            capture.wrote = True
        connection = context["connection"]
        if connection.in_atomic_block:
            # After the commit; a rollback drops the callback and leaves the tables in
            # the set, to be bumped with the next commit (needlessly, never wrongly).
            pending = getattr(connection, "_xy_written", None)
            if pending is None:
                pending = connection._xy_written = set()
            pending.update(tables)
            connection.on_commit(lambda: _flush_pending(connection))
        else:
            bump(tables)
    return result


def _install(sender=None, connection=None, **kwargs) -> None:
    if connection is not None and track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(track_writes)


def connect() -> None:
    connection_created.connect(_install, dispatch_uid="portal.privatecache.install")
    for connection in connections.all(initialized_only=True):
        _install(connection=connection)


def forget_everything() -> None:
    """After writing outside Django (a restore, a bulk load): every entry out of date."""
    bump(_known_tables())


# --- capturing what a page reads ---------------------------------------------------------

class _Capture:
    def __init__(self, tokens: dict[str, str] | None = None, early: dict | None = None):
        self.tokens = dict(tokens or {})
        self.wrote = False  # also set when a token could not be read: nothing is kept
        self.early = early or {}  # what the session store read with the session
        self.keys: set[str] = set()  # cache keys read through read_early

    def before_read(self, tables) -> None:
        missing = [t for t in tables if t not in self.tokens]
        if missing and not self.wrote:
            try:
                self.tokens.update(current_tokens(missing))
            except Exception:  # noqa: BLE001 - the page is built, just not kept
                logger.exception("Could not read write tokens; the page is not kept")
                self.wrote = True


def _key(request) -> str | None:
    if request.method != "GET":
        return None
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    if not signed_in and "HTTP_AUTHORIZATION" not in request.META:
        return None
    if "messages" in request.COOKIES:
        return None
    session = getattr(request, "session", None)
    session_data = {}
    if session is not None:
        session_data = dict(session.items())
        if "_messages" in session_data:
            return None
    # request.user is a lazy wrapper; its target holds what was loaded.
    loaded = getattr(user, "_wrapped", user)
    account = ({k: v for k, v in vars(loaded).items() if not k.startswith("_")}
               if signed_in else {})
    # Roles worked out before the view ran (their memberships were read outside it).
    actor = getattr(loaded, "_xy_actor", None) if signed_in else None
    if actor is not None:
        account["_actor"] = [
            sorted(actor.roles), actor.supervisee_id,
            [(u.pk, u.path) for u in actor.units], [u.pk for u in actor.admin_units],
            [(o.pk, o.is_active) for o in actor.organisations],
        ]
    parts = {
        "path": request.get_full_path(), "scheme": request.scheme,
        "host": request.META.get("HTTP_HOST", ""),
        "language": getattr(request, "LANGUAGE_CODE", ""),
        "csrf": request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
        "session": session_data, "account": account,
        "headers": [request.META.get(h, "") for h in VARY_HEADERS],
    }
    raw = json.dumps(parts, sort_keys=True, default=str)
    return ENTRY + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def _storable(request, response, capture: _Capture) -> bool:
    if capture.wrote or response.status_code != 200 or getattr(response, "streaming", False):
        return False
    if response.cookies:
        return False
    if (request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and request.META.get("CSRF_COOKIE") != request.COOKIES.get(settings.CSRF_COOKIE_NAME)):
        return False  # a new CSRF secret: the page's token matches no cookie yet
    if isinstance(getattr(request, "_csp_nonce", None), str):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and getattr(messages, "added_new", False):
        return False
    return response.get("Content-Type", "").startswith(STORED_TYPES)


def _replay(entry) -> HttpResponse:
    _tokens, status, headers, content = entry
    return rebuilt(status, headers, content)


# The write tokens each path's page read when it was last built here, as cache keys, for
# the session store to read with the session (portal/sessions.py). Bounded: past
# USUAL_PATHS_MAX paths it starts again.
_usual_by_path: dict[str, tuple[str, ...]] = {}
USUAL_PATHS_MAX = 5000


def token_keys_for(path: str) -> tuple[str, ...]:
    return _usual_by_path.get(path, ()) if enabled() else ()


def _remember(path: str, tables, others=()) -> None:
    keys = tuple(TOKEN + t for t in sorted(tables)) + tuple(sorted(others))
    if _usual_by_path.get(path) != keys:
        if len(_usual_by_path) >= USUAL_PATHS_MAX:
            _usual_by_path.clear()
        _usual_by_path[path] = keys


def _tokens(request, tables) -> dict[str, str]:
    """current_tokens(tables), taking those the session store read with the session."""
    session = getattr(request, "session", None)
    read = getattr(session, "read_with", None) or {}
    given = {t: read[TOKEN + t] for t in tables if read.get(TOKEN + t) is not None}
    missing = [t for t in tables if t not in given]
    return {**given, **current_tokens(missing)} if missing else given


def private_page(view):
    """Keep the view's pages per session until a table they read changes (module
    docstring). Put it under the access checks (`login_required`), so they still run on
    every request."""

    # The tables this view has read before, in this process: their tokens are taken in
    # one round trip before the view runs, instead of one round trip per query. And the
    # other cache keys it read through read_early, read with the session likewise.
    usual: set[str] = set()
    usual_keys: set[str] = set()

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _key(request) if enabled() else None
        if key is None:
            return view(request, *args, **kwargs)
        # A hard reload (Cache-Control: no-cache) is built afresh, and kept again.
        fresh = "no-cache" in request.META.get("HTTP_CACHE_CONTROL", "")
        try:
            entry = None if fresh else cache.get(key)
            if entry is not None:
                known = _tokens(request, entry[0].keys() | usual)
                if all(known[table] == token for table, token in entry[0].items()):
                    return _replay(entry)
            else:
                known = _tokens(request, usual)
        except Exception:  # noqa: BLE001 - no cache: the page is built as without one
            logger.exception("Page cache unavailable")
            return view(request, *args, **kwargs)
        session = getattr(request, "session", None)
        capture = _Capture(known, getattr(session, "read_with", None))
        outer = getattr(_local, "capture", None)
        _local.capture = capture
        try:
            response = view(request, *args, **kwargs)
            if callable(getattr(response, "render", None)) and not getattr(
                    response, "is_rendered", True):
                response = response.render()
        finally:
            _local.capture = outer
        usual.update(capture.tokens)
        usual_keys.update(capture.keys)
        _remember(request.path_info, usual, usual_keys)
        if outer is not None:
            outer.tokens.update(capture.tokens)
            outer.wrote = outer.wrote or capture.wrote
        if _storable(request, response, capture):
            headers = [(n, v) for n, v in response.items() if n.lower() not in SKIPPED_HEADERS]
            # Kept once the page has gone to the person: the WSGI server closes the
            # response after writing it, so the person does not wait for the cache's
            # round trip (nor does the next request, on another worker).
            response._resource_closers.append(partial(
                _keep, key, (capture.tokens, response.status_code, headers, response.content)))
        return response

    wrapped.private_page = True
    return wrapped


def _keep(key: str, entry) -> None:
    try:
        cache.set(key, entry, settings.XY_PRIVATE_PAGE_SECONDS)
    except Exception:  # noqa: BLE001 - not kept this time
        logger.exception("Could not keep a page")


MISSING = object()


def read_early(key: str):
    """What cache `key` held when the session store read it, with the session, at the
    start of this request: for a small key a page reads on every request (the course
    catalogue's token), which then costs no round trip of its own. MISSING when it was
    not read so (the first time a page at this path asks, or outside private_page); the
    key is noted, and read with the session from the next request to the path on."""
    capture = getattr(_local, "capture", None)
    if capture is None:
        return MISSING
    capture.keys.add(key)
    return capture.early.get(key, MISSING)


# --- values built from rarely written tables ---------------------------------------------

_kept: dict[str, tuple[tuple[str, ...], object]] = {}
KEPT_MAX = 1000


def kept_while_unchanged(name: str, tables, build, *, store=None, max_entries=KEPT_MAX):
    """`build()`, kept in this process under `name` until one of `tables` is written
    (their write tokens change): for what many pages build alike from small tables that
    rarely change, such as a filter form's selects over every district of the province.

    The page being built depends on `tables` as if it had read them, so a kept page is
    retired when they change. Without the page cache (its tokens are then not kept up to
    date), or when a token cannot be read, `build()` runs every time. The value is
    shared: callers must not change it. `store` (a dict, bounded by `max_entries`) keeps
    one kind of value apart from the others, for many small values of one kind (the page
    routes of portal/ops/pagerouting.py)."""
    if not enabled():
        return build()
    tables = tuple(sorted(tables))
    capture = getattr(_local, "capture", None)
    try:
        if capture is not None:
            capture.before_read(tables)  # one round trip for the tokens it lacks, if any
            if any(t not in capture.tokens for t in tables):
                return build()
            tokens = tuple(capture.tokens[t] for t in tables)
        else:
            now = current_tokens(tables)
            tokens = tuple(now[t] for t in tables)
    except Exception:  # noqa: BLE001 - no cache: built as without it
        logger.exception("Could not read write tokens; %s built afresh", name)
        return build()
    kept = _kept if store is None else store
    hit = kept.get(name)
    if hit is not None and hit[0] == tokens:
        return hit[1]
    value = build()
    if len(kept) >= max_entries:
        kept.clear()  # bounded: a few hundred values (per county and language) at most
    kept[name] = (tokens, value)
    return value
