"""Settings for Campus to Commerce, driven by environment variables (12-factor).

Every value can come from the process environment or an optional `.env` file
beside `manage.py` (or the file ENV_FILE names). README.md's configuration table
lists every variable (a test holds it to this file); `.env.example` is a local
set-up and `.env.production.example` a production one.
"""

from email.utils import getaddresses
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEFAULT_SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is empty. Set it to a long random value, e.g. the output of "
        "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )
if not DEBUG and SECRET_KEY == DEFAULT_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the built-in development key. Set SECRET_KEY to a long random "
        "value (or DEBUG=true for local development)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Links in emails. Unset, they follow PORT, the port `make run` and `make up` serve on (PORT=9000 make run).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env.int('PORT', default=8000)}").rstrip("/")
SITE_NAME = "Campus to Commerce"
# AGPL-3.0 section 13: people using the site can get its source. Point it at the code you run,
# including your changes if you made any.
SOURCE_CODE_URL = env.str("SOURCE_CODE_URL", default="https://github.com/campus-to-commerce/campus-to-commerce")

INSTALLED_APPS = [
    "django.contrib.admin",
    "accounts.app_names.StaffPermissionsConfig",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "accounts.app_names.EmailAddressesConfig",
    "accounts.app_names.TwoFactorConfig",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "c2c",
    "accounts",
    "activity",
    "catalogue",
    "notifications",
    "businesses",
    "students",
    "projects",
    "engagements",
    "matching",
    "workspace",
    "reports",
]

MIDDLEWARE = [
    # Before host validation and the HTTPS redirect: container checks call it by IP over plain HTTP.
    "c2c.middleware.HealthCheckMiddleware",
    "c2c.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "c2c.middleware.OwnChangesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "c2c.middleware.PermissionsPolicyMiddleware",
    "c2c.middleware.RejectNulMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "c2c.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "c2c.urls"
WSGI_APPLICATION = "c2c.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "c2c.context_processors.site",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# No DATABASE_URL: a SQLite file, the zero-set-up demo. Production and CI: Postgres.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    # An unreachable database fails the request in seconds (a 503 page), never hangs it.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ----------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Shared by every web process and host (allauth's rate limits count in it). It keeps nothing the
    # site needs: while Redis is unreachable every call is a quick miss (see c2c/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "c2c.cache.FaultTolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "c2c",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in Postgres only. A Redis copy (cached_db) saves one primary-key read per request,
# but a logout or password change made while Redis was unreachable would leave the old session
# alive in it once Redis answered again (README, "Reliability").
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# No broker configured: tasks run in-process when enqueued (the `make run` demo).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# What must happen is written to Postgres before it is enqueued (notifications, digests, match
# refreshes), and beat's sweeps enqueue it again if the message is lost, so the settings below aim at
# "runs again after a crash, never loops forever". README, "Reliability", says what that guarantees.
#
# A message is acknowledged when its task ends, not when it starts: a worker that dies mid-task
# leaves it to be delivered again. Every task is safe to run twice.
CELERY_TASK_ACKS_LATE = True
# A task whose worker process dies (killed, out of memory) is sent again like a retry, so its
# max_retries (Celery's default: 3) bounds a task that kills its worker every time; after the last
# one it fails and is recorded in admin. reject_on_worker_lost re-queues it if that send fails.
CELERY_TASK_RETRY_ON_WORKER_LOST = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message reserved per worker process: a crash strands at most one task, not a prefetched batch.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A stuck task is stopped (soft limit: an exception it may clean up after; hard: the process is
# killed) and counts as failed, not lost: it is not re-run in a loop.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# A request never waits on the broker: if it is down, enqueueing fails at once and the sweep sends later.
CELERY_TASK_PUBLISH_RETRY = False
# Workers and beat keep trying to reach the broker, however long it is away.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# Tasks running when the broker connection drops are stopped and delivered again once it is back,
# rather than finishing with an acknowledgement the new connection cannot send (Celery 6's default).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Redis hands an unacknowledged message to another worker after this long. It must exceed the
    # longest task (the hard time limit) plus the longest countdown we use (retry back-off is capped
    # at 30 minutes), or a task still waiting or running would be run twice. It is also how long a
    # task that is not recorded in Postgres waits after its whole worker was killed.
    "visibility_timeout": 60 * 60,
    # Publishing makes one attempt to connect: kombu's default keeps a request waiting six seconds
    # on a broker that is down. Workers and beat pass their own (endless) retries when they connect.
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "matching.tasks.*": {"queue": "matching"},
    "notifications.tasks.*": {"queue": "notifications"},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# How often beat's sweeps look for work recorded in Postgres whose message may have been lost, and
# how old such work must be before they enqueue it again.
C2C_SWEEP_EVERY_SECONDS = env.float("C2C_SWEEP_EVERY_SECONDS", default=60)
C2C_REDELIVERY_AFTER_SECONDS = env.float("C2C_REDELIVERY_AFTER_SECONDS", default=120)
CELERY_BEAT_SCHEDULE = {
    "redeliver-pending-notifications": {
        "task": "notifications.tasks.redeliver_pending_notifications",
        "schedule": C2C_SWEEP_EVERY_SECONDS,
    },
    "requeue-pending-match-refreshes": {
        "task": "matching.tasks.requeue_pending_refreshes",
        "schedule": C2C_SWEEP_EVERY_SECONDS,
    },
    # Noon UTC: morning across the US, before most people's lunch break.
    "send-daily-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=12, minute=0),
        "args": ("daily",),
    },
    "send-weekly-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(hour=12, minute=0, day_of_week="mon"),
        "args": ("weekly",),
    },
    "redeliver-pending-digests": {
        "task": "notifications.tasks.redeliver_pending_digests",
        "schedule": C2C_SWEEP_EVERY_SECONDS,
    },
    "close-expired-projects": {
        "task": "projects.tasks.close_expired_projects",
        "schedule": crontab(hour=6, minute=0),
    },
    "chase-applications": {
        "task": "projects.tasks.chase_applications",
        "schedule": crontab(minute=15),
    },
    "flag-overdue-payments": {
        "task": "engagements.tasks.flag_overdue_payments",
        "schedule": crontab(hour=7, minute=0),
    },
    "refresh-business-records": {
        "task": "reports.tasks.refresh_business_records",
        "schedule": crontab(minute=40),
    },
    "rebuild-matches": {
        "task": "matching.tasks.rebuild_all_matches",
        "schedule": crontab(hour=3, minute=30),
    },
}

