"""`make bench`: production settings, but served over plain http on 127.0.0.1.

Everything that shapes speed is as in production (DEBUG off, persistent connections,
the same middleware, templates and cache); only what needs TLS is relaxed, because
the benchmark drives the server on the loopback interface without a proxy."""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 60)

from .production import *  # noqa: E402, F403
from .production import INSTALLED_APPS, env  # noqa: E402

# The benchmark's own commands (generate_scale, bench, bench_probe) live only here.
INSTALLED_APPS = [*INSTALLED_APPS, "portal.bench"]

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# collectstatic is not part of a benchmark run; pages link static files by plain names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOG_LEVEL = env.str("LOG_LEVEL", default="ERROR")
