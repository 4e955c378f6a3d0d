"""`make run` and `make dev`: the demo (staff two-factor not enforced). `make run` sets
DEBUG=False (the portal's own error pages, static files from WhiteNoise); `make dev` and a
plain `manage.py runserver` keep DEBUG on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Uploads (demo images, documents) are served by the portal itself here, DEBUG or not.
XY_SERVE_MEDIA = True
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
XY_REQUIRE_STAFF_MFA = env.bool("XY_REQUIRE_STAFF_MFA", default=False)
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND",
                                        default="django_tasks.backends.immediate.ImmediateBackend")}}