# --- Auth and accounts ----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, stated so they are visible and tunable in one place.
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    # The partner form creates logins too: every post per client address, and every complete one per email.
    "partner_register": "10/10m/ip",
    "partner_register_email": "5/10m/key",
}
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Campus to Commerce] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# How many proxies in front of the app append to X-Forwarded-For; 0 means clients connect directly.
# Rate limits key on the address this many entries from the right, never on a client-supplied one.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Two-factor: an authenticator app (TOTP) with recovery codes. Staff must use it (accounts.middleware);
# everyone else may turn it on from their account page.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
MFA_ADAPTER = "accounts.adapters.MFAAdapter"

# --- Email ----------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Campus to Commerce <hello@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation and time ------------------------------------------------
LANGUAGE_CODE = "en-us"
USE_I18N = True
USE_TZ = True
# Stored in UTC; shown in the site's time zone.
TIME_ZONE = env.str("SITE_TIME_ZONE", default="America/New_York")

# --- Static and uploaded files -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Résumés and deliverable files: never under a public URL, only served by views that check access.
# On the local disk by default; with PRIVATE_STORAGE_BUCKET, in an S3-compatible bucket (AWS S3,
# MinIO, Backblaze B2, Scaleway...), so that every web host sees them and deploys don't wipe them.
# Either way the views read the file and stream it to whoever they let see it: the bucket stays private.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
PRIVATE_STORAGE_BUCKET = env.str("PRIVATE_STORAGE_BUCKET", default="")
if PRIVATE_STORAGE_BUCKET:
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_BUCKET,
            # Empty: AWS itself. Otherwise the provider's endpoint, e.g. https://s3.eu-west-1.example.com
            "endpoint_url": env.str("PRIVATE_STORAGE_ENDPOINT_URL", default="") or None,
            "region_name": env.str("PRIVATE_STORAGE_REGION", default="") or None,
            # Empty: boto3's own lookup (an instance role, ~/.aws, AWS_* variables).
            "access_key": env.str("PRIVATE_STORAGE_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("PRIVATE_STORAGE_SECRET_ACCESS_KEY", default="") or None,
            # No ACL header (buckets with ACLs disabled reject one): objects get the bucket's own, private, policy.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 60,
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Security -------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "c2c.views.csrf_failure"
# Everything the pages use comes from this site: no inline script or style, no CDN.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features no page here needs, switched off for this site and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    ]
}
SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a commitment the operator opts into with SECURE_HSTS_PRELOAD.
    "security.W021",
]

