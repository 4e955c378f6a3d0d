"""What `make bench` drives, and the floors each page must reach: declared here only.

A floor is a ratio to a reference served the same way (requests per second of the page
divided by requests per second of the reference), or a latency ceiling: every key page
at least as fast as the stock Wagtail home page; cached public pages at least half as
fast as a bare Django view; a caseworker's caseload answering 95 % of requests within
100 ms.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Floor:
    vs_wagtail: float | None = 1.0  # page req/s ÷ stock Wagtail home req/s, at least
    vs_bare: float | None = None  # page req/s ÷ bare Django view req/s, at least
    p95_ms: float | None = None  # 95th-percentile latency, at most


KEY = Floor()
CACHED_PUBLIC = Floor(vs_wagtail=1.0, vs_bare=0.5)

# name -> (who asks, how the path is found, floor). "who" is anonymous, supervisee,
# caseworker, unit_admin or organiser; the path is a URL name (reversed with the
# arguments the command knows) or a literal path.
TARGETS: list[tuple[str, str, str, Floor]] = [
    ("public home", "anonymous", "/", CACHED_PUBLIC),
    ("news", "anonymous", "/news/", CACHED_PUBLIC),
    ("course catalogue", "anonymous", "/courses/", CACHED_PUBLIC),
    ("course page", "anonymous", "{course_url}", KEY),
    # The same two pages for a signed-in person: rendered for them every time (their own
    # enrolments marked), not answered from the visitors' page cache.
    ("course catalogue, signed in", "supervisee", "/courses/", KEY),
    ("course page, signed in", "supervisee", "{course_url}", KEY),
    ("activity list", "supervisee", "volunteering:list", KEY),
    ("supervisee dashboard", "supervisee", "dashboard", KEY),
    ("my courses", "supervisee", "courses:mine", KEY),
    ("study hours", "supervisee", "courses:my_hours", KEY),
    ("service hours", "supervisee", "volunteering:me", KEY),
    ("job matches", "supervisee", "employment:matches", KEY),
    ("organiser activity page", "organiser", "{activity_manage_url}", KEY),
    ("jobs board", "caseworker", "employment:board", KEY),
    ("caseload", "caseworker", "people:list", Floor(vs_wagtail=1.0, p95_ms=100)),
    ("today", "caseworker", "casework:today", KEY),
    ("unit dashboard", "unit_admin", "casework:unit_dashboard", KEY),
    ("API courses", "anonymous", "/api/v1/courses", KEY),
    ("API activities", "supervisee", "/api/v1/activities", KEY),
    ("API my hours", "supervisee", "/api/v1/me/hours", KEY),
    ("API my courses", "supervisee", "/api/v1/me/courses", KEY),
]

# label -> (path, which reference server). The floors are ratios to the first two. The
# stock Wagtail home is served from the same database engine as the portal ("served the
# same way": on PostgreSQL, its own database on the same server); the third row is the
# same page on SQLite, as `wagtail start` ships it, shown for comparison only.
REFERENCES = [
    ("bare Django view", "/bare/", "same-db"),
    ("stock Wagtail home", "/", "same-db"),
    ("stock Wagtail home, SQLite", "/", "sqlite"),
]


def shortfalls(floor: Floor, *, rps: float, p95_ms: float, wagtail_rps: float,
               bare_rps: float) -> list[str]:
    """What a measured page misses of its floor (empty: it meets it)."""
    missed = []
    if floor.vs_wagtail is not None and wagtail_rps and rps / wagtail_rps < floor.vs_wagtail:
        missed.append(f"{rps / wagtail_rps:.2f}× Wagtail < {floor.vs_wagtail}")
    if floor.vs_bare is not None and bare_rps and rps / bare_rps < floor.vs_bare:
        missed.append(f"{rps / bare_rps:.2f}× bare < {floor.vs_bare}")
    if floor.p95_ms is not None and p95_ms > floor.p95_ms:
        missed.append(f"p95 {p95_ms:.0f} ms > {floor.p95_ms:.0f}")
    return missed
