"""Settings shared by every environment; each value that differs per machine comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("PILOTDECK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "simple_history",
    "django_celery_beat",
    "axes",
    "common",
    "audit",
    "accounts",
    "pilots",
    "governance",
    "reviews",
    "costs",
    "support",
    "leadership",
    "killswitch",
    "traffic",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "common.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.DenialAuditMiddleware",
    "killswitch.middleware.StatusOnlyTokenMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# DATABASE_URL unset means a local SQLite file, so `make run` needs no server.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'pilotdeck.sqlite3'}", conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses sign-ins while an account is locked out
    "django.contrib.auth.backends.ModelBackend",
    # Holds sessions started through the identity provider; it never checks a password.
    "accounts.backends.ProviderBackend",
]
# Failed sign-ins: after AXES_FAILURE_LIMIT failures for a username from one address, that pair is
# locked out for PILOTDECK_LOCKOUT_MINUTES; a successful sign-in resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("PILOTDECK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("PILOTDECK_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Sessions end after PILOTDECK_SESSION_IDLE_MINUTES without a request (activity renews them);
# signing out deletes the session on the server.
SESSION_COOKIE_AGE = int(os.environ.get("PILOTDECK_SESSION_IDLE_MINUTES", "120")) * 60
SESSION_SAVE_EVERY_REQUEST = (
    False  # common.sessions.IdleSessionMiddleware renews it every 5 minutes
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Sign-in through the company's identity provider (accounts/) ---------------------------------
# OpenID Connect, authorization code flow with PKCE, on when a client id and secret and either
# the issuer (or its discovery URL) or the endpoints are set. Groups in the provider's groups claim
# set the company rights named below; a right whose variable is unset is kept by hand.
PILOTDECK_OIDC_ISSUER = os.environ.get("PILOTDECK_OIDC_ISSUER", "")
PILOTDECK_OIDC_DISCOVERY_URL = os.environ.get("PILOTDECK_OIDC_DISCOVERY_URL", "")
PILOTDECK_OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("PILOTDECK_OIDC_AUTHORIZATION_ENDPOINT", "")
PILOTDECK_OIDC_TOKEN_ENDPOINT = os.environ.get("PILOTDECK_OIDC_TOKEN_ENDPOINT", "")
PILOTDECK_OIDC_USERINFO_ENDPOINT = os.environ.get("PILOTDECK_OIDC_USERINFO_ENDPOINT", "")
PILOTDECK_OIDC_JWKS_ENDPOINT = os.environ.get("PILOTDECK_OIDC_JWKS_ENDPOINT", "")
PILOTDECK_OIDC_END_SESSION_ENDPOINT = os.environ.get("PILOTDECK_OIDC_END_SESSION_ENDPOINT", "")
PILOTDECK_OIDC_CLIENT_ID = os.environ.get("PILOTDECK_OIDC_CLIENT_ID", "")
PILOTDECK_OIDC_CLIENT_SECRET = os.environ.get("PILOTDECK_OIDC_CLIENT_SECRET", "")
PILOTDECK_OIDC_SCOPES = os.environ.get("PILOTDECK_OIDC_SCOPES", "openid email profile groups")
PILOTDECK_OIDC_SIGN_ALGO = os.environ.get("PILOTDECK_OIDC_SIGN_ALGO", "RS256")
PILOTDECK_OIDC_PROVIDER_NAME = os.environ.get("PILOTDECK_OIDC_PROVIDER_NAME", "")
PILOTDECK_OIDC_EMAIL_CLAIM = os.environ.get("PILOTDECK_OIDC_EMAIL_CLAIM", "email")
PILOTDECK_OIDC_NAME_CLAIM = os.environ.get("PILOTDECK_OIDC_NAME_CLAIM", "name")
PILOTDECK_OIDC_GROUPS_CLAIM = os.environ.get("PILOTDECK_OIDC_GROUPS_CLAIM", "groups")
# Entra ID says so in its optional `xms_edov` claim instead.
PILOTDECK_OIDC_EMAIL_VERIFIED_CLAIM = os.environ.get(
    "PILOTDECK_OIDC_EMAIL_VERIFIED_CLAIM", "email_verified"
)


def env_groups(name: str) -> list[str] | None:
    """A comma-separated list of provider groups; None when the variable is unset."""
    return env_list(name) if name in os.environ else None


def env_lane_groups(name: str) -> dict[str, list[str]]:
    """`it:pd-it,security:pd-security`: the provider group(s) whose members are a lane's contacts."""
    lanes: dict[str, list[str]] = {}
    for pair in env_list(name):
        lane, _, group = pair.partition(":")
        lanes.setdefault(lane.strip(), []).append(group.strip())
    return lanes


