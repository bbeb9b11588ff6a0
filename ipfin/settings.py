"""ipfin settings, read from the environment.

With nothing set, the portal runs on SQLite with Celery tasks executed eagerly,
so a newcomer needs nothing installed. Production sets DATABASE_URL, REDIS_URL,
SECRET_KEY, DEBUG=false and ALLOWED_HOSTS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
# The default key only ever serves local development: check --deploy rejects it.
SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-local-development-only")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "csp",
    # Accounts: sign-up, email verification, password reset, second factor
    # and the list of one's sessions (see README, accounts).
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

# The portal's own apps, lowest first (see README, architecture). The seed's
# row summary and the model-wide tests read this list.
PORTAL_APPS = [
    "core",
    "ops",
    "parks",
    "accounts",
    "enterprises",
    "products",
    "events",
    "organisations",
    "knowledge",
    "matching",
    "financing",
    "dashboards",
    "search",
    "reports",
    "demo",
]
INSTALLED_APPS += PORTAL_APPS

MIDDLEWARE = [
    # First: every answer carries X-Request-ID, every log line its request_id (ops.logs).
    "ops.logs.RequestIdMiddleware",
    # Counts and times requests by view and status (ops.metrics; with PrometheusAfter below).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # First, so it sees every write the request makes (core.db).
    "core.middleware.ReplicaReadsMiddleware",
    # Above WhiteNoise, so static files carry the policies too.
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # /healthz/, /readyz/ and /metrics/ answered here, under the policies,
    # before any host check, session, language, CSRF or sign-in work (README, Health).
    "ops.middleware.ProbeMiddleware",
    # A body larger than any upload the portal takes is refused unread (413),
    # as nginx refuses it in front (core.limits.REQUEST_BODY_MAX_BYTES).
    "core.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Chinese first: a first visit opens in the language the browser asks for.
    "accounts.middleware.BrowserLanguageMiddleware",
    # A reader who chose Chinese gets the Chinese address of the page they open.
    "core.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Officers, regulators, park managers and staff set up a second factor first.
    "accounts.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database still locked after its busy timeout answers 503, not 500.
    "core.middleware.DatabaseBusyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Sees the view that answered (ops.metrics); outside axes, so a locked-out
    # sign-in is counted with the status axes answers.
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, as django-axes asks: it answers locked-out sign-ins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipfin.urls"
WSGI_APPLICATION = "ipfin.wsgi.application"

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
                "ipfin.context_processors.workspaces",
            ],
            # What needs a role's attention, drawn on the workspaces of lower apps.
            "libraries": {"workspace": "ipfin.templatetags.workspace"},
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# The embedded default holds a few concurrent users: readers never wait for
# the writer (WAL), a transaction takes the write lock when it starts
# (IMMEDIATE), so two never fail upgrading a read to a write, and a writer
# waits up to 20 s for the lock. Still locked after that, a request answers
# 503 with Retry-After (core.middleware.DatabaseBusyMiddleware).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {**SQLITE_OPTIONS, **DATABASES["default"].get("OPTIONS", {})}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60 if not DEBUG else 0)
# Behind PgBouncer in transaction mode (make prod), consecutive transactions of
# one Django connection may reach different server connections: a named
# (server-side) cursor would not outlive its statement, and a connection kept
# open by Django would only hold a PgBouncer client slot, so each request
# opens its own (cheap: PgBouncer keeps the server connections).
DATABASE_POOLED = env.bool("DATABASE_POOLED", default=False)
if DATABASE_POOLED:
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# An optional read replica of "default": the dashboard's and the catalogue's
# selectors read it while a request has written nothing (core.db). Tests read
# it as a mirror of the test database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db("DATABASE_REPLICA_URL")
    DATABASES["replica"]["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    if DATABASE_POOLED:
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
# pg_dump and pg_restore (manage.py backup / restore) connect here when set:
# a direct connection to PostgreSQL while DATABASE_URL goes through PgBouncer.
BACKUP_DATABASE_URL = env.str("BACKUP_DATABASE_URL", default="")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Repeated failed sign-ins lock that email address from that address for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The sign-in form passes the email as "email", the token API as "username".
AXES_USERNAME_CALLABLE = "accounts.middleware.axes_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Signing in lands on the workspace of the user's first role (ipfin.workspaces);
# this is the page of a user who acts for no organisation.
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-allauth: email is the username; an address is verified by a signed
# link that expires; reset by email; one address per account, changed by
# verifying the new one.
ACCOUNT_ADAPTER = "ipfin.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm", "signup": "accounts.forms.SignUpForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_CONFIRMATION_HMAC = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_LOGOUT_ON_GET = False
# A taken address is named on the sign-up form, as the sign-up asks.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ipfin] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
ACCOUNT_RATE_LIMITS = {
    "signup": env.str("RATE_LIMIT_SIGNUP", default="10/m/ip,50/h/ip"),
    "reset_password": env.str("RATE_LIMIT_RESET", default="10/m/ip,3/m/key,10/h/key"),
    "confirm_email": env.str("RATE_LIMIT_CONFIRM_EMAIL", default="1/3m/key,10/h/ip"),
    # Wrong passwords lock out through django-axes (above); wrong second-factor
    # codes through this: five per five minutes per account.
    "login_failed": "20/m/ip,5/5m/key",
}
# The owner is told by email when their password, email or second factor changes.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ipfin"
MFA_RECOVERY_CODE_COUNT = 10
# Sessions are listed from their sign-in; tracking each request would cost a query a page.
USERSESSIONS_TRACK_ACTIVITY = False
# Institution officers, regulators, park managers and staff must set up a
# second factor before using the portal. Off in development and in `make run`'s demo.
IPFIN_REQUIRE_MFA = env.bool("IPFIN_REQUIRE_MFA", default=not DEBUG)
# Personal API tokens live this many days unless their owner chooses otherwise.
IPFIN_TOKEN_DAYS = env.int("IPFIN_TOKEN_DAYS", default=90)

# Languages: English and Simplified Chinese.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files only some users may read (enterprises' business licences): never
# under MEDIA_ROOT, never served by a URL of their own.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private")
# With a bucket named, every file lives in S3-compatible object storage
# (SeaweedFS in `make prod`) so that any web or worker machine reads what
# another wrote: the media under media/, the private files under private/.
# Nothing in the bucket is public; a download view hands the user a signed
# URL that lives S3_URL_EXPIRE seconds, after its own permission check
# (core.files). Without a bucket, the two folders above.
S3_BUCKET = env.str("S3_BUCKET", default="")
S3_ENDPOINT_URL = env.str("S3_ENDPOINT_URL", default="")
S3_ACCESS_KEY_ID = env.str("S3_ACCESS_KEY_ID", default="")
S3_SECRET_ACCESS_KEY = env.str("S3_SECRET_ACCESS_KEY", default="")
S3_REGION = env.str("S3_REGION", default="us-east-1")
S3_URL_EXPIRE = env.int("S3_URL_EXPIRE", default=300)
# Set (e.g. "/_files/") when nginx fetches the signed URL itself from an
# internal location: the browser then never sees the object store.
IPFIN_FILES_ACCEL = env.str("IPFIN_FILES_ACCEL", default="")


def object_storage(prefix: str) -> dict[str, Any]:
    """One part of the bucket, private, behind signed URLs."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "location": prefix,
            "endpoint_url": S3_ENDPOINT_URL or None,
            "access_key": S3_ACCESS_KEY_ID or None,
            "secret_key": S3_SECRET_ACCESS_KEY or None,
            "region_name": S3_REGION,
            "signature_version": "s3v4",
            # Path-style URLs (endpoint/bucket/key): what SeaweedFS and an
            # nginx internal location with one upstream both understand.
            "addressing_style": "path",
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": S3_URL_EXPIRE,
            "file_overwrite": False,
        },
    }


