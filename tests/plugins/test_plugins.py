"""The two test plugins do what docs/ci.md promises."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction

ROOT = Path(__file__).resolve().parents[2]

SKIPPING = textwrap.dedent("""
    import pytest

    @pytest.mark.e2e
    def test_browser():
        pytest.skip("Chromium not found")

    @pytest.mark.postgres
    def test_row_locks():
        pytest.skip("needs PostgreSQL")

    def test_other():
        pytest.skip("not needed here")
""")


def run_pytest(tmp_path, **env):
    test_file = tmp_path / "test_skipping.py"
    test_file.write_text(SKIPPING)
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "DATABASE_URL")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "pytest", str(test_file), "-p", "no:cacheprovider", "-q",
         "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_outside_ci_browser_and_postgres_tests_may_skip(tmp_path):
    result = run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 skipped" in result.stdout


def test_in_ci_a_skipped_browser_test_fails(tmp_path):
    # On SQLite the PostgreSQL-only test still skips, even in CI.
    result = run_pytest(tmp_path, CI="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed" in result.stdout and "2 skipped" in result.stdout
    assert "this e2e test must run, but it skipped: Chromium not found" in result.stdout


def test_in_ci_on_postgresql_a_skipped_postgres_test_fails_too(tmp_path):
    # No test here touches the database: the address only has to say "PostgreSQL".
    result = run_pytest(tmp_path, CI="true",
                        DATABASE_URL="postgres://nobody@127.0.0.1:9/nowhere")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 failed" in result.stdout and "1 skipped" in result.stdout
    assert "this postgres test must run, but it skipped: needs PostgreSQL" in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_flush_empties_append_only_tables_and_leaves_them_guarded():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers exist on PostgreSQL only")
    tables = ["audit_accesslogentry"]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c "
            "ON c.oid = t.tgrelid WHERE c.relname = %s AND NOT t.tgisinternal", tables)
        triggers = dict(cursor.fetchall())
    assert triggers and set(triggers.values()) == {"O"}  # all enabled again
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE audit_accesslogentry")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_starts_from_what_the_migrations_created():
    """The test above (transactional too) ended with a flush of every table; this one
    still finds the page tree and the groups the migrations made."""
    from django.contrib.auth.models import Group
    from wagtail.models import Site

    assert Group.objects.filter(name="编辑").exists()
    assert Site.objects.get(is_default_site=True).root_page.title == "向阳"
