"""Settings for the whole site, read from the environment; importing them writes nothing.

Development needs nothing set: SQLite, local-memory cache, mail on the console, and the key
that `make run` keeps in var/. Production sets DEBUG=false and must then name SECRET_KEY and
ALLOWED_HOSTS, or start fails. The test suite runs with config/test_settings.py.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.release import release

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name, default=()):
    value = os.environ.get(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] or list(default)


DEVELOPMENT_SECRET_KEY = BASE_DIR / "var" / "development-secret-key"


def development_secret_key():
    """The random key `make run` keeps in var/, so a checkout never shares a key with another."""
    if not DEVELOPMENT_SECRET_KEY.exists():
        raise ImproperlyConfigured(
            "SECRET_KEY is not set and there is no development key in var/: run `make run` "
            "(or `make var/development-secret-key`) once, or set SECRET_KEY."
        )
    return DEVELOPMENT_SECRET_KEY.read_text().strip()


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = development_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
if not DEBUG and not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    # Before allauth, whose page layout the public site's templates replace.
    "public",
    "allauth",
    "allauth.account",
    "attendees",
    "schedule",
    "speakers",
    "conference",
    "organisers",
]

MIDDLEWARE = [
    "config.compression.CompressionMiddleware",  # outermost: compresses what all others send
    # First, so probes by IP address are answered before host checks and HTTPS redirects.
    "config.middleware.HealthCheckMiddleware",
    "config.middleware.SecurityHeadersMiddleware",
    "config.middleware.UnusableInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on every page (from its content, personal parts included), 304 when it matches.
    "django.middleware.http.ConditionalGetMiddleware",
    # The page shared by every visitor with nothing personal, from one cache read: before
    # sessions, authentication and CSRF, which such a visitor does not need.
    "config.shared_pages.SharedPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.SignedOutEverywhereMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "config.middleware.AdminForgedInputMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.account_conference",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A frozen or unreachable PostgreSQL costs a request seconds and a 503, never a stuck worker:
# connecting gives up after DATABASE_CONNECT_TIMEOUT, the server stops a statement after
# DATABASE_STATEMENT_TIMEOUT, and every wait for an answer ends a second after that (0: none).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "5"))
DATABASE_QUERY_TIMEOUT = DATABASE_STATEMENT_TIMEOUT + 1 if DATABASE_STATEMENT_TIMEOUT else 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "config.postgresql"
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One writer at a time, taken at BEGIN and waited for: concurrent requests (a threaded
    # server, several reservations at once) queue up instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # Fail fast when Redis is down: the page is rendered without the cache instead.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What is kept in the cache of rendered pages belongs to one release (config/release.py).
RELEASE = release(BASE_DIR)

# One backend for the public login (email) and the admin's (email or username).
AUTHENTICATION_BACKENDS = ["attendees.backends.AccountBackend"]

# What emails and account pages call the site, and the address their links start with: from
# configuration, never from the request's host and port. In production SITE_URL defaults to
# https:// and the first of ALLOWED_HOSTS; in development, unset, links lead to the development
# server that sent them (whatever its port), and names still never show it.
SITE_NAME = os.environ.get("SITE_NAME", "Conference schedules")
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
if not SITE_URL and not DEBUG:
    if ALLOWED_HOSTS[0].startswith(".") or "*" in ALLOWED_HOSTS[0]:
        raise ImproperlyConfigured("SITE_URL must be set when ALLOWED_HOSTS starts with a pattern.")
    SITE_URL = f"https://{ALLOWED_HOSTS[0]}"

# Accounts: email and password only, no social providers. Verification is sent at sign-up;
# signing in does not wait for it, but seat reservations do (a verified address counts).
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Sessions live in the database only: a copy in Redis could outlive a logout made while
# Redis was away and come back to life with it. One primary-key read per request that has a
# session cookie; any worker on any server reads the same login.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A conference's attendees share one address on its Wi-Fi, so limits per address are generous
# and limits per account strict. TRUSTED_PROXY_COUNT proxies (load balancer, TLS terminator)
# append to X-Forwarded-For: the address before them is the client's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_RATE_LIMITS = {
    "login": "600/m/ip",
    "login_failed": "100/m/ip,5/5m/key",
    "signup": "200/m/ip",
    "reset_password": "100/m/ip,5/m/key",
}
ACCOUNT_ADAPTER = "attendees.accounts.AccountAdapter"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# Stored times are UTC; conversion for display happens in conference/timezones.py only.
TIME_ZONE = os.environ.get("SERVER_TIME_ZONE", "UTC")
USE_TZ = True
# The schedule board flags a speaker with fewer minutes than this between two stages.
BOARD_WALK_MINUTES = int(os.environ.get("BOARD_WALK_MINUTES", "5"))

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploads (speaker photos): files in MEDIA_ROOT by default, served by the site itself (only
# their resized copies, config/media.py). MEDIA_S3_BUCKET puts them in S3-compatible object
# storage instead (needs `pip install django-storages[s3]`; see the README).
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
if os.environ.get("MEDIA_S3_BUCKET"):
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["MEDIA_S3_BUCKET"],
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            # Where browsers fetch the photos: the bucket's public host (and path), or a CDN's.
            "custom_domain": os.environ.get("MEDIA_S3_PUBLIC_HOST"),
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if not os.environ.get("MEDIA_S3_PUBLIC_HOST"):
        raise ImproperlyConfigured(
            "MEDIA_S3_PUBLIC_HOST must be set with MEDIA_S3_BUCKET: the host (and path) browsers "
            "fetch the photos from, such as media.example.org or s3.example.org/bucket."
        )
    # Absolute: the Content-Security-Policy allows images from its origin (config/middleware.py).
    MEDIA_URL = f"https://{os.environ['MEDIA_S3_PUBLIC_HOST'].strip('/')}/"
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Mail: the console in development; SMTP when EMAIL_HOST is set.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "schedule@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Background tasks (the schedule-change e-mails): django-tasks, kept in this same database and
# run by `manage.py db_worker` (`make run` starts one; see "Background tasks" in the README).
# A task enqueued inside a transaction is only seen by workers once it commits.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A change e-mail the mail server refused is tried again after each of these delays (seconds),
# then marked failed in the admin.
CHANGE_EMAIL_RETRY_DELAYS = [60, 300, 1800, 7200]

# Behind a TLS-terminating proxy or load balancer that sets X-Forwarded-Proto.
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"redact_feed_tokens": {"()": "config.logging.RedactFeedTokens"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_feed_tokens"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The development server's request lines go through the same redaction.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
