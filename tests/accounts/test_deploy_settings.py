"""Production settings: refuse to start when unsafe, pass `check --deploy` cleanly when
configured, and warn (xiangyang.W001) when the cache is process-local."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from portal.accounts.checks import shared_cache_check, staff_two_factor_check

BASE_DIR = Path(__file__).resolve().parents[2]


def _production_env(**overrides) -> dict:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "xiangyang.example.cn",
        "DATABASE_URL": "postgres://xiangyang@127.0.0.1:5432/xiangyang",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        # Set explicitly, so a developer's .env cannot fill them in.
        "DEBUG": "false",
        "XY_REQUIRE_STAFF_MFA": "false",  # production must force it on regardless
    }
    env.update(overrides)
    return env


def _manage(*args, **env_overrides):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=_production_env(**env_overrides),
        capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_passes_without_warnings_when_configured():
    result = _manage("check", "--deploy")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output, output
    assert "ERRORS" not in output, output
    assert "System check identified no issues" in output


def test_check_deploy_warns_about_a_process_local_cache():
    result = _manage("check", "--deploy", REDIS_URL="")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "xiangyang.W001" in output
    # Warnings fail a deploy pipeline that asks for it.
    strict = _manage("check", "--deploy", "--fail-level", "WARNING", REDIS_URL="")
    assert strict.returncode != 0


@pytest.mark.parametrize("overrides, message", [
    ({"DEBUG": "true"}, "DEBUG must be off in production."),
    ({"SECRET_KEY": ""}, "Set SECRET_KEY (at least 50 characters) in production."),
    ({"SECRET_KEY": "too-short-a-key"}, "Set SECRET_KEY (at least 50 characters)"),
])
def test_production_refuses_to_start_when_unsafe(overrides, message):
    result = _manage("check", **overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_forces_staff_two_factor():
    code = "from django.conf import settings; print(settings.XY_REQUIRE_STAFF_MFA)"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=BASE_DIR,
        env=_production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


@override_settings(CACHES={"default": {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
def test_w001_for_local_memory_cache():
    assert [w.id for w in shared_cache_check(None)] == ["xiangyang.W001"]


def test_no_w001_for_redis():
    backend = "django.core.cache.backends.redis.RedisCache"
    with override_settings(CACHES={"default": {"BACKEND": backend,
                                               "LOCATION": "redis://127.0.0.1:6379/0"}}):
        assert shared_cache_check(None) == []


@pytest.mark.parametrize("required, ids", [(True, []), (False, ["xiangyang.W002"])])
def test_w002_when_staff_two_factor_is_off(required, ids):
    with override_settings(XY_REQUIRE_STAFF_MFA=required):
        assert [w.id for w in staff_two_factor_check(None)] == ids
