"""Settings, read from the environment so one file serves development, tests and production.

Environment variables: SECRET_KEY, DEBUG, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, DATABASE_URL,
TASKS_BACKEND (``db`` or ``rq``), REDIS_URL, MEDIA_ROOT, the task-graph caps
TASKGRAPH_MAX_BYTES / TASKGRAPH_MAX_STEPS / TASKGRAPH_MAX_DEPTH, and the jobs' JOB_DEFAULT_TIMEOUT,
JOB_MAX_TIMEOUT_SECONDS, JOB_MEMORY_MB, JOB_LOG_BYTES, JOB_HEARTBEAT_SECONDS, JOB_STALE_SECONDS.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
TESTING = "PYTEST_VERSION" in os.environ  # pytest sets it for the whole session
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))  # database, media, secret key
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in var/ across restarts."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "django_htmx",
    "django_tasks_db",
    "core",
    "access",
    "tags",
    "plugins_app",
    "entrypoints",
    "jobs",
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ApiNotFoundMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads the body; after the user is known, so a page's 413 shows who it is.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

# Widgets render with the project's templates (``templates/widgets/``), so a widget may include
# a page's partial (the admin's parameter table reuses the editor page's rows).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The web server and the job workers write the same file: with a write-ahead log readers
    # never wait for a writer, and a commit costs no disk sync (synchronous=NORMAL; a power cut
    # can lose the last commits, never corrupt the file). Transactions take the write lock when
    # they begin, so two writers queue (up to the timeout) instead of one failing as "locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))  # collectstatic target
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Session cookies are Lax so cross-site POSTs never carry them (see core.api.authentication).
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Bodies larger than this answer 413 before any parsing (RequestBodyLimitMiddleware).
MAX_REQUEST_BYTES = int(os.environ.get("MAX_REQUEST_BYTES", str(2 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
# Resource imports take whole folders: their bodies may be this large (the files go to temporary
# files, not memory), and a folder upload may hold this many files.
MAX_UPLOAD_BYTES = int(os.environ.get("MAX_UPLOAD_BYTES", str(50 * 1024 * 1024)))
UPLOAD_PATHS = ("/import/", "/api/v1/workflows/resourceImport")
DATA_UPLOAD_MAX_NUMBER_FILES = 1000

# Task-graph safety caps, passed to the engine: a text over a cap is an issue of its own,
# never a hang, a crash or a 500.
TASKGRAPH_LIMITS = {
    "max_bytes": int(os.environ.get("TASKGRAPH_MAX_BYTES", str(256 * 1024))),
    "max_steps": int(os.environ.get("TASKGRAPH_MAX_STEPS", "1000")),
    "max_depth": int(os.environ.get("TASKGRAPH_MAX_DEPTH", "32")),
}

# Resource imports (workflows.sources): what an archive, upload or repository may hold. Bytes
# read count everything decompressed (a compression bomb stops there); bytes kept, the files
# held in memory for the import (larger files are listed and refused only if the import uses
# them).
RESOURCE_IMPORT_LIMITS = {
    "max_entries": 10_000,
    "max_file_bytes": 2 * 1024 * 1024,
    "max_kept_bytes": 50 * 1024 * 1024,
    "max_read_bytes": 200 * 1024 * 1024,
}
# Git imports from this machine's folders or file:// URLs (turn off where users should not read
# the server's files).
RESOURCE_IMPORT_GIT_LOCAL = env_bool("RESOURCE_IMPORT_GIT_LOCAL", True)

DEFAULT_GROUP_NAME = "public"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes unauthenticated requests 401, not 403.
        "rest_framework.authentication.TokenAuthentication",
        "core.api.authentication.CrossSiteCheckedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "core.api.forms.FormParser",
        "core.api.forms.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.api.browsable.BrowsableAPIRenderer",
    ],
    "VIEW_DESCRIPTION_FUNCTION": "core.api.browsable.view_description",
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Entrypoints API",
    "DESCRIPTION": "Dioptra-compatible API for entrypoints, plugins, queues, tags and jobs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",  # operations are grouped by resource, not "v1"
    # Two choice sets of job statuses: what a job may be, and what a user may ask it to be.
    "ENUM_NAME_OVERRIDES": {
        "JobStatusEnum": "jobs.models.JobStatus",
        "RequestedJobStatusEnum": "jobs.api.serializers.REQUESTED_STATUSES",
    },
}


# Jobs: the database queue by default; TASKS_BACKEND=rq uses Redis (several machines). Each
# Dioptra queue is a task queue of its own (``jobs.tasks.task_queue_name``), created at run
# time: the backends accept any queue name ("QUEUES": []).
class AnyRQQueues(dict):
    """``RQ_QUEUES`` in which every queue name is configured, all on one Redis."""

    def __init__(self, url: str):
        super().__init__(default={"URL": url})

    def __missing__(self, name):
        return self["default"]


if os.environ.get("TASKS_BACKEND", "db") == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = AnyRQQueues(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    TASKS = {"default": {"BACKEND": "jobs.backends.RQBackend", "QUEUES": []}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}

# A job's limits: its own timeout (Dioptra's "24h" style) or this default, up to the maximum;
# the memory (address space) of its child process; the log it may write before being cut off.
JOB_DEFAULT_TIMEOUT = os.environ.get("JOB_DEFAULT_TIMEOUT", "24h")
JOB_MAX_TIMEOUT_SECONDS = float(os.environ.get("JOB_MAX_TIMEOUT_SECONDS", str(7 * 86400)))
JOB_MEMORY_MB = int(os.environ.get("JOB_MEMORY_MB", "2048"))
JOB_LOG_BYTES = int(os.environ.get("JOB_LOG_BYTES", str(5_000_000)))
# A running job's worker writes a heartbeat this often; a started job whose heartbeat is older
# than JOB_STALE_SECONDS is marked failed by the reaper (its worker died).
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "5"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "60"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"django.tasks": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}

if TESTING:
    # Hashing with the production hasher costs ~0.3 s per user; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
