"""The one settings module. Everything that differs between machines comes from the environment.

Without configuration the portal runs on a SQLite file and Celery runs tasks in-process.
With DATABASE_URL and REDIS_URL it uses PostgreSQL, Redis and real Celery workers.
Every variable is documented in .env.example.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from spbe_portal.env import env_bool, env_int, env_list, env_secret, env_str
from sso.config import form_action_origins, providers_from_env

BASE_DIR = Path(__file__).resolve().parent.parent


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production settings refuse to start without it; "
            "for development set DEBUG=1 (make run does)."
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set. List the host names the portal answers to, comma-separated.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "assessment",
    "scoring",
    "reports",
    "twofactor",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "archive",  # per-evaluation export and import (manage.py spbe_export / spbe_import)
    "sso",
]

MIDDLEWARE = [
    "spbe_portal.multipart.keep_upload_names",  # an upload's whole file name, for display (issue 17 item 15)
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "spbe_portal.health.HealthzFirstMiddleware",  # before sessions: JSON even when the database is down
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "spbe_portal.middleware.PrivateResponseMiddleware",  # after WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "spbe_portal.middleware.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Under DEBUG (`make run`), unknown addresses get the portal's 404 page too.
    "spbe_portal.errors.NotFoundPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "spbe_portal.middleware.HtmxSessionExpiryMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "spbe_portal.middleware.AssessorGateMiddleware",  # external assessors: listed pages only, in their period
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # axes must come last (its documentation).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "spbe_portal.urls"
WSGI_APPLICATION = "spbe_portal.wsgi.application"

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
                "assessment.context_processors.portal",
            ],
            # Figures and WIB times, one module for every page (spbe_portal/formatting.py).
            "libraries": {"formatting": "spbe_portal.formatting_tags"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# SQLite by default: a file in WAL mode, with IMMEDIATE transactions so that two writers queue
# on the lock instead of failing with "database is locked" halfway through a transaction.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # A connection that died (database restart) is detected before use, not by the request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery ---------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
# Without a broker, tasks run in-process, so the portal works with nothing else installed.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# acks_late alone loses a task when the worker process is killed; reject_on_worker_lost
# puts it back on the queue (measured, see docs/architecture.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "spbe")
# A worker child is replaced after this many tasks or this much memory (KiB), so a long-running
# worker's memory stays bounded however many reports it renders.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_MAX_TASKS_PER_CHILD", 50)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_MAX_MEMORY_PER_CHILD_KB", 400_000)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 900)}
# The schedule, run by exactly one `celery beat` process (docker-compose: the "beat" service).
# Both tasks are idempotent, so a second beat by mistake repeats work but never duplicates it.
CELERY_BEAT_SCHEDULE = {
    "sweep-reports": {"task": "reports.tasks.sweep_reports", "schedule": env_int("SWEEP_SECONDS", 60)},
    "deadline-reminders": {
        "task": "assessment.tasks.send_deadline_reminders",
        "schedule": env_int("REMINDER_SECONDS", 3600),
    },
    "pending-emails": {"task": "assessment.tasks.send_pending_emails", "schedule": env_int("SWEEP_SECONDS", 60) * 5},
}

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "sso.backends.OidcBackend",  # finds the user of a session signed in through SSO (sso.views)
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # No NumericPasswordValidator: refusing all-digit passwords is a composition rule, which
    # NIST 800-63B and ASVS 6.2.5 rule out; length and the common-password list do the work.
    {"NAME": "spbe_portal.auth.MaximumLengthValidator", "OPTIONS": {"max_length": 128}},
]
# Lock out one username from one client, not a whole office behind one proxy address.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, or behind N proxies of our own (nginx in docker-compose: 1)
# the N-th X-Forwarded-For entry from the right. django-ipware is not installed, so axes'
# AXES_IPWARE_* settings would be ignored; see spbe_portal.auth.client_ip.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "spbe_portal.auth.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Optional TOTP second factor for reviewers and admins (twofactor app, django-otp).
OTP_TOTP_ISSUER = "Portal SPBE"

# Single sign-on through OpenID Connect (sso app; docs/security.md#single-sign-on-sso): the
# providers named in OIDC_PROVIDERS, each from its OIDC_<NAME>_* variables (sso/config.py).
SSO_PROVIDERS = providers_from_env()

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # years and codes must never read "2.022"

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence and reports live here; it is never served as a URL path (downloads go through
# permission-checked views), so MEDIA_URL stays unset on purpose.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Object storage (several web nodes, workers on other machines): setting AWS_STORAGE_BUCKET_NAME
# switches every stored file to an S3-compatible bucket through django-storages, which reads
# the other AWS_* variables under its own names. The bucket stays private: objects are written
# without an ACL (the bucket's policy decides) and no view ever hands out an object URL.
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env_str("AWS_S3_ENDPOINT_URL") or None
    AWS_S3_REGION_NAME = env_str("AWS_S3_REGION_NAME") or None
    AWS_ACCESS_KEY_ID = env_secret("AWS_ACCESS_KEY_ID") or None
    AWS_SECRET_ACCESS_KEY = env_secret("AWS_SECRET_ACCESS_KEY") or None
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True  # an object URL, if one were ever built, is signed and expires
    AWS_QUERYSTRING_EXPIRE = 60
    # storage.open() (evidence package, archive export) spools past this size to a temp file
    # instead of holding a whole object in memory; downloads stream (spbe_portal.storage).
    AWS_S3_MAX_MEMORY_SIZE = 2_621_440
    # One request per gunicorn worker: upload parts one after the other, so a 20 MB file does
    # not sit in memory as several parallel part buffers (docs/benchmarks.md, storage).
    from boto3.s3.transfer import TransferConfig

    AWS_S3_TRANSFER_CONFIG = TransferConfig(use_threads=False)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Evidence files are readable by the portal's own user and group only.
FILE_UPLOAD_PERMISSIONS = 0o640
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# The portal's public address, for links that leave it (e-mail): scheme and host, no trailing path.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else f"https://{ALLOWED_HOSTS[0]}")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SPBE Portal <spbe@localhost>")
# Password reset requests per hour: mails per address, and requests per client IP (docs/security.md).
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_IP = env_int("PASSWORD_RESET_PER_IP", 10)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "spbe_portal.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A working day: a forgotten session on a shared office computer does not live for two weeks.
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12) * 3600
# Content-Security-Policy (django-csp): scripts and styles only from our own static files, no
# inline code, no eval (htmx is configured for that in base.html), never framed. Evidence
# downloads and previews set their own, stricter policy (sandbox), which the middleware keeps.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap draws form controls with data: SVGs
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The logout form's answer redirects to the provider's end-session page, and Chromium applies
# form-action to where a form's redirects lead: each provider's origin is allowed there.
CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"] += form_action_origins(SSO_PROVIDERS)
if not DEBUG:
    # Production sits behind TLS; SECURE_SSL_REDIRECT can be switched off when a proxy
    # already redirects, and SECURE_PROXY_SSL_HEADER tells Django the proxy spoke HTTPS.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if SESSION_COOKIE_SECURE:
        # The __Host- prefix makes the browser refuse the cookie unless it is Secure, for path /
        # and without Domain, so no sibling subdomain can set or overwrite it (ASVS 3.3.3).
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # axes reports every login at INFO; keep its warnings (lockouts) only.
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Domain ---------------------------------------------------------------------------------
# The framework files shipped with the portal, loaded by `manage.py load_framework`.
FRAMEWORK_DIR = BASE_DIR / "frameworks"
DEFAULT_FRAMEWORK_CODE = "permenpanrb-59-2020"
# Seconds a queued report may wait before the sweeper sends it to the broker again.
REPORT_REQUEUE_AFTER = env_int("REPORT_REQUEUE_AFTER", 60)
# A building worker stamps its report every HEARTBEAT seconds; the sweeper (every minute) re-sends
# a running report silent for longer than STALE: a killed worker's report comes back within ~2 min.
REPORT_HEARTBEAT_SECONDS = env_int("REPORT_HEARTBEAT_SECONDS", 15)
REPORT_HEARTBEAT_STALE = env_int("REPORT_HEARTBEAT_STALE", 60)

# --- API (api/, docs/api.md) ----------------------------------------------------------------
# Token clients (integrations) and the browser session; deny by default; scoped like the pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StrictPageNumberPagination",
    "PAGE_SIZE": 100,
    # Every endpoint needs a user (anonymous callers get 401 before throttling), so the rate is per user;
    # "score" is the scoring endpoint's own budget (CPU-bound), on top of "user".
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_USER", "600/minute"),
        "score": env_str("API_THROTTLE_SCORE", "120/minute"),
    },
    "NUM_PROXIES": env_int("TRUSTED_PROXY_COUNT", 0) or None,
}
# Throttle counters: shared through Redis when REDIS_URL is set (every gunicorn worker counts
# together); otherwise per process in memory, which is enough for one embedded process.
# With REDIS_URL the default cache is Redis too, so no node keeps state of its own in memory
# (sessions and django-axes lockouts are in the database; see docs/deployment.md).


def _cache(prefix: str) -> dict[str, object]:
    """Redis when configured, with short timeouts (with Redis unreachable the API throttle falls
    back to memory, api/throttles.py); otherwise this process's memory."""
    if not REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


CACHES = {"default": _cache("spbe"), "api": _cache("spbe-api")}
SPECTACULAR_SETTINGS = {
    "TITLE": "SPBE Portal API",
    "DESCRIPTION": "Frameworks, evaluations, answers, index results, reports and scoring. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the vendored sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"PredicateBasisEnum": "assessment.models.PredicateBasis"},
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.schema.document_errors"],
}
# --- Deployment -----------------------------------------------------------------------------
# Behind nginx (docker-compose): evidence downloads answer with X-Accel-Redirect after the
# permission check, and nginx sends the file from an `internal` location over MEDIA_ROOT.
EVIDENCE_X_ACCEL = env_bool("EVIDENCE_X_ACCEL", False)
EVIDENCE_X_ACCEL_PREFIX = env_str("EVIDENCE_X_ACCEL_PREFIX", "/_protected/")