STORAGES = {
    "default": (
        object_storage("media")
        if S3_BUCKET
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": (
        object_storage("private")
        if S3_BUCKET
        else {"BACKEND": "core.files.PrivateFileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Redis is Celery's broker and the cache; without it tasks run in-process.
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
# A task is acknowledged when it ends, and given back to the broker when its
# worker process dies; one worker process holds one task at a time. A worker
# that dies whole leaves its task unacknowledged: Redis delivers it again after
# the visibility timeout (its default, an hour, would leave the job hanging).
# A job's task runs longer than that only while it keeps the job's heartbeat
# fresh, so a second delivery leaves it alone (reports.services.LEASE).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=120)
}
CELERY_TIMEZONE = TIME_ZONE
# Separate queues, so a burst of one kind never waits behind another: mails,
# the dashboard's rollups, and the long report and import jobs (a worker of
# their own, one job per process at a time: `make prod`, README Production).
# Everything else (heartbeat, sweeps, search index, schedules) goes to "celery".
CELERY_TASK_DEFAULT_QUEUE = "celery"
# Declared, so a worker started without -Q (make worker, the tests' workers)
# consumes every queue.
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "mail", "rollups", "reports")]
CELERY_TASK_ROUTES = {
    "accounts.tasks.send_notification_email": {"queue": "mail"},
    "events.tasks.send_registration_confirmation": {"queue": "mail"},
    "organisations.tasks.send_invitation_email": {"queue": "mail"},
    "dashboards.refresh_event_rollups": {"queue": "rollups"},
    "dashboards.rebuild_rollups": {"queue": "rollups"},
    "reports.tasks.run_job": {"queue": "reports"},
}
# Seconds after which /readyz/ reads the workers' last heartbeat as stale
# (ops.checks); beat asks for one five times within that age.
HEARTBEAT_STALE_AFTER = env.int("HEARTBEAT_STALE_AFTER", default=300)
# Run by `celery -A ipfin beat` (make beat) beside the workers.
CELERY_BEAT_SCHEDULE = {
    "fail-stalled-jobs": {"task": "reports.fail_stalled_jobs", "schedule": 60.0},
    "expire-invitations": {"task": "organisations.expire_invitations", "schedule": 3600.0},
    # A worker records that it runs; /readyz/ reads it (ops.checks).
    "worker-heartbeat": {
        "task": "ops.record_heartbeat",
        "schedule": HEARTBEAT_STALE_AFTER / 5,
        "options": {"expires": HEARTBEAT_STALE_AFTER / 5},
    },
    "rebuild-rollups": {
        "task": "dashboards.rebuild_rollups",
        "schedule": crontab(hour=3, minute=30),
    },
}
# Seconds a dashboard recount waits after the write that queued it, so that a
# burst of writes at one event (a signing ceremony) is recounted once
# (dashboards.rollups.refresh_event_soon); 0 recounts at once.
IPFIN_ROLLUP_DELAY = env.int("IPFIN_ROLLUP_DELAY", default=5)
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Every mail goes through core.mail, which counts it (core.metrics) and hands
# it to the backend EMAIL_BACKEND names.
EMAIL_BACKEND = "core.mail.CountingEmailBackend"
IPFIN_EMAIL_TRANSPORT = env.str(
    "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
# Links in emails point here.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ipfin <noreply@ipfin.example.com>")

# Production hardening: on whenever DEBUG is off.
# How many reverse proxies stand in front of the portal, each appending the
# address it saw to X-Forwarded-For: the client is that many entries from the
# right (core.clients). 0, the default, ignores the header.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes may ask over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$", r"^readyz/$", r"^metrics/$"]
# Session and CSRF cookies only over HTTPS. `make prod` turns this off: it
# serves plain HTTP on the loopback interface only (README, Production).
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy, enforced on every response: scripts, styles and
# everything else come from the portal's own origin only, so no script or
# style is ever written into a page (templates link files under static/).
# Images may also be data: URLs. The API's Swagger UI runs under the same
# policy: its start-up script is a file too (ipfin/views.py, ApiDocsView).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Permissions-Policy: the portal asks for none of these powerful features, so
# no page, nor anything a page could embed, may use them. The check-in screen
# alone may use the camera, to scan QR codes (events/views.py, check_in).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Personal tokens (ipf_…) first: it answers 401 for an expired or revoked one.
        "accounts.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Safe default: every endpoint asks for a signed-in user unless it says otherwise.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    # DRF's JSON and form parsers, held to DATA_UPLOAD_MAX_MEMORY_SIZE (413)
    # and answering 400 for JSON nested too deep to read.
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
        "core.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="120/minute"),
        "user": env.str("API_THROTTLE_USER", default="1200/minute"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ipfin API",
    "DESCRIPTION": "Intellectual-property pledge financing matchmaking.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents the error statuses it can answer (core.api).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.document_error_responses",
    ],
}

