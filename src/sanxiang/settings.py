"""Settings, read from the environment. With no variable set, Sanxiang runs embedded:
SQLite in WAL mode and files under ./var.

Variables:
  SANXIANG_DATA_DIR     data folder (default ./var): database, stored files, secret key
  DATABASE_URL          sqlite:///path or postgres://user@host:port/name (psycopg 3)
  SANXIANG_SECRET_KEY   secret key; when unset, one is generated once into the data folder
  SANXIANG_ALLOWED_HOSTS comma-separated host names (default 127.0.0.1,localhost)
  SANXIANG_DEBUG        1 for development
  SANXIANG_PUBLIC_BASE_URL  the public site's address printed in certificate QR codes
  SANXIANG_MEDIA_ROOT   where stored files go (default DATA_DIR/files)
  SANXIANG_EVIDENCE_MAX_BYTES      size limit of one evidence file (default 8 GiB)
  SANXIANG_EVIDENCE_UPLOAD_HOURS   an unfinished upload expires after this many idle hours (default 72)
  SANXIANG_EVIDENCE_SM3            off | auto | required: also address evidence by SM3 (default off)
  SANXIANG_EVIDENCE_STORAGE        local (DATA_DIR/evidence, default) | s3
  SANXIANG_EVIDENCE_S3_BUCKET, SANXIANG_EVIDENCE_S3_ENDPOINT_URL, SANXIANG_EVIDENCE_S3_REGION,
  SANXIANG_EVIDENCE_S3_PREFIX      S3-compatible storage (MinIO, Ceph, cloud); credentials come from
                                   the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables
  SANXIANG_BEHIND_HTTPS_PROXY      1 when a reverse proxy terminates HTTPS and sets X-Forwarded-Proto
  SANXIANG_TRUSTED_PROXY           the proxy's address, the only one whose X-Forwarded-* is believed
                                   (default 127.0.0.1)
  SANXIANG_HSTS_SECONDS            Strict-Transport-Security max-age (default 31536000 behind the
                                   proxy, 0 = off otherwise); SANXIANG_HSTS_INCLUDE_SUBDOMAINS 1 to add it
"""

import datetime as dt
import secrets
from pathlib import Path

import environ

from sanxiang.privatefiles import secret_key_read_or_create

env = environ.Env()

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env.str("SANXIANG_DATA_DIR", default="var")).resolve()


def _secret_key() -> str:
    configured = env.str("SANXIANG_SECRET_KEY", default="")
    if configured:
        return configured
    # Not persisted until the data folder exists (created by `sanxiang demo` / `serve`), so that
    # importing the settings never writes anywhere by surprise; written 0600 (sanxiang.privatefiles).
    key = secret_key_read_or_create(DATA_DIR, create=DATA_DIR.exists())
    return key or "sanxiang-insecure-" + secrets.token_urlsafe(30)


SECRET_KEY = _secret_key()
DEBUG = env.bool("SANXIANG_DEBUG", default=False)
ALLOWED_HOSTS = env.list("SANXIANG_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("SANXIANG_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Login hardening (issue 10): django-otp's TOTP device (throttled, replay-safe), django-axes'
    # lockout by address and user name together.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "sanxiang.accounts",
    "sanxiang.ledger",
    "sanxiang.jobs",
    "sanxiang.calendar",
    "sanxiang.registry",
    "sanxiang.cases",
    "sanxiang.access",
    "sanxiang.casefile",
    "sanxiang.evidence",
    "sanxiang.outbox",
    "sanxiang.review",
    "sanxiang.inspection",
    "sanxiang.publication",
    "sanxiang.supervision",
    "sanxiang.evaluation",
    "sanxiang.portal",
    "sanxiang.web",
    "sanxiang.maintenance",
    "sanxiang.api",
    "sanxiang.exchange",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "sanxiang.web.middleware.QueryStringInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sanxiang.web.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Login (issue 10): a reset password must be changed first; a lockout flagged by any login
    # path becomes our lockout page (axes, last).
    "sanxiang.accounts.middleware.PasswordChangeRequiredMiddleware",
    "axes.middleware.AxesMiddleware",
    # Issue 19: a POST to the API sent again with its Idempotency-Key gets the first answer.
    "sanxiang.api.idempotency.IdempotencyKeyMiddleware",
]

