"""Settings for Campus to Commerce, driven by environment variables (12-factor).

Every value can come from the process environment or an optional `.env` file
beside `manage.py`. See `.env.example` for the full list and README.md for
which ones a production deployment needs.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEFAULT_SECRET_KEY = "insecure-dev-only-key-do-not-use-in-production"

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default=DEFAULT_SECRET_KEY)
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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "c2c",
    "accounts",
    "notifications",
    "businesses",
    "students",
    "projects",
    "engagements",
    "matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "c2c.middleware.PermissionsPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache, sessions, Celery broker -------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Shared by every web process and host: allauth's rate limits depend on it.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "c2c",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery ---------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# No broker configured: tasks run in-process when enqueued (the `make run` demo).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# acks_late alone re-delivers on exceptions but not when the worker process is killed.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Must exceed the longest task plus the longest countdown/ETA we use (retry
    # back-off is capped at 30 minutes), or Redis re-delivers a task still in flight.
    "visibility_timeout": 2 * 60 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "matching.tasks.*": {"queue": "matching"},
    "notifications.tasks.*": {"queue": "notifications"},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "redeliver-pending-notifications": {
        "task": "notifications.tasks.redeliver_pending_notifications",
        "schedule": 60.0,
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
        "schedule": 300.0,
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
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
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

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"without_template_context": {"()": "c2c.log_filters.WithoutTemplateContext"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.template": {"filters": ["without_template_context"]},
    },
}

# --- Product rules ------------------------------------------------------------------
C2C_MIN_HOURLY_RATE = env.int("C2C_MIN_HOURLY_RATE", default=15)
C2C_HEALTH_CACHE_SECONDS = 5
C2C_NOTIFICATION_REDELIVERY_AFTER_SECONDS = 120
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
