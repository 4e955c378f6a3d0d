"""The stock project as `wagtail start` made it (portal/bench/reference/README.md), served
like the portal under `make bench`: DEBUG off, its own database (REFERENCE_DATABASE_URL;
SQLite in bench-results/ by default)."""

import os

import environ

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "reference-bench-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
STATICFILES_DIRS = []
_default = f"sqlite:///{BASE_DIR.parents[2] / 'bench-results' / 'reference.sqlite3'}"
DATABASES = {"default": environ.Env.db_url_config(
    os.environ.get("REFERENCE_DATABASE_URL", _default))}
DATABASES["default"]["CONN_MAX_AGE"] = 60
