"""The access-policy runner: every URL pattern of the project has a declared policy, and
every role gets what the policy declares. The format is in spec.py; the rules live in
rules_<area>.py beside this file.

Each request runs inside a savepoint that is rolled back, so one request (a POST, a
logout, an access-log entry) cannot change what the next one sees, and one World serves
every role.
"""

import copy
import importlib
import json
import logging
import pkgutil
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch, Resolver404

from tests.access_policy import spec
from tests.access_policy.spec import (
    BAD_REQUEST,
    FORBIDDEN,
    NOT_FOUND,
    OK,
    REDIRECT,
    REDIRECT_LOGIN,
    ROLES,
    UNAUTHORIZED,
    PrefixRule,
    Rule,
    expect,
)

LOGIN_BACKEND = "portal.accounts.backends.UsernameOrPhoneBackend"
REGEX_SPECIAL = re.compile(r"[\^$.*+?()\[\]{}|\\<>]")


# --- what the project serves ------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None  # "namespace:name", or None for an unnamed pattern
    route: str  # as Django reports it in ResolverMatch.route
    takes_args: bool

    @property
    def key(self) -> str:
        return self.name or f"/{self.route}"

    @property
    def literal_path(self) -> str | None:
        """The one path an unnamed, argument-free pattern answers, if it is a plain path."""
        if self.takes_args or REGEX_SPECIAL.search(self.route):
            return None
        return f"/{self.route}"


def url_patterns(resolver=None, route="", namespace="", groups=0) -> list[Pattern]:
    """Every URL pattern of the project, walking includes and namespaces (the ninja API
    included: it is an include with a namespace)."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        entry_route = URLResolver._join_route(route, str(entry.pattern))
        entry_groups = groups + entry.pattern.regex.groups
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += url_patterns(entry, entry_route, inner, entry_groups)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            found.append(Pattern(name or None, entry_route, entry_groups > 0))
    return found


# --- what the rules declare -------------------------------------------------------------


@cache
def rule_modules() -> tuple:
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)])
                   if m.name.startswith("rules_"))
    return tuple(importlib.import_module(f"tests.access_policy.{name}") for name in names)


@cache
def all_rules() -> tuple[tuple[Rule, ...], tuple[PrefixRule, ...]]:
    rules, prefixes = [], []
    for module in rule_modules():
        declared = getattr(module, "RULES", None)
        if not isinstance(declared, list | tuple):
            raise TypeError(f"{module.__name__} must define a list RULES")
        for item in declared:
            if isinstance(item, Rule):
                rules.append(item)
            elif isinstance(item, PrefixRule):
                prefixes.append(item)
            else:
                raise TypeError(f"{module.__name__}: {item!r} is neither Rule nor PrefixRule")
    return tuple(rules), tuple(prefixes)


def prefix_matches(prefix: PrefixRule, pattern: Pattern) -> bool:
    if prefix.prefix.startswith("/"):
        return f"/{pattern.route}".startswith(prefix.prefix)
    return pattern.name is not None and pattern.name.startswith(prefix.prefix)


def literal_rule_route(rule: Rule) -> str | None:
    """The route a literal-path rule ("/admin/test404/") lands on."""
    try:
        return resolve(rule.name.split("?")[0]).route
    except Resolver404:
        return None


def owner(pattern: Pattern, rules, prefixes):
    """The rule that decides `pattern`: a Rule for its name (or a literal path that resolves
    to it), else the longest matching PrefixRule, else None."""
    for rule in rules:
        if rule.name.startswith("/"):
            if pattern.name is None and literal_rule_route(rule) == pattern.route:
                return rule
        elif rule.name == pattern.name:
            return rule
    matching = [p for p in prefixes if prefix_matches(p, pattern)]
    return max(matching, key=lambda p: len(p.prefix)) if matching else None


def uncovered(patterns, rules, prefixes) -> list[Pattern]:
    """Patterns no rule decides, each once (ninja gives one pattern per HTTP method)."""
    return list(dict.fromkeys(p for p in patterns if owner(p, rules, prefixes) is None))


# --- asking as each role ----------------------------------------------------------------


def classify(response: HttpResponse) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return OK
    if 300 <= code < 400:
        location = urlsplit(response.headers.get("Location", "")).path
        if code == 302 and location == resolve_url(settings.LOGIN_URL):
            return REDIRECT_LOGIN
        return REDIRECT
    return {401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND, 400: BAD_REQUEST,
            405: BAD_REQUEST, 422: BAD_REQUEST}.get(code, f"HTTP {code}")


class Asker:
    """Sends requests as each role of a World. Each role signs in once; each request runs
    in a savepoint that is rolled back and starts from the role's signed-in cookies, so a
    POST, a logout or an access-log entry cannot change what the next request sees."""

    def __init__(self, world):
        self.world = world
        self.clients = {}

    def client(self, role) -> Client:
        if role not in self.clients:
            client = Client()
            user = self.world.users[role]
            if user is not None:
                client.force_login(user, backend=LOGIN_BACKEND)
            self.clients[role] = (client, copy.deepcopy(client.cookies))
        client, cookies = self.clients[role]
        client.cookies = copy.deepcopy(cookies)
        return client

    def outcome(self, role, method: str, path: str, data=None, content_type: str = "") -> str:
        cache = caches["default"]
        if isinstance(cache, LocMemCache):  # rate limits must not leak between requests
            cache.clear()
        client = self.client(role)
        kwargs = {}
        if data and content_type == "application/json":
            kwargs = {"data": json.dumps(data), "content_type": content_type}
        elif data:
            kwargs = {"data": data}
        with transaction.atomic(), quiet_request_log():
            try:
                got = classify(getattr(client, method.lower())(path, **kwargs))
            except Exception as exc:  # noqa: BLE001 - an exception is reported in the table
                got = f"raised {type(exc).__name__}: {str(exc)[:80]}"
            transaction.set_rollback(True)
        return got


@contextmanager
def quiet_request_log():
    """Refusals are the point here: keep Django from logging each 403/404 with its
    traceback (errors, 5xx, are still logged)."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def rule_path(rule: Rule, world) -> str:
    if rule.name.startswith("/"):
        path = rule.name
    else:
        path = reverse(rule.name, kwargs=rule.args(world) if rule.args else None)
    if rule.query:
        path += ("&" if "?" in path else "?") + rule.query.lstrip("?")
    return path


