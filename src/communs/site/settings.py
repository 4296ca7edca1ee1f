"""Settings, read from the environment only.

`COMMUNS_ENV` is `dev` (default: embedded SQLite, debug), `test` (set by the test suite) or
`prod`. Production refuses to start without `SECRET_KEY` and `ALLOWED_HOSTS`: a default secret
in production would let anyone forge sessions.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from communs.site.service_apps import SERVICE_APPS

BASE_DIR = Path(__file__).resolve().parents[3]
ENV = os.environ.get("COMMUNS_ENV", "dev")
if ENV not in {"dev", "test", "prod"}:
    raise ImproperlyConfigured(f"COMMUNS_ENV must be dev, test or prod, not {ENV!r}")
PRODUCTION = ENV == "prod"

DATA_DIR = Path(os.environ.get("COMMUNS_DATA_DIR", BASE_DIR / "var")).resolve()


def _env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


if PRODUCTION:
    missing = [name for name in ("SECRET_KEY", "ALLOWED_HOSTS") if not os.environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"COMMUNS_ENV=prod needs these environment variables: {', '.join(missing)}")
    SECRET_KEY = os.environ["SECRET_KEY"]
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
    DEBUG = False
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-never-used-in-production-0123456789abcdef")  # noqa: S105
    ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = os.environ.get("DEBUG", "1" if ENV == "dev" else "0") == "1"

CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "dsfr",
    "widget_tweaks",
    "django_htmx",
    "django_typer",
    "ninja",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "communs.territoires",
    "communs.core",
    # Services after the platform: `communs demo` loads the reference and accounts first.
    *(f"communs.{slug}" for slug in SERVICE_APPS),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "communs.core.middleware.PermissionsPolicyMiddleware",
    # Axes last: it needs the authenticated user and answers lockouts itself.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "communs.site.urls"
WSGI_APPLICATION = "communs.site.wsgi.application"
ASGI_APPLICATION = "communs.site.asgi.application"

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
                "communs.core.context_processors.site",
            ],
        },
    },
]

# --- Database: embedded SQLite by default, PostgreSQL through DATABASE_URL -------------------
_default_sqlite = f"sqlite:///{DATA_DIR / 'communs.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,  # empty means unset
        conn_max_age=0 if ENV == "test" else 60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while the background worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:portal"
LOGOUT_REDIRECT_URL = "core:portal"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only, never in prod

# Brute-force protection (django-axes): 5 failures per username and IP lock for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "core/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# ProConnect (the State's OpenID Connect federation): off unless configured.
PROCONNECT_ENABLED = bool(os.environ.get("PROCONNECT_CLIENT_ID"))
if PROCONNECT_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("communs.core.oidc.ProConnectBackend")
    OIDC_RP_CLIENT_ID = os.environ["PROCONNECT_CLIENT_ID"]
    OIDC_RP_CLIENT_SECRET = os.environ.get("PROCONNECT_CLIENT_SECRET", "")
    OIDC_RP_SIGN_ALGO = "RS256"
    _issuer = os.environ.get("PROCONNECT_ISSUER", "").rstrip("/")
    OIDC_OP_AUTHORIZATION_ENDPOINT = f"{_issuer}/authorize"
    OIDC_OP_TOKEN_ENDPOINT = f"{_issuer}/token"
    OIDC_OP_USER_ENDPOINT = f"{_issuer}/userinfo"
    OIDC_OP_JWKS_ENDPOINT = f"{_issuer}/jwks"
    OIDC_RP_SCOPES = "openid email given_name usual_name siret"

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "staticfiles"))
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise serves straight from the apps' static folders (no collectstatic).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploads: anything above this is refused before it reaches a view (services set tighter limits).
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False  # HTMX reads it to send the header
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # DSFR sets inline style attributes on a few components (accordion heights, tooltips).
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Background jobs (django tasks API) ----------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if ENV == "test"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- API ------------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

# --- Logging: one JSON object per line in production, readable lines elsewhere --------------
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LIBRARY_LOGGERS = ("numexpr", "pyogrio", "rasterio", "rio_tiler", "fiona", "shapely", "PIL", "matplotlib", "urllib3")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "communs.site.logging.JsonFormatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json" if PRODUCTION else "plain"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Libraries' INFO chatter ("NumExpr defaulting to 2 threads", "Created 1,601 records", GDAL and
        # rasterio environment notes) is noise on every start and every command; their warnings stay.
        **{name: {"level": "WARNING"} for name in LIBRARY_LOGGERS},
    },
}

# --- E-mail (Recens'smart resume links, Pilote alerts): an SMTP host from the environment ---
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ne-pas-repondre@communs.invalid")

# DSFR guidance: mark optional fields, not required ones (django-dsfr's future default).
DSFR_MARK_OPTIONAL_FIELDS = True

# --- Communs --------------------------------------------------------------------------------
COMMUNS_SITE_TITLE = "Communs"
# How long the territorial search trusts its in-memory name index before checking that the communes
# have not changed (a COUNT/MIN/MAX/SUM query): 0 in tests, whose data change between tests.
TERRITOIRES_SEARCH_INDEX_TTL = float(os.environ.get("COMMUNS_SEARCH_INDEX_TTL", "0" if ENV == "test" else "5"))
COMMUNS_SITE_TAGLINE = "Services numériques publics pour les administrations"
COMMUNS_API_TOKEN_PREFIX = "cmn"  # noqa: S105 - a public prefix, not a secret
CSRF_FAILURE_VIEW = "communs.core.views.csrf_failure"
