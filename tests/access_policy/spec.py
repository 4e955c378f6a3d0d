"""The declared access policy: for every URL pattern of the project, what each role gets.

Each area keeps its rules in tests/access_policy/rules_<area>.py as a list named RULES.
The runner (test_access_policy.py) enumerates every URL pattern of the project; a pattern
with no rule fails the test, so every new URL must declare its policy.

    Rule(
        "people:detail",                      # URL name (namespace:name) …
        args=lambda w: {"pk": w.supervisee.pk},  # … kwargs built from the World (tests/world.py)
        label="squad-1 supervisee",           # tells variants of one URL apart
        expect=expect(OK, caseworker=OK, other_caseworker=NOT_FOUND, ...),
        method="GET",                          # or "POST" (sent with an empty body)
    )

Outcomes: OK (2xx), REDIRECT_LOGIN (302 to the login page), FORBIDDEN (403),
NOT_FOUND (404), REDIRECT (any other 3xx), UNAUTHORIZED (401, for the API),
BAD_REQUEST (400/405/422: refused for its method or body). A role the rule does not name
takes the rule's default. Roles are tests.world.ROLES.

Third-party URL groups (Wagtail admin, allauth) are declared by a name prefix with
PrefixRule; the runner checks every one of their patterns that takes no arguments for
every role, and counts patterns with arguments as covered by the prefix rule. A Rule for
a name beats any PrefixRule, and a longer prefix beats a shorter one.

Patterns without a name: a Rule whose name starts with "/" is a literal path, requested
as it is, and covers the pattern that path resolves to; a PrefixRule whose prefix starts
with "/" covers every pattern whose route starts with it (e.g. "/admin/").

A pattern that cannot be requested meaningfully (a view that raises on purpose, a
download that needs a prepared file) gets `skip_reason`: it counts as covered and the
runner does not request it, so say why. `content_type="application/json"` sends `data`
as a JSON body (for POSTs to the API).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OK = "ok"
REDIRECT_LOGIN = "login"
FORBIDDEN = "403"
NOT_FOUND = "404"
REDIRECT = "redirect"
UNAUTHORIZED = "401"
BAD_REQUEST = "400"

ROLES = (
    "anonymous", "supervisee", "other_supervisee", "caseworker", "other_caseworker",
    "unit_admin", "ngo", "counsellor", "enterprise", "editor", "superuser",
)


def expect(default: str, **per_role: str) -> dict:
    unknown = set(per_role) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")
    return {role: per_role.get(role, default) for role in ROLES}


# Common shapes
PUBLIC = expect(OK)
LOGGED_IN = expect(OK, anonymous=REDIRECT_LOGIN)
STAFF_ONLY = expect(FORBIDDEN, anonymous=REDIRECT_LOGIN, caseworker=OK, other_caseworker=OK,
                    unit_admin=OK, superuser=OK)


@dataclass
class Rule:
    name: str
    expect: dict
    args: Callable | None = None  # World -> kwargs for reverse()
    label: str = ""
    method: str = "GET"
    data: dict = field(default_factory=dict)
    query: str = ""
    content_type: str = ""  # "" sends `data` form-encoded; "application/json" as JSON
    skip_reason: str = ""  # covered but not requested: say why


@dataclass
class PrefixRule:
    prefix: str  # URL-name prefix, e.g. "wagtailadmin", or a path prefix "/admin/"
    expect: dict
    reason: str = ""

