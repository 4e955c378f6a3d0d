"""Settings shared by every environment; values come from the environment (see .env.example)."""

from pathlib import Path

import environ

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Project apps come first so their templates override third-party ones.
    "portal",
    "portal.accounts",
    "portal.taxonomy",
    "portal.organisations",
    "portal.people",
    "portal.audit",
    "portal.notifications",
    "portal.dashboard",
    "portal.calendar",
    "portal.checkin",
    "cms",
    "courses",
    "volunteering",
    "employment",
    "helpnet",
    "casework",
    "portal.ops",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Everything else
    "django_filters",
    "ninja",  # the API docs' Swagger UI from local static files, not a CDN (CSP)
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Whole public pages for visitors who are not signed in (portal/pagecache.py).
    "portal.pagecache.AnonymousPageCacheMiddleware",
    # django-csp's, with the admin's relaxed policy (portal/ops/security.py).
    "portal.ops.security.PortalCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.accounts.middleware.StaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.navigation",
            ],
            # No "loaders": Django's defaults inside its cached loader; under DEBUG
            # (`make dev`) the autoreloader empties it when a template changes.
        },
    },
]

# Databases: the embedded SQLite default keeps `make run` working on a bare machine;
# production and CI point DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections on PostgreSQL (a new connection costs more than most queries);
# the health check reopens one the server or a pooler has closed in between.
_persistent = DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
DATABASES["default"].setdefault(
    "CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _persistent else 0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", _persistent)
# PostgreSQL: server-side binding and psycopg's prepare_threshold, so the statements every
# page runs are planned once per connection, not per request (poolers: docs/deploy.md).
PREPARED_STATEMENTS = {"server_side_binding": True,
                       "prepare_threshold": env.int("DB_PREPARE_THRESHOLD", default=5)}
_prepared = env.bool("DB_PREPARED_STATEMENTS", default=True)
if _prepared and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
# A read replica (docs/deploy.md): portal.db_router sends plain reads there, everything
# else (writes, select_for_update, reads inside a transaction) to the primary.
if env.str("REPLICA_DATABASE_URL", default=""):
    DATABASES["replica"] = env.db_url("REPLICA_DATABASE_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["replica"].setdefault("CONN_HEALTH_CHECKS", True)
    DATABASES["replica"].setdefault("TEST", {"MIRROR": "default"})
    if _prepared and DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {}).update(PREPARED_STATEMENTS)
DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids
    # "database is locked" upgrades inside write transactions.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Cache: Redis when REDIS_URL is set, local memory otherwise.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "xiangyang",
        }
    }

# Public pages a visitor who is not signed in sees are kept whole in the cache for this
# long at most (portal/pagecache.py); publishing any page retires them at once.
XY_PUBLIC_PAGE_SECONDS = env.int("XY_PUBLIC_PAGE_SECONDS", default=60)
XY_PAGE_CACHE = env.bool("XY_PAGE_CACHE", default=True)

# Background work: one TASKS setting shared with Wagtail.
TASKS = {
    "default": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
    }
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Username or phone number, then password.
    "portal.accounts.backends.UsernameOrPhoneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    # Signs nobody in: grants the permissions a role brings (a unit_admin membership gives
    # the "Unit administrators" group's permissions, Wagtail admin access included).
    "portal.access.RolePermissionBackend",
]

# Internationalisation: Simplified Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# The portal's catalogue first (it wins), then the strings Wagtail's own zh-hans catalogue
# lacks or words poorly (cms/locale_admin: not rewritten by `make messages`).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "cms" / "locale_admin"]
TIME_ZONE = "Asia/Shanghai"
# One time zone (China's): the admin account page then offers no time-zone choice. Left to
# Wagtail, the choice lists every zone the system knows, "localtime" included, which the
# browser refuses ("RangeError: Invalid time zone specified: localtime").
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "xy_language"
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Uploads that must never be served by the web server (fund documents): read only through
# access-checked views.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Accounts (django-allauth). No open sign-up: staff create accounts and send
# a one-time link (portal.accounts.services.invitation_create).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
ACCOUNT_FORMS = {"login": "portal.accounts.forms.LoginForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "向阳"
# Staff roles must have TOTP before they may use the portal (production default).
XY_REQUIRE_STAFF_MFA = env.bool("XY_REQUIRE_STAFF_MFA", default=True)

# How long an invitation link stays valid.
XY_INVITATION_DAYS = env.int("XY_INVITATION_DAYS", default=7)

# Email: the console backend by default.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="向阳 <noreply@xiangyang.invalid>")

# Notifications: every channel a notice goes through. An SMS sender plugs in here.
XY_NOTIFICATION_CHANNELS = env.list(
    "XY_NOTIFICATION_CHANNELS",
    default=["portal.notifications.channels.EmailChannel"],
)

# Wagtail
WAGTAIL_SITE_NAME = "向阳"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Documents go through Wagtail's view (collection permissions apply) and are always
# downloaded, never opened in the portal's origin (an uploaded HTML or SVG cannot run).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Uploaded documents are checked by content, not only by extension (cms/documents.py).
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.documents.ContentCheckedDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Wagtail's "what's new" banner links to its English guide, outside the closed network.
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAIL_PASSWORD_RESET_ENABLED = False

SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and written through to the
# database, which stays the record: a signed-in request costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp's middleware, portal.ops.security): no inline script or style
# without the request's nonce (`nonce="{{ request.csp_nonce }}"`), nothing from other
# origins. The Wagtail admin under /admin/ gets XY_ADMIN_CONTENT_SECURITY_POLICY.
from csp.constants import NONCE, NONE, SELF, UNSAFE_EVAL, UNSAFE_INLINE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
XY_ADMIN_CONTENT_SECURITY_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE, UNSAFE_EVAL],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https:"],
    "media-src": [SELF, "blob:", "https:"],
    "frame-src": [SELF, "https:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [SELF],
}
# The check-in scanner uses the camera; nothing uses the rest.
XY_PERMISSIONS_POLICY = "camera=(self), microphone=(), geolocation=(), payment=(), usb=()"
# Staff sessions (caseworkers, unit administrators, editors, superusers) are shorter.
XY_STAFF_SESSION_SECONDS = env.int("XY_STAFF_SESSION_SECONDS", default=2 * 60 * 60)
# Released persons' identifying data is anonymised this many years after release unless
# their unit sets its own period (portal.ops.retention).
XY_RETENTION_YEARS = env.int("XY_RETENTION_YEARS", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

