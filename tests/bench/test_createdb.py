"""`make scale` creates its scratch database when it is missing (portal/bench/createdb.py)."""

import pytest
from django.db import connection

from portal.bench import createdb


def test_only_a_bench_database_is_created():
    with pytest.raises(SystemExit, match="must contain 'bench'"):
        createdb.ensure("postgres://postgres@127.0.0.1:5432/xiangyang")


@pytest.mark.postgres
@pytest.mark.django_db
def test_creates_a_missing_database_once():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    import psycopg

    d = connection.settings_dict
    url = (f"postgres://{d['USER']}@{d.get('HOST') or '127.0.0.1'}:{d.get('PORT') or 5432}"
           "/xy_bench_createdb_test")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS xy_bench_createdb_test")
    try:
        assert createdb.ensure(url) is True
        assert createdb.ensure(url) is False
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS xy_bench_createdb_test")