# Logs: plain text by default (make run); LOG_FORMAT=json writes one JSON
# object a line with the request id, the user, the path, the status and the
# duration (ops.logs; README, Metrics and logs). Each request's own line
# (logger ipfin.requests) is written in JSON mode only: runserver and
# gunicorn's access log already say it in plain text.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"ipfin.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"}},
}
# A Celery worker replaces the root logger's handlers with its own text
# format unless told not to: in JSON mode its lines are JSON like the rest.
CELERY_WORKER_HIJACK_ROOT_LOGGER = LOG_FORMAT != "json"

# Metrics (ops.metrics) at /metrics/, for the scraper on the machine itself
# or at an address allowed here; anyone else gets 404 (nginx refuses them too).
IPFIN_METRICS_PUBLIC = env.bool("IPFIN_METRICS_PUBLIC", default=False)
IPFIN_METRICS_ALLOWED_IPS = env.list("IPFIN_METRICS_ALLOWED_IPS", default=[])
# Under gunicorn's several workers: a fresh, empty directory where each
# process keeps its values (prometheus_client reads the same variable).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default="")

# Errors are reported to Sentry only when SENTRY_DSN is set; never by default.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        # No user's email, address, cookies or request body leave the portal.
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

IPFIN_DEMO_PASSWORD = env.str("IPFIN_DEMO_PASSWORD", default="ipfin-demo-2020")
# Invitations to an organisation: how many mails one inviter may send an hour,
# and how long a link stays good.
IPFIN_INVITATIONS_PER_HOUR = env.int("IPFIN_INVITATIONS_PER_HOUR", default=20)
# Days a bank may take over a submitted application before its workspace shows it overdue.
IPFIN_ANSWER_DAYS = env.int("IPFIN_ANSWER_DAYS", default=5)
IPFIN_INVITATION_DAYS = 7
