"""SaferPlan settings: one file, every value from an environment variable.

DATABASE_URL        database (default: SQLite file under SAFERPLAN_DATA_DIR)
SAFERPLAN_DATA_DIR  every file the application writes lives under it (default ./var)
SECRET_KEY          required; the `saferplan` command generates one for development (see saferplan.cli)
DEBUG               off unless set to 1/true/yes/on
ALLOWED_HOSTS       comma-separated (default: localhost names)

Deployment and security (docs/security.md):
SECURE_COOKIES          1 when served over HTTPS: secure cookies, HTTPS redirect, HSTS for a year
SECURE_SSL_REDIRECT     redirect HTTP to HTTPS (default: as SECURE_COOKIES; 0 when the proxy does it)
SECURE_HSTS_SECONDS     HSTS max-age (default: a year with SECURE_COOKIES, otherwise 0)
SECURE_HSTS_PRELOAD     1 to ask for the browsers' HSTS preload list (off: it cannot quickly be undone)
TRUSTED_PROXY_HEADER    the header the HTTPS proxy sets, e.g. HTTP_X_FORWARDED_PROTO (value "https")
TRUSTED_PROXY_COUNT     proxies in front that append to X-Forwarded-For (default 0: the header is ignored)
CSRF_TRUSTED_ORIGINS    comma-separated origins, e.g. https://saferplan.example.org
SESSION_COOKIE_AGE      seconds a sign-in lasts at most (default 8 hours)
SESSION_IDLE_TIMEOUT    seconds without a request before signing out (default 30 minutes)
MAX_REQUEST_BODY_MB     largest request body accepted, in MB (default 210: a 200 MB police upload)
REPORT_RENDERS_PER_MINUTE  Word/PDF/XLSX/HTML report files one person may have rendered a minute (default 10)
SAFERPLAN_FORECAST_MONTHS  how far ahead a forecast figure may be returned, in months (default 12)
SAFERPLAN_QUEUE_RETURNS_OVER  returns of more figures than this are imported by the worker (default 1000)
SAFERPLAN_SITE_URL      the address people open SaferPlan at, e.g. https://saferplan.example.org: reminder emails
                        link to each action with it (default none: the emails say where to find it in words)
POLICE_MAP_TILES        a base-map tile server for the police map, e.g. https://tiles.example.org/{z}/{x}/{y}.png
                        (default none: the map is drawn without tiles and needs no internet)
TASKS_BACKEND           database (default: a queue in the database, `saferplan db_worker`), rq, or immediate
REDIS_URL               the Redis of TASKS_BACKEND=rq (default redis://127.0.0.1:6379/0)
PASSWORD_RESET_TIMEOUT  seconds a password reset link works (default 1 hour)
CACHE_URL               redis://... to share rate limits between processes (default: each process its own)
LOG_FORMAT              json for one JSON object a line in the logs (default text); LOG_LEVEL (WARNING)
"""

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SAFERPLAN_DATA_DIR") or "var").resolve()

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment; for development the `saferplan` command "
        "generates one in $SAFERPLAN_DATA_DIR/secret_key."
    )

DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "saferplan.core",
    "saferplan.accounts",
    "saferplan.plans",
    "saferplan.areas",
    "saferplan.indicators",
    "saferplan.police",
    "saferplan.delivery",
    "saferplan.funding",
    "saferplan.assessment",
    "saferplan.casework",
    "saferplan.reports",
    "saferplan.web",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "saferplan.config.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, before anything reads the request body (see saferplan.config.security).
    "saferplan.config.security.SessionTimeoutMiddleware",
    "saferplan.config.security.RequestBodyMiddleware",
    "saferplan.config.security.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "saferplan.config.urls"
WSGI_APPLICATION = "saferplan.config.wsgi.application"

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
                "saferplan.web.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'saferplan.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # One machine, several processes (web workers, the task worker): write-ahead logging lets pages read while
    # an import writes; a transaction takes the write lock when it begins (IMMEDIATE), so two writers queue for
    # up to SQLITE_TIMEOUT seconds instead of one failing at once with "database is locked" (ADR 0004).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_TIMEOUT", 30),
    }

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
PASSWORD_RESETS_PER_HOUR = 3  # e-mails to one address; more requests are accepted but send nothing

