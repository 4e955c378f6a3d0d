"""In CI, a browser test or a PostgreSQL-only test that skips is a failure.

Outside CI, tests marked `e2e` skip when Chromium or axe-core is missing, and tests
marked `postgres` skip on SQLite: a developer's `make test` still works on a bare
machine. In CI (the environment variable CI is set, as .ci/run has it) such a skip would
hide a missing install step, so it fails instead:

- `e2e` tests must never skip;
- `postgres` tests must not skip when the database is PostgreSQL (on the SQLite run
  they skip as usual).

Loaded by pyproject.toml's addopts (`-p tests.plugins.ci_no_skip`).
"""

import os

import pytest


def ci_is_set() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def database_vendor() -> str:
    try:
        from django.db import connection

        return connection.vendor
    except Exception:  # noqa: BLE001 - Django not configured: no database tests either
        return "none"


def required_markers(item) -> list[str]:
    required = []
    if item.get_closest_marker("e2e"):
        required.append("e2e")
    if item.get_closest_marker("postgres") and database_vendor() == "postgresql":
        required.append("postgres")
    return required


def pytest_report_header(config):
    from django.conf import settings

    db = settings.DATABASES["default"]
    vendor = database_vendor()
    test_name = (db.get("TEST") or {}).get("NAME")
    if not test_name:
        test_name = "in memory" if vendor == "sqlite" else f"test_{db.get('NAME')}"
    mode = "skipped e2e/postgres tests fail" if ci_is_set() else "off (CI not set)"
    return [f"database: {vendor}, test database {test_name}", f"ci_no_skip: {mode}"]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    if not report.skipped or hasattr(report, "wasxfail") or not ci_is_set():
        return
    required = required_markers(item)
    if not required:
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr
    reason = str(reason).removeprefix("Skipped: ")
    report.outcome = "failed"
    report.longrepr = (
        f"CI is set, so this {' and '.join(required)} test must run, but it skipped: {reason}"
    )