def rule_title(rule: Rule) -> str:
    title = rule.name + (f" [{rule.label}]" if rule.label else "")
    return title if rule.method.upper() == "GET" else f"{rule.method.upper()} {title}"


@dataclass
class Mismatch:
    what: str
    role: str
    expected: str
    got: str


def check_rule(rule: Rule, asker: Asker, roles=ROLES) -> list[Mismatch]:
    try:
        # In a savepoint of its own: data a rule's args() makes stays for its requests,
        # but a database error there (PostgreSQL aborts the whole transaction) must not
        # take every later rule down with it.
        with transaction.atomic():
            path = rule_path(rule, asker.world)
    except Exception as exc:  # noqa: BLE001 - a broken rule is one row of the table
        return [Mismatch(rule_title(rule), "*", "a URL",
                         f"cannot build it: {type(exc).__name__}: {exc}")]
    found = []
    for role in roles:
        expected = rule.expect.get(role, "(undeclared)")
        got = asker.outcome(role, rule.method, path, rule.data, rule.content_type)
        if got != expected:
            found.append(Mismatch(f"{rule_title(rule)} {path}", role, expected, got))
    return found


def check_prefix(prefix: PrefixRule, pattern_names: list[str], asker: Asker,
                 literal_paths=(), roles=ROLES) -> list[Mismatch]:
    targets = []
    for name in pattern_names:
        try:
            targets.append((name, reverse(name)))
        except NoReverseMatch as exc:
            targets.append((name, exc))
    targets += [(path, path) for path in literal_paths]
    found = []
    for name, path in targets:
        if isinstance(path, Exception):
            found.append(Mismatch(f"{name} (prefix {prefix.prefix})", "*", "a URL",
                                  f"cannot build it: {path}"))
            continue
        for role in roles:
            expected = prefix.expect.get(role, "(undeclared)")
            got = asker.outcome(role, "GET", path)
            if got != expected:
                found.append(Mismatch(f"{name} {path} (prefix {prefix.prefix})", role,
                                      expected, got))
    return found


