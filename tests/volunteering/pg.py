"""Helpers for the PostgreSQL-only tests of this package."""

import pytest
from django.db import connection

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks and database triggers); set DATABASE_URL to run",
)
