"""pytest: fast hashing, immediate tasks, in-memory email."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
XY_REQUIRE_STAFF_MFA = env.bool("XY_REQUIRE_STAFF_MFA", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# Tests never touch a developer's Redis, whatever REDIS_URL says.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                      "LOCATION": "xiangyang-tests"}}
# Most tests change data and read the same public page again within one test: the
# whole-page cache is off here and switched on by the tests of it (tests/cms/
# test_page_cache.py).
XY_PAGE_CACHE = False