# django-axes: lock out an account and address pair after repeated failures. The address is the client's,
# not the proxy's (saferplan.config.security.client_ip), so one attacker cannot lock an account for everyone.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "saferplan.config.security.client_ip"
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_RESET_ON_SUCCESS = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": DATA_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Vendored files carry their version in the path (govuk-frontend-5.14.0/): cached for a year.
WHITENOISE_IMMUTABLE_FILE_TEST = r"/govuk-frontend-\d+\.\d+\.\d+/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CSRF_FAILURE_VIEW = "saferplan.web.views.errors.csrf_failure"

# HTTPS. SECURE_COOKIES=1 says the site is served over HTTPS only.
SECURE_COOKIES = env_flag("SECURE_COOKIES")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60 if SECURE_COOKIES else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD")
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is the operator's choice (hard to undo), not a default.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a proxy that ends TLS: the header it sets to "https" (as Django's META name, e.g.
# HTTP_X_FORWARDED_PROTO). The proxy must overwrite the header from clients, never pass it on.
SECURE_PROXY_SSL_HEADER = (
    (os.environ["TRUSTED_PROXY_HEADER"].strip(), "https") if os.environ.get("TRUSTED_PROXY_HEADER") else None
)
# How many proxies append to X-Forwarded-For in front of the application (0: the header is ignored).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (saferplan.config.security.ContentSecurityPolicyMiddleware): only this site's own
# scripts and styles (no inline script or style), charts as data: images, never framed.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# Sessions: at most SESSION_COOKIE_AGE seconds after signing in, SESSION_IDLE_TIMEOUT seconds without a
# request (saferplan.config.security.SessionTimeoutMiddleware), and gone when the browser closes.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Request bodies. Nobody's body is read before they are signed in (RequestBodyMiddleware); a signed-in
# person's is refused over MAX_REQUEST_BODY_BYTES. Form fields are held in memory up to 2.5 MB; uploaded files
# over 2.5 MB go to a temporary file, not memory.
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_MB", 210) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# Report files (Word, PDF, spreadsheet, web page) rendered on request: at most this many a minute each.
REPORT_RENDERS_PER_MINUTE = env_int("REPORT_RENDERS_PER_MINUTE", 10)
POLICE_MAP_TILES = os.environ.get("POLICE_MAP_TILES", "")  # none: the police map needs no internet
SAFERPLAN_FORECAST_MONTHS = env_int("SAFERPLAN_FORECAST_MONTHS", 12)  # saferplan.indicators.rules
SAFERPLAN_QUEUE_RETURNS_OVER = env_int("SAFERPLAN_QUEUE_RETURNS_OVER", 1000)  # indicators.data_returns

# The cache holds rate-limit counters: one per process unless CACHE_URL names a shared Redis.
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["CACHE_URL"]}
        if os.environ.get("CACHE_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Background work (docs/adr/0004-task-queue.md): Django's tasks framework through django-tasks.
# TASKS_BACKEND=database (default): a queue in the database, run by `saferplan db_worker`;
# TASKS_BACKEND=rq: Redis at REDIS_URL (default redis://127.0.0.1:6379/0), run by
#   `saferplan rqworker --job-class django_tasks_rq.Job --with-scheduler default`;
# TASKS_BACKEND=immediate: every task runs where it is enqueued (the test command sets it, for speed; the tests
# that need a real queue and worker set TASKS themselves).
TASKS_BACKEND = (os.environ.get("TASKS_BACKEND") or "database").strip()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": 6 * 3600,
        }
    }
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "immediate":
    TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database, rq or immediate, not {TASKS_BACKEND!r}")

# Email (reminders): Django's mail settings; the console backend unless EMAIL_BACKEND is set.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "saferplan@localhost")
# The address people open SaferPlan at, e.g. https://saferplan.example.org: reminder emails link to each action
# and its update form with it. Not set: the emails say in words where to find them.
SITE_URL = os.environ.get("SAFERPLAN_SITE_URL", "").strip().rstrip("/")
if SITE_URL and not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", SITE_URL):
    raise ImproperlyConfigured(
        f"SAFERPLAN_SITE_URL must be the site's address, e.g. https://saferplan.example.org, not {SITE_URL!r}"
    )

# Logs go to standard error; LOG_FORMAT=json writes one JSON object a line (saferplan.config.logging), as the
# gunicorn access log does (saferplan.config.gunicorn).
LOG_FORMAT = (os.environ.get("LOG_FORMAT") or "text").strip().lower()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "saferplan.config.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING").upper()},
}