ROOT_URLCONF = "sanxiang.urls"
WSGI_APPLICATION = "sanxiang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sanxiang.web.context_processors.navigation",
                "sanxiang.supervision.context_processors.supervision_basis",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'sanxiang.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write lock at
    # BEGIN so that concurrent writers queue instead of failing with "database is locked"
    # half-way through a transaction (Django >= 5.1 options).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # The same backend, creating the database file 0600 so that it and its -wal/-shm files are
    # the owner's only, whatever the umask (issue 10 item 9).
    DATABASES["default"]["ENGINE"] = "sanxiang.sqlite_backend"
    # Test databases stay in memory, as with Django's own SQLite backend: test runners (pytest-django
    # under xdist) recognise SQLite by the engine's name and would otherwise make a file per worker.
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", ":memory:")
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "sanxiang.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

# The public site's address as citizens reach it, printed in certificate QR codes (a card printed
# from a staff machine on 127.0.0.1 must still open the public site). Empty: the request's host.
SANXIANG_PUBLIC_BASE_URL = env.str("SANXIANG_PUBLIC_BASE_URL", default="")

# ---- Login: lockout and second factor (等保 2.0 asks for login-failure handling) ----
# django-axes counts failed logins (a wrong password or a wrong second-factor code) per address
# AND user name together: a name is locked only for the address that guessed, so nobody can lock
# the supervisor out of their own machine. The lock is for a fixed time (no extension by further
# tries); the accounts app records a real account's lock in the ledger, at most once per window.
# The role backend only answers `has_perm` for the apps below accounts (the calendar); it logs nobody in.
AUTHENTICATION_BACKENDS = [
    "sanxiang.accounts.backends.LockoutBackend",
    "sanxiang.accounts.backends.PasswordBackend",
    "sanxiang.accounts.backends.RolePermissionBackend",
]
SANXIANG_LOGIN_MAX_FAILURES = env.int("SANXIANG_LOGIN_MAX_FAILURES", default=5)
SANXIANG_LOGIN_LOCKOUT_MINUTES = env.int("SANXIANG_LOGIN_LOCKOUT_MINUTES", default=15)
# Failures from one address over all names within the lockout window before that address must wait.
SANXIANG_LOGIN_ADDRESS_MAX_FAILURES = env.int("SANXIANG_LOGIN_ADDRESS_MAX_FAILURES", default=30)
AXES_FAILURE_LIMIT = SANXIANG_LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = dt.timedelta(minutes=SANXIANG_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "sanxiang.accounts.views.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# The client's address is REMOTE_ADDR: behind a proxy, waitress sets it from X-Forwarded-For when
# the request comes from SANXIANG_TRUSTED_PROXY (see the serve command).
AXES_CLIENT_IP_CALLABLE = "sanxiang.accounts.services.client_address"
# django-otp: after each wrong code the device waits 1, 2, 4, 8 … seconds before it checks another.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_TOTP_ISSUER = "Sanxiang"
# Wrong codes allowed in one half-logged-in session before it must start again with the password,
# and how long that state (password passed, code pending) lasts.
SANXIANG_TOTP_SESSION_MAX_FAILURES = 3
SANXIANG_LOGIN_PENDING_SECONDS = env.int("SANXIANG_LOGIN_PENDING_SECONDS", default=300)
# ---- end of login settings ----
SESSION_COOKIE_AGE = env.int("SANXIANG_SESSION_SECONDS", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SANXIANG_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE


LANGUAGE_CODE = "zh-hans"
# Chinese only: the English catalogue (locale/en) covers a part of the pages, so offering it
# would show a mix of languages; the language menu is gone with it (issue 13 item 6).
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Only for deployments that let a web server serve collected static files.
STATIC_ROOT = env.str("SANXIANG_STATIC_ROOT", default="") or None
MEDIA_ROOT = Path(env.str("SANXIANG_MEDIA_ROOT", default=str(DATA_DIR / "files")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Stored files and their folders are the owner's only (issue 10 item 9).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Serve static files straight from the apps' folders: the embedded install needs no
# collectstatic step, and the files are small.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Evidence store (sanxiang.evidence). SM3 is off by default because OpenSSL's SM3 runs at about
# a sixth of SHA-256's speed; "auto" adds it where OpenSSL offers it, "required" refuses uploads
# where it does not.
# When a document's Word copy is rendered (procedure.document_timing): "background" (after the
# step commits, by the server's job runner or `sanxiang jobs`) or "in_step" (in the step's own
# transaction, as the PDF; the test suite's default).
SANXIANG_DOCUMENT_COPIES = env.str("SANXIANG_DOCUMENT_COPIES", default="background")
# The server's job runner looks for due jobs at least this often (seconds); it is also woken by
# every commit that enqueues one.
SANXIANG_JOBS_POLL_SECONDS = env.float("SANXIANG_JOBS_POLL_SECONDS", default=30.0)
# Scheduled work (jobs.schedule): `sanxiang serve` and `sanxiang demo` run it in a background thread
# that looks every SANXIANG_SCHEDULE_POLL_SECONDS; SANXIANG_SCHEDULE=off leaves it to cron (`sanxiang tick`).
SANXIANG_SCHEDULE = env.bool("SANXIANG_SCHEDULE", default=True)
SANXIANG_SCHEDULE_POLL_SECONDS = env.float("SANXIANG_SCHEDULE_POLL_SECONDS", default=60.0)
# Events for other systems (outbox): `sanxiang serve` sends them in a background thread that looks
# every SANXIANG_DELIVER_POLL_SECONDS; SANXIANG_DELIVER=off leaves it to `sanxiang deliver`.
SANXIANG_DELIVER = env.bool("SANXIANG_DELIVER", default=True)
SANXIANG_DELIVER_POLL_SECONDS = env.float("SANXIANG_DELIVER_POLL_SECONDS", default=10.0)
# A delivery claimed by a worker that died (kill -9, a lost server) is sent again after this lease.
SANXIANG_DELIVER_LEASE_SECONDS = env.float("SANXIANG_DELIVER_LEASE_SECONDS", default=300.0)
# Events go only to https:// addresses of public hosts (not loopback, private, link-local...): a
# receiver on the county intranet is named here (host names or addresses, comma-separated); http:// is
# accepted for these hosts only.
SANXIANG_OUTBOX_ALLOWED_HOSTS = env.list("SANXIANG_OUTBOX_ALLOWED_HOSTS", default=[])
# Reminders (evaluation.reminders) are also e-mailed to their recipients when e-mail is configured:
# EMAIL_HOST set (Django's SMTP settings), or SANXIANG_REMINDER_EMAIL=on with another EMAIL_BACKEND.
EMAIL_HOST = env.str("EMAIL_HOST", default="")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="sanxiang@localhost")
SANXIANG_REMINDER_EMAIL = env.bool("SANXIANG_REMINDER_EMAIL", default=bool(EMAIL_HOST))

SANXIANG_EVIDENCE_MAX_BYTES = env.int("SANXIANG_EVIDENCE_MAX_BYTES", default=8 * 1024**3)
SANXIANG_EVIDENCE_UPLOAD_HOURS = env.int("SANXIANG_EVIDENCE_UPLOAD_HOURS", default=72)
SANXIANG_EVIDENCE_SM3 = env.str("SANXIANG_EVIDENCE_SM3", default="off")
SANXIANG_EVIDENCE_STORAGE = env.str("SANXIANG_EVIDENCE_STORAGE", default="local")
SANXIANG_EVIDENCE_S3_BUCKET = env.str("SANXIANG_EVIDENCE_S3_BUCKET", default="")
SANXIANG_EVIDENCE_S3_ENDPOINT_URL = env.str("SANXIANG_EVIDENCE_S3_ENDPOINT_URL", default="") or None
SANXIANG_EVIDENCE_S3_REGION = env.str("SANXIANG_EVIDENCE_S3_REGION", default="") or None
SANXIANG_EVIDENCE_S3_PREFIX = env.str("SANXIANG_EVIDENCE_S3_PREFIX", default="evidence")

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security headers and transport ----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): scripts and styles come only from this site's own static
# files, never inline (no <script> blocks, no onclick=, no <style> or style=); the QR codes are
# inline SVG markup; uploads (tus) go to this site. A response that sets its own policy keeps it
# (stored evidence files are served with "sandbox").
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
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
    },
}
# Behind a reverse proxy that terminates HTTPS (README, "Behind a reverse proxy (HTTPS)"): trust its
# X-Forwarded-Proto, which it must set (and overwrite) on every request; only then do secure cookies
# and HSTS make sense. HSTS is sent on HTTPS requests only, for SANXIANG_HSTS_SECONDS (default a
# year behind the proxy, off otherwise).
SANXIANG_BEHIND_HTTPS_PROXY = env.bool("SANXIANG_BEHIND_HTTPS_PROXY", default=False)
# The proxy's address as `sanxiang serve` (waitress) sees it; "*" trusts any (only if nothing else
# can reach the port).
SANXIANG_TRUSTED_PROXY = env.str("SANXIANG_TRUSTED_PROXY", default="127.0.0.1")
if SANXIANG_BEHIND_HTTPS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SANXIANG_SECURE_COOKIES", default=True)
SECURE_HSTS_SECONDS = env.int("SANXIANG_HSTS_SECONDS", default=365 * 24 * 3600 if SANXIANG_BEHIND_HTTPS_PROXY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SANXIANG_HSTS_INCLUDE_SUBDOMAINS", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("SANXIANG_LOG_LEVEL", default="WARNING")},
}