# --- Errors and logs ------------------------------------------------------------------
# ADMINS get an email for every 500 and every background task that fails for good (not while
# DEBUG is on, and not one per request during a database outage). "Name <address>, address, ...".
ADMINS = [(name, address) for name, address in getaddresses(env.list("ADMINS", default=[])) if address]
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    # sentry-sdk also reads SENTRY_ENVIRONMENT and SENTRY_RELEASE from the environment.
    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# "plain" (for people) or "json" (one object per line, for a log collector). Every line carries the
# id of the request it belongs to, which the tasks a request enqueues carry on.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "c2c.logs.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "not_an_outage": {"()": "c2c.logs.SkipDatabaseOutages"},
        "without_template_context": {"()": "c2c.logs.WithoutTemplateContext"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "c2c.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "not_an_outage"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "django.template": {"filters": ["without_template_context"]},
        "c2c.tasks": {"handlers": ["mail_admins"], "level": "INFO"},
    },
}

# --- Product rules ------------------------------------------------------------------
C2C_MIN_HOURLY_RATE = env.int("C2C_MIN_HOURLY_RATE", default=15)
C2C_HEALTH_CACHE_SECONDS = 5
C2C_OFFER_EXPIRY_DAYS = env.int("C2C_OFFER_EXPIRY_DAYS", default=5)
C2C_RESPONSE_REMINDER_DAYS = env.int("C2C_RESPONSE_REMINDER_DAYS", default=7)
C2C_APPLICATION_EXPIRY_DAYS = env.int("C2C_APPLICATION_EXPIRY_DAYS", default=21)
C2C_PAYMENT_OVERDUE_DAYS = env.int("C2C_PAYMENT_OVERDUE_DAYS", default=14)
C2C_FEEDBACK_REVEAL_DAYS = env.int("C2C_FEEDBACK_REVEAL_DAYS", default=14)
C2C_RESUME_MAX_BYTES = 5 * 1024 * 1024
C2C_SUBMISSION_FILE_MAX_BYTES = 20 * 1024 * 1024

# --- Matching (matching/scoring.py documents each weight) ----------------------------
C2C_MATCH_WEIGHTS = {
    "required": env.float("C2C_MATCH_WEIGHT_REQUIRED", default=40),
    "nice": env.float("C2C_MATCH_WEIGHT_NICE", default=10),
    "interests": env.float("C2C_MATCH_WEIGHT_INTERESTS", default=15),
    "availability": env.float("C2C_MATCH_WEIGHT_AVAILABILITY", default=25),
    "location": env.float("C2C_MATCH_WEIGHT_LOCATION", default=10),
}
C2C_MATCH_LEVEL_WEIGHTS = {"beginner": 0.5, "intermediate": 0.75, "advanced": 1.0}
# A project may start up to this many days after its earliest start and still fit a student's dates.
C2C_MATCH_START_WINDOW_DAYS = env.int("C2C_MATCH_START_WINDOW_DAYS", default=14)
C2C_MATCH_TOP_N = env.int("C2C_MATCH_TOP_N", default=50)
C2C_MATCH_NOTIFY_THRESHOLD = env.int("C2C_MATCH_NOTIFY_THRESHOLD", default=75)
# Edits within this many seconds of each other cause one recomputation.
C2C_MATCH_COALESCE_SECONDS = env.float("C2C_MATCH_COALESCE_SECONDS", default=3)
C2C_MATCH_REBUILD_CHUNK = env.int("C2C_MATCH_REBUILD_CHUNK", default=2000)