PILOTDECK_OIDC_ADMIN_GROUPS = env_groups("PILOTDECK_OIDC_ADMIN_GROUPS")
PILOTDECK_OIDC_FINANCE_GROUPS = env_groups("PILOTDECK_OIDC_FINANCE_GROUPS")
PILOTDECK_OIDC_LANE_GROUPS = env_lane_groups("PILOTDECK_OIDC_LANE_GROUPS")
# PILOTDECK_LOCAL_LOGIN=0: no password sign-in (form and admin) but the break-glass account's.
PILOTDECK_LOCAL_LOGIN = env_bool("PILOTDECK_LOCAL_LOGIN", True)
PILOTDECK_BREAK_GLASS_USERNAME = os.environ.get("PILOTDECK_BREAK_GLASS_USERNAME", "")
# mozilla-django-oidc's own settings; the endpoints are resolved by accounts.provider at sign-in.
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # the hint sign-out sends to the provider's end-session endpoint
OIDC_OP_LOGOUT_URL_METHOD = "accounts.provider.logout_url"
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
OIDC_TIMEOUT = 10

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pilots:portfolio"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("PILOTDECK_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

PILOTDECK_CURRENCY = os.environ.get("PILOTDECK_CURRENCY", "USD")
# Live traffic: task records older than this are dropped (rollups stay); the most one request
# may carry; the text of a task kept (for the review queue) up to this many characters.
PILOTDECK_TRAFFIC_RETENTION_DAYS = int(os.environ.get("PILOTDECK_TRAFFIC_RETENTION_DAYS", "90"))
PILOTDECK_TRAFFIC_MAX_BODY_BYTES = int(
    os.environ.get("PILOTDECK_TRAFFIC_MAX_BODY_BYTES", str(20 * 1024 * 1024))
)
# The review queue (reviews.pool): task texts kept per pilot and day, the input that counts as
# unusually long, the share of drawn items two reviewers score, how long an opened item is held.
PILOTDECK_POOL_PER_DAY = int(os.environ.get("PILOTDECK_POOL_PER_DAY", "60"))
PILOTDECK_POOL_LONG_INPUT_TOKENS = int(os.environ.get("PILOTDECK_POOL_LONG_INPUT_TOKENS", "4000"))
PILOTDECK_AGREEMENT_PERCENT = int(os.environ.get("PILOTDECK_AGREEMENT_PERCENT", "20"))
PILOTDECK_QUEUE_LEASE_MINUTES = int(os.environ.get("PILOTDECK_QUEUE_LEASE_MINUTES", "15"))

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pilots.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "common.api.Pagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "common.schema.DocumentedAutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "common.throttles.PerUserThrottle",
        "common.throttles.PerTokenThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": os.environ.get("PILOTDECK_API_RATE_USER", "6000/hour"),
        "token": os.environ.get("PILOTDECK_API_RATE_TOKEN", "6000/hour"),
        "anon": os.environ.get("PILOTDECK_API_RATE_ANON", "120/hour"),
    },
    "COERCE_DECIMAL_TO_STRING": True,
}
REST_KNOX = {
    "TOKEN_TTL": None if env_bool("PILOTDECK_TOKENS_NEVER_EXPIRE") else timedelta(days=90),
    "AUTO_REFRESH": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pilotdeck API",
    "DESCRIPTION": (
        "The operating model of every AI pilot: owners, decision rights, changes, status. "
        "Authenticate machines with `Authorization: Token <token>` (POST /api/auth/login with "
        "basic auth to get one)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name get their own, readable enum names.
    "ENUM_NAME_OVERRIDES": {
        "PilotStatusEnum": "pilots.models.Pilot.Status",
        "RoleKindEnum": "pilots.models.PilotRole.Kind",
        "DecisionRightKindEnum": "governance.models.DecisionRight.Kind",
        "ChangeKindEnum": "governance.models.Change.Kind",
        "ChangeStatusEnum": "governance.models.Change.Status",
        "DeliveryStatusEnum": "governance.models.AlertDelivery.Status",
        "ReviewWeekStatusEnum": "reviews.models.ReviewWeek.Status",
        "ErrorStatusEnum": "reviews.models.ErrorEntry.Status",
        "ErrorCategoryEnum": "reviews.models.ErrorEntry.Category",
        "CostCategoryEnum": "costs.models.Category",
    },
}

# Throttle counters and other short-lived state: Redis when REDIS_URL is set (shared by every
# web process), else memory (one process, as under `make run`).
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        # room for every pilot's kill-switch record (locmem's default culls at 300 entries)
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    )
}

