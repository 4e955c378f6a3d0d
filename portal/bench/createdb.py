"""`python -m portal.bench.createdb URL`: create the PostgreSQL database URL names, if missing.

`make scale` runs it first, so a bare machine goes from nothing to a generated province
with one command. Only databases whose name contains "bench" are created (the same
guard as generate_scale)."""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict


def ensure(url: str) -> bool:
    """Create the database when it does not exist; True when it was created."""
    params = conninfo_to_dict(url)
    name = params.get("dbname", "")
    if "bench" not in name:
        raise SystemExit(f"Refusing to create {name!r}: its name must contain 'bench'.")
    with psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


if __name__ == "__main__":
    url = sys.argv[1]
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(0)  # SQLite and others: nothing to create
    if ensure(url):
        print(f"created database {conninfo_to_dict(url)['dbname']}")
