"""Deploy checks (`manage.py check --deploy`) for what Django's own checks do not know."""

from django.conf import settings
from django.core.checks import Tags, Warning, register

# Caches that live inside one process: rate limits (failed sign-ins) and used TOTP codes
# kept there are per worker and lost at every restart, so an attacker spreading attempts
# over gunicorn workers gets several times the allowance.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.caches, Tags.security, deploy=True)
def shared_cache_check(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            Warning(
                "The default cache is local to one process; sign-in rate limits and used "
                "two-factor codes are then not shared between workers.",
                hint="Set REDIS_URL so the cache (and the rate limits) live in Redis.",
                id="xiangyang.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def staff_two_factor_check(app_configs, **kwargs):
    if not getattr(settings, "XY_REQUIRE_STAFF_MFA", False):
        return [
            Warning(
                "Staff accounts may use the portal without two-factor authentication.",
                hint="Set XY_REQUIRE_STAFF_MFA=true (production settings force it).",
                id="xiangyang.W002",
            )
        ]
    return []
