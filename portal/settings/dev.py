"""`make run`: DEBUG on, demo-friendly (staff two-factor not enforced)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
XY_REQUIRE_STAFF_MFA = env.bool("XY_REQUIRE_STAFF_MFA", default=False)
TASKS = {"default": {"BACKEND": env.str("TASKS_BACKEND",
                                        default="django_tasks.backends.immediate.ImmediateBackend")}}
