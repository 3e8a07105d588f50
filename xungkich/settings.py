"""Settings for Xung Kích Số.

One settings file: every difference between a laptop, CI and production comes from environment
variables (see docs/deployment.md). Defaults are the embedded, single-machine setup: SQLite under
var/, debug on, e-mail printed to the console.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET = "django-insecure-dev-only-xungkich-not-for-production"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG=0")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "xungkich.core",
    "xungkich.people",
    "xungkich.accounts",
    "xungkich.places",
    "xungkich.firstrun",
    "xungkich.rosters",
    "xungkich.tickets",
    "xungkich.helpdesk",
    "xungkich.catalogue",
    "xungkich.guides",
    "xungkich.search",
    "xungkich.campaigns",
    "xungkich.reports",
    "xungkich.api",
    "xungkich.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Vietnamese unless the person chose English; after authentication, which holds their choice.
    "xungkich.core.middleware.LanguageMiddleware",
    # Content-Security-Policy, Permissions-Policy, and no-store for everything a signed-in person sees.
    "xungkich.core.security.SecurityHeadersMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages: keeps unverified coordinators to the two-step sign-in pages.
    "xungkich.accounts.middleware.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns lock-outs into a clear page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xungkich.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "xungkich.navigation.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "xungkich.wsgi.application"

# --- Database -------------------------------------------------------------------------------
# DATABASE_URL picks the engine: sqlite:///path (default var/xungkich.sqlite3) or
# postgres://user@host:port/name. SQLite runs in WAL mode with a busy timeout and IMMEDIATE
# transactions so that concurrent writers queue instead of failing with "database is locked".
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'xungkich.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", DEFAULT_SQLITE),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file, not the in-memory database, so that concurrency tests see real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-xungkich.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -----------------------------------------------------------------------
# App processes keep no state in memory: sessions live in the database, the cache in Redis when
# REDIS_URL is set (production, several processes), else in the database cache table.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "xungkich.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "xk_cache",
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks -------------------------------------------------------------------------
# One task API (django-tasks, the backport of Django's own). TASKS_BACKEND picks the queue:
#   database  (default) jobs in the database, run by `manage.py db_worker` (make run starts one);
#   rq        a Redis-backed queue (REDIS_URL), run by `manage.py rqworker default`;
#   immediate run inside the request (tests).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0", "DEFAULT_TIMEOUT": 600}}

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "xungkich.people.backends.UserBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Throttling of repeated failed logins (django-axes, xungkich/accounts/lockout.py). Within
# AXES_COOLOFF_MINUTES, a lock of that length follows AXES_FAILURE_LIMIT failures for one user name
# from one address, XK_ACCOUNT_FAILURE_LIMIT for one user name from any addresses (the owner gets an
# e-mail) or XK_ADDRESS_FAILURE_LIMIT for any user names from one address (password spraying).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
XK_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("XK_ACCOUNT_FAILURE_LIMIT", "10"))
XK_ADDRESS_FAILURE_LIMIT = int(os.environ.get("XK_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_HANDLER = "xungkich.accounts.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
OTP_TOTP_ISSUER = "Xung Kích Số"
# When on, a coordinator without a confirmed authenticator is sent to set one up after signing in.
XK_REQUIRE_2FA_FOR_COORDINATORS = env_bool("XK_REQUIRE_2FA_FOR_COORDINATORS", False)

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Language names are shown in their own language, so they are not translated.
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice is kept for a year, not only until the browser closes.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["xungkich.formats"]
PHONE_REGION = "VN"

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files that hold personal data and are never served over HTTP (uploads waiting for confirmation).
PRIVATE_ROOT = Path(os.environ.get("PRIVATE_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Readable by the app's own user only: files 0600, folders 0700.
        "OPTIONS": {
            "location": PRIVATE_ROOT,
            "base_url": None,
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# A volunteer list of a few thousand rows is well under this; larger uploads are refused early.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
XK_IMPORT_MAX_BYTES = int(os.environ.get("XK_IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
# Spreadsheet bombs: an upload's unpacked size and its rows are bounded before it is parsed; longer
# lists than XK_IMPORT_BACKGROUND_ROWS are read by the background worker
# (xungkich/people/imports/jobs.py).
XK_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("XK_IMPORT_MAX_UNPACKED_BYTES", str(20 * 1024 * 1024)))
XK_IMPORT_MAX_ROWS = int(os.environ.get("XK_IMPORT_MAX_ROWS", "5000"))
XK_IMPORT_BACKGROUND_ROWS = int(os.environ.get("XK_IMPORT_BACKGROUND_ROWS", "300"))
# Report export files are deleted this many days after they were made (manage.py purge_private_files).
XK_EXPORT_KEEP_DAYS = int(os.environ.get("XK_EXPORT_KEEP_DAYS", "7"))

# The address people reach the app at, for links in e-mails and on printed QR posters.
XK_BASE_URL = os.environ.get("XK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Xung Kích Số <no-reply@localhost>")

# --- Security (production) --------------------------------------------------------------------
# Behind nginx terminating TLS: nginx sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every asset is served by the app itself; no inline script or style (see xungkich/core/security.py).
XK_CSP = os.environ.get(
    "XK_CSP",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; media-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'",
)
# The camera only for the event check-in scanner (the app's own pages); everything else off.
XK_PERMISSIONS_POLICY = os.environ.get(
    "XK_PERMISSIONS_POLICY",
    "camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), "
    "publickey-credentials-get=(), browsing-topics=(), interest-cohort=()",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