def table(mismatches: list[Mismatch]) -> str:
    rows = [("URL", "role", "declared", "got")] + [
        (m.what, m.role, m.expected, m.got) for m in mismatches]
    widths = [min(max(len(r[i]) for r in rows), 90) for i in range(3)]
    lines = ["  ".join(cell.ljust(widths[i]) if i < 3 else cell
                       for i, cell in enumerate(row)) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


# --- the tests --------------------------------------------------------------------------


def test_every_url_pattern_has_a_declared_policy():
    rules, prefixes = all_rules()
    missing = uncovered(url_patterns(), rules, prefixes)
    if missing:
        pytest.fail(
            f"{len(missing)} URL pattern(s) have no rule in tests/access_policy/rules_*.py "
            "(see spec.py for the format):\n"
            + "\n".join(f"  {p.key:<50} /{p.route}" for p in missing), pytrace=False)


def test_every_rule_names_a_pattern_that_exists():
    """A rule left behind by a renamed or removed URL protects nothing."""
    rules, prefixes = all_rules()
    patterns = url_patterns()
    names = {p.name for p in patterns if p.name}
    stale = [rule_title(r) for r in rules
             if (r.name.startswith("/") and literal_rule_route(r) is None)
             or (not r.name.startswith("/") and r.name not in names)]
    stale += [f"PrefixRule {p.prefix}" for p in prefixes
              if not any(prefix_matches(p, pattern) for pattern in patterns)]
    if stale:
        pytest.fail("Rules for URLs the project does not have:\n  " + "\n  ".join(stale),
                    pytrace=False)


def test_rules_are_complete_and_unambiguous():
    rules, prefixes = all_rules()
    problems = []
    seen = {}
    for rule in rules:
        missing_roles = set(ROLES) - set(rule.expect)
        if missing_roles:
            problems.append(f"{rule_title(rule)}: no outcome for {sorted(missing_roles)}")
        key = (rule.name, rule.label, rule.method.upper())
        if key in seen:
            problems.append(f"{rule_title(rule)}: declared twice (give variants a label)")
        seen[key] = rule
    for prefix in prefixes:
        missing_roles = set(ROLES) - set(prefix.expect)
        if missing_roles:
            problems.append(f"PrefixRule {prefix.prefix}: no outcome for {sorted(missing_roles)}")
    duplicate_prefixes = {p.prefix for p in prefixes if [q.prefix for q in prefixes].count(p.prefix) > 1}
    problems += [f"PrefixRule {p}: declared twice" for p in sorted(duplicate_prefixes)]
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def test_every_role_gets_the_declared_outcome_of_every_rule(world):
    rules, _ = all_rules()
    asker = Asker(world)
    mismatches = []
    for rule in rules:
        if not rule.skip_reason:
            mismatches += check_rule(rule, asker)
    if mismatches:
        pytest.fail(f"{len(mismatches)} request(s) did not get the declared outcome:\n"
                    + table(mismatches), pytrace=False)


def test_every_role_gets_the_declared_outcome_of_every_prefix_pattern(world):
    """Each PrefixRule is checked on every pattern it decides that takes no arguments."""
    rules, prefixes = all_rules()
    by_prefix = {}
    for pattern in url_patterns():
        decider = owner(pattern, rules, prefixes)
        if not isinstance(decider, PrefixRule) or pattern.takes_args:
            continue
        names, paths = by_prefix.setdefault(decider.prefix, (decider, set(), set()))[1:]
        if pattern.name:
            names.add(pattern.name)
        elif pattern.literal_path:
            paths.add(pattern.literal_path)
    asker = Asker(world)
    mismatches = []
    for decider, names, paths in by_prefix.values():
        mismatches += check_prefix(decider, sorted(names), asker, sorted(paths))
    if mismatches:
        pytest.fail(f"{len(mismatches)} request(s) did not get the prefix rule's outcome:\n"
                    + table(mismatches), pytrace=False)


# --- the runner's own mechanics: these must be able to fail -----------------------------


def test_classify_tells_the_outcomes_apart():
    login = resolve_url(settings.LOGIN_URL)
    assert classify(HttpResponse(status=200)) == OK
    assert classify(HttpResponse(status=201)) == OK
    assert classify(HttpResponseRedirect(f"{login}?next=/people/")) == REDIRECT_LOGIN
    assert classify(HttpResponseRedirect(f"http://testserver{login}")) == REDIRECT_LOGIN
    assert classify(HttpResponseRedirect("/dashboard/")) == REDIRECT
    assert classify(HttpResponse(status=301, headers={"Location": login})) == REDIRECT
    assert classify(HttpResponse(status=401)) == UNAUTHORIZED
    assert classify(HttpResponse(status=403)) == FORBIDDEN
    assert classify(HttpResponse(status=404)) == NOT_FOUND
    for code in (400, 405, 422):
        assert classify(HttpResponse(status=code)) == BAD_REQUEST
    assert classify(HttpResponse(status=500)) == "HTTP 500"


def test_a_pattern_without_a_rule_is_reported():
    patterns = [Pattern("dashboard", "dashboard/", False),
                Pattern("wagtailadmin_home", "admin/", False),
                Pattern(None, "admin/test404/", False),
                Pattern("people:detail", "people/<int:pk>/", True)]
    rules = [Rule("dashboard", spec.LOGGED_IN)]
    prefixes = [PrefixRule("wagtailadmin", spec.STAFF_ONLY)]
    assert [p.key for p in uncovered(patterns, rules, prefixes)] == [
        "/admin/test404/", "people:detail"]
    prefixes.append(PrefixRule("/admin/", spec.STAFF_ONLY))
    rules.append(Rule("people:detail", spec.STAFF_ONLY))
    assert uncovered(patterns, rules, prefixes) == []
    # the longest prefix decides
    assert owner(patterns[1], rules, prefixes).prefix == "wagtailadmin"


def test_the_project_walk_finds_namespaced_api_and_unnamed_patterns():
    patterns = {p.key: p for p in url_patterns()}
    assert "dashboard" in patterns
    assert "api-v1:me" in patterns  # ninja's routes, inside the api-v1 namespace
    assert patterns["people:detail"].takes_args
    assert not patterns["dashboard"].takes_args
    assert any(p.name is None for p in patterns.values())


def test_a_wrong_declaration_is_reported_for_each_role_it_misstates(world):
    asker = Asker(world)
    wrong = Rule("dashboard", expect(OK, supervisee=FORBIDDEN), label="deliberately wrong")
    found = {(m.role, m.expected, m.got) for m in check_rule(wrong, asker)}
    assert found == {("anonymous", OK, REDIRECT_LOGIN), ("supervisee", FORBIDDEN, OK)}
    assert "deliberately wrong" in table(check_rule(wrong, asker))
    right = Rule("dashboard", spec.LOGGED_IN)
    assert check_rule(right, asker) == []


def test_requests_cannot_change_what_the_next_role_sees(world, client):
    """A POST that changes data is rolled back before the next request."""
    from portal.notifications.models import Notification

    user = world.users["supervisee"]
    Notification.objects.create(recipient=user, kind="test", title="测试")
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    asker = Asker(world)
    assert asker.outcome("supervisee", "POST", reverse("notifications_read")) == REDIRECT
    assert unread.count() == 1
    # A logout is undone too: the next request is still signed in.
    assert asker.outcome("supervisee", "POST", reverse("account_logout")) == REDIRECT
    assert asker.outcome("supervisee", "GET", reverse("dashboard")) == OK
    # The same request outside the runner does mark it read: the check above can fail.
    client.force_login(user, backend=LOGIN_BACKEND)
    client.post(reverse("notifications_read"))
    assert unread.count() == 0


def test_a_rule_that_breaks_the_database_spoils_only_its_own_row(world):
    """On PostgreSQL one failed statement aborts the transaction: the runner keeps that to
    the rule whose args() failed."""
    from django.contrib.auth.models import Group
    from django.db import IntegrityError

    def duplicate_group(w):
        Group.objects.create(name="编辑")  # exists already: IntegrityError
        return {}

    asker = Asker(world)
    broken = Rule("dashboard", spec.LOGGED_IN, args=duplicate_group, label="broken")
    [row] = check_rule(broken, asker)
    assert row.role == "*" and IntegrityError.__name__ in row.got
    assert check_rule(Rule("dashboard", spec.LOGGED_IN), asker) == []