# --- Kill switch (killswitch/, pilots/status_cache.py) ---------------------------------------------
# How long a client may reuse a status answer (Cache-Control: max-age), and how long a record lives
# in the cache: with Redis it is replaced on every status change, so it may live long; in-process
# caches cannot hear other processes, so there it lives 1 s (a pause is visible everywhere in 1 s).
PILOTDECK_STATUS_MAX_AGE = int(os.environ.get("PILOTDECK_STATUS_MAX_AGE", "1"))
PILOTDECK_STATUS_CACHE_SECONDS = int(
    os.environ.get("PILOTDECK_STATUS_CACHE_SECONDS", "300" if os.environ.get("REDIS_URL") else "1")
)
# With Redis, each process keeps a record it read this long (a pause is seen everywhere within it).
PILOTDECK_STATUS_LOCAL_SECONDS = float(
    os.environ.get("PILOTDECK_STATUS_LOCAL_SECONDS", "0.5" if os.environ.get("REDIS_URL") else "0")
)
# A person's token reading status: which pilots they may see is remembered this long.
PILOTDECK_STATUS_SCOPE_SECONDS = int(os.environ.get("PILOTDECK_STATUS_SCOPE_SECONDS", "30"))
# A verified kill-switch token is remembered in each process this long: a revoked one is refused
# at most this many seconds later, and a warm status answer runs no query.
PILOTDECK_STATUS_TOKEN_SECONDS = float(os.environ.get("PILOTDECK_STATUS_TOKEN_SECONDS", "2"))

# --- Celery -------------------------------------------------------------------------------------
# REDIS_URL set means Redis (production); unset means kombu's filesystem transport, which needs no
# server, so `make run` starts the worker and beat on one machine.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- E-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pilotdeck@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},  # failed sign-ins are in the audit trail
}

# --- Stop rules and alerts ----------------------------------------------------------------------
PILOTDECK_SWEEP_MINUTES = int(os.environ.get("PILOTDECK_SWEEP_MINUTES", "15"))
PILOTDECK_WEBHOOK_URL = os.environ.get("PILOTDECK_WEBHOOK_URL", "")
PILOTDECK_WEBHOOK_SECRET = os.environ.get("PILOTDECK_WEBHOOK_SECRET", "")
CELERY_BEAT_SCHEDULE = {
    "evaluate-every-active-pilot": {
        "task": "governance.tasks.evaluate_all_pilots_task",
        "schedule": PILOTDECK_SWEEP_MINUTES * 60,
    },
    "drain-the-outbox": {"task": "governance.tasks.outbox_drain_task", "schedule": 60},
    "purge-expired-api-tokens": {
        "task": "pilots.tasks.purge_expired_tokens_task",
        "schedule": 24 * 60 * 60,
    },
    "open-review-weeks-and-draw": {
        "task": "reviews.tasks.review_weeks_draw_task",
        "schedule": 60 * 60,
    },
    # Next month's task-record partition made ahead, records past PILOTDECK_TRAFFIC_RETENTION_DAYS
    # dropped (rollups stay).
    "traffic-retention": {"task": "traffic.tasks.traffic_retention_task", "schedule": 24 * 60 * 60},
}
