"""Settings shared by every environment; values that differ come from the environment."""

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from orderwatch.clients.scopes import SCOPES as API_SCOPES

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = False
ALLOWED_HOSTS: list[str] = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "axes",
    "pgtrigger",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "orderwatch.core",
    "orderwatch.accounts",
    "orderwatch.access",
    "orderwatch.audit",
    "orderwatch.confidential",
    "orderwatch.cases",
    "orderwatch.orders",
    "orderwatch.tasks",
    "orderwatch.notifications",
    "orderwatch.safety",
    "orderwatch.breaches",
    "orderwatch.chronology",
    "orderwatch.sharing",
    "orderwatch.reminders",
    "orderwatch.calendar_feed",
    "orderwatch.evidence",
    "orderwatch.exports",
    "orderwatch.worker",
    "orderwatch.health",
    "orderwatch.diary",
    "orderwatch.patterns",
    "orderwatch.people",
    "orderwatch.demo",
    "orderwatch.backup",
    "orderwatch.retention",
    "orderwatch.api",
    "orderwatch.clients",
    "orderwatch.events",
    "orderwatch.imports",
    "orderwatch.webhooks",
    # Last, so orderwatch.core's admin/ templates (accessibility fixes) override Django's.
    "orderwatch.core.apps.OrderWatchAdminConfig",
]

MIDDLEWARE = [
    # First (ADR 0033): a request id on every log line; /metrics for an allowed scraper only,
    # answered before the rest (no session, cookie, sign-in or audit); every request counted.
    "orderwatch.core.request_id.RequestIdMiddleware",
    "orderwatch.core.metrics.MetricsEndpointMiddleware",
    "orderwatch.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Early, so it compresses the finished body; pages that show a secret are left as they are.
    "orderwatch.core.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, the first thing to read a POST's body: 413 before it is read.
    "orderwatch.core.uploads.RequestSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "orderwatch.accounts.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "orderwatch.accounts.middleware.RequireTwoFactorMiddleware",
    "orderwatch.diary.middleware.DiaryBoundaryMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "orderwatch.audit.middleware.AuditOriginMiddleware",
    "orderwatch.audit.middleware.AuditFailureMiddleware",
    # Inside the audit origin: each call an API client makes is audited (ADR 0042).
    "orderwatch.clients.middleware.ApiClientCallsAudited",
    "orderwatch.core.middleware.NoStoreForSignedInMiddleware",
    # A database or storage outage in a view: the outage page, keeping what was typed.
    "orderwatch.core.outage.OutageMiddleware",
    # Last, so its lockout response wraps everything else.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "orderwatch.notifications.context_processors.unread_notifications",
            ],
            # GOV.UK dates and times in every template, with no {% load %} (ADR 0027).
            "builtins": ["orderwatch.core.templatetags.govuk_dates"],
        },
    },
]


def database_from_environment(default_url: str) -> dict:
    """Return the default database from DATABASE_URL, with SQLite writes serialised."""
    config = dj_database_url.parse(os.environ.get("DATABASE_URL", default_url), conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE takes the write lock at BEGIN, so concurrent audit writes queue, not fail.
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": database_from_environment(f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link works for an hour (and once: it is void once the password changes).
PASSWORD_RESET_TIMEOUT = 60 * 60
AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate at all while a username + address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "orderwatch.accounts.backends.AccountBackend",
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "cases:list"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Front-end packages come from npm at set-up (`npm ci`) and the stylesheet is built from
# them into build/static; none of it is committed.
STATICFILES_DIRS = [
    BASE_DIR / "build" / "static",
    ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk"),
    ("moj", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj"),
    ("assets", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk" / "assets"),
    ("assets", BASE_DIR / "node_modules" / "@ministryofjustice" / "frontend" / "moj" / "assets"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Local stored files; another folder (for a restore drill, say) through the environment.
MEDIA_ROOT = Path(os.environ.get("ORDERWATCH_MEDIA_ROOT") or BASE_DIR / "var" / "media")
# Uploads (ADR 0018): a page takes files only if it says so (`core.uploads.accepts_files`), and
# they are encrypted straight into storage as they arrive; nothing is kept in memory or written
# in plain text to a temporary file. Bodies over a page's limit are refused before being read.
FILE_UPLOAD_HANDLERS = [
    "orderwatch.core.uploads.FilesOnlyWhereAccepted",
    "orderwatch.confidential.uploads.EncryptedUploadHandler",
]
# Stored files (order copies, evidence, prepared documents) are encrypted before they reach
# storage: local disk by default, S3-compatible object storage when a bucket is named. The
# credentials come from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY variables.
if os.environ.get("ORDERWATCH_S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ORDERWATCH_S3_BUCKET"],
            "endpoint_url": os.environ.get("ORDERWATCH_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ORDERWATCH_S3_REGION") or None,
            "default_acl": "private",
            "file_overwrite": False,  # a name is never reused for other bytes
        },
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Idle timeout: activity pushes expiry 30 minutes on (the session is saved at most once a
# minute for it: orderwatch/accounts/middleware.py); after 10 hours, sign in again.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
ORDERWATCH_SESSION_ABSOLUTE_LIMIT = 10 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin: no referrer leaves the service. (no-referrer would make browsers send
# "Origin: null" on our own form posts, which CSRF protection rightly refuses.)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OrderWatch <no-reply@localhost>")
# Seconds before an SMTP connection gives up, so a stuck mail server cannot hang the worker.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# The address people use to reach the service, for the one link in alert emails.
ORDERWATCH_BASE_URL = os.environ.get("ORDERWATCH_BASE_URL", "http://127.0.0.1:8000")

# GOV.UK Notify (ADR 0034), used when EMAIL_BACKEND is NOTIFY_EMAIL_BACKEND: the service's API
# key (name-serviceid-secret), Notify's API address, the id of a reply-to address set up in
# Notify (empty: Notify's default), and one template id per kind of email, from
# ORDERWATCH_NOTIFY_TEMPLATE_<KIND> (a system check names any missing). Sends give up after
# EMAIL_TIMEOUT seconds, and are retried as SMTP sends are.
NOTIFY_EMAIL_BACKEND = "orderwatch.notifications.notify_backend.NotifyEmailBackend"
ORDERWATCH_NOTIFY_API_KEY = os.environ.get("ORDERWATCH_NOTIFY_API_KEY", "")
ORDERWATCH_NOTIFY_BASE_URL = os.environ.get(
    "ORDERWATCH_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"
)
ORDERWATCH_NOTIFY_REPLY_TO_ID = os.environ.get("ORDERWATCH_NOTIFY_REPLY_TO_ID", "")
ORDERWATCH_NOTIFY_TEMPLATES = {
    name.removeprefix("ORDERWATCH_NOTIFY_TEMPLATE_").lower(): value.strip()
    for name, value in os.environ.items()
    if name.startswith("ORDERWATCH_NOTIFY_TEMPLATE_")
}

# Background work (django-tasks): queued in the database and run by `manage.py run_worker`.
# Another backend (a real queue) can be named here without changing any code.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# The worker (`manage.py run_worker`, ADR 0019) records a heartbeat this often; a task left
# running by a worker silent for the lease is run again; after losing the database it tries
# again after 1 s, doubling up to the cap.
ORDERWATCH_WORKER_HEARTBEAT_SECONDS = float(
    os.environ.get("ORDERWATCH_WORKER_HEARTBEAT_SECONDS", "10")
)
ORDERWATCH_WORKER_LEASE_SECONDS = float(os.environ.get("ORDERWATCH_WORKER_LEASE_SECONDS", "60"))
ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS = float(
    os.environ.get("ORDERWATCH_WORKER_RECONNECT_MAX_SECONDS", "60")
)

# The API (ADR 0040, 0042): a person signed in with two factors, or an agency's own system with
# an OAuth2 client-credentials token (`Authorization: Bearer`, which a 401 asks for).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "orderwatch.clients.oauth.ApiClientAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["orderwatch.api.permissions.SignedInOrClientWithScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "orderwatch.api.throttles.ClientRateThrottle",
        "orderwatch.api.throttles.PersonRateThrottle",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in (415 otherwise), and no OPTIONS descriptions (405): one way to call each endpoint.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_METADATA_CLASS": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "orderwatch.api.pagination.Cursor",
    "UNAUTHENTICATED_USER": None,
    # Errors as RFC 9457 problem details (application/problem+json).
    "EXCEPTION_HANDLER": "orderwatch.api.problems.problem_exception_handler",
}
# Calls a client, or a person, may make per period ("N/second|minute|hour|day"), counted across
# every instance (a table, not a per-process cache).
ORDERWATCH_API_CLIENT_RATE = os.environ.get("ORDERWATCH_API_CLIENT_RATE", "600/minute")
ORDERWATCH_API_PERSON_RATE = os.environ.get("ORDERWATCH_API_PERSON_RATE", "120/minute")
# Webhooks (ADR 0045): an API client's https:// address sent each case event it may see. Off
# (the default), an address on a private or loopback network is refused, when added and before
# each delivery; on ("1"), such addresses are allowed, and plain http:// to loopback (testing
# only). Finished deliveries are kept in the log this many days.
ORDERWATCH_WEBHOOK_ALLOW_PRIVATE = os.environ.get("ORDERWATCH_WEBHOOK_ALLOW_PRIVATE", "") == "1"
ORDERWATCH_WEBHOOK_LOG_KEEP_DAYS = int(os.environ.get("ORDERWATCH_WEBHOOK_LOG_KEEP_DAYS", "30"))
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "OAUTH2_VALIDATOR_CLASS": "orderwatch.clients.oauth.ApiClientValidator",
    "SCOPES_BACKEND_CLASS": "orderwatch.clients.oauth.ApiClientScopes",
    "SCOPES": API_SCOPES,
    # A client asks for a new token each hour with its secret; no refresh tokens are issued
    # for the client-credentials grant.
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("ORDERWATCH_API_TOKEN_SECONDS", "3600")),
    # The OAuth 2.0 Security BCP (RFC 9700) throughout: tokens kept only as hashes, never
    # taken from an address, and none of the grants it retires (django-oauth-toolkit's
    # defaults change to these in its version 4).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # No redirects at all (client credentials only); any that were ever added: https.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "OrderWatch API",
    "DESCRIPTION": (
        "Cases, orders and breaches for the people and systems of the agencies that work on "
        "them. See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies as their own components, with what they refuse (an empty name) stated.
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for each set of choices that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "KnownEnum": "orderwatch.breaches.models.Known",
        "PoliceMethodEnum": "orderwatch.breaches.models.Breach.PoliceMethod",
        "PrecisionEnum": ["exact", "approximate", "date", "range"],
        "ConditionKindEnum": "orderwatch.orders.models.Condition.Kind",
        "OrderChangeKindEnum": "orderwatch.orders.models.OrderChange.Kind",
        "PartyKindEnum": "orderwatch.sharing.models.Party.Kind",
        "EvidenceKindEnum": "orderwatch.evidence.models.EvidenceKind",
        "CaseEventKindEnum": "orderwatch.events.table.CaseEvent",
        "PersonRoleEnum": "orderwatch.cases.models.CasePerson.Role",
    },
    "SERVE_PERMISSIONS": ["orderwatch.api.permissions.SignedInOrClientWithScope"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "orderwatch.api.problems.document_problems",
    ],
}


# Two-factor authentication (django-otp): TOTP with replay protection and throttling.
def _authenticator_name(device) -> str:
    """Name the account in an authenticator app: a diary's is "Notes", so a glance at the
    victim-survivor's phone does not reveal the service."""
    return "Notes" if device.user.role == "victim_survivor" else "OrderWatch"


OTP_TOTP_ISSUER = _authenticator_name
OTP_TOTP_THROTTLE_FACTOR = 1

# Passkeys (django-otp-webauthn, ADR 0025): a second factor beside the authenticator app, never
# a way to sign in without a password. The relying party is the address people use
# (ORDERWATCH_BASE_URL); a passkey works only there. Browsers refuse an IP address here, so
# `make run` uses localhost (config/settings/local.py).
OTP_WEBAUTHN_RP_NAME = "OrderWatch"
_service_address = urlsplit(ORDERWATCH_BASE_URL)
OTP_WEBAUTHN_RP_ID = _service_address.hostname
OTP_WEBAUTHN_ALLOWED_ORIGINS = [f"{_service_address.scheme}://{_service_address.netloc}"]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Sign-in throttling (django-axes): 5 failures for one username from one address lock that
# pair, whether or not the account exists, so lockouts do not reveal which accounts exist.
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form field (it holds the email)
AXES_USERNAME_CALLABLE = "orderwatch.accounts.lockout.username_from_request"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Lockout records keep a keyed hash of the client's address (behind the trusted proxies below)
# and no browser; successful sign-ins are audited, not logged again by axes (ADR 0026).
AXES_CLIENT_IP_CALLABLE = "orderwatch.accounts.lockout.client_for_lockout"
AXES_HANDLER = "orderwatch.accounts.lockout.SignInFailureHandler"
AXES_DISABLE_ACCESS_LOG = True
# Axes' log lines name the account by a keyed hash, never the email typed (ADR 0033).
AXES_CLIENT_STR_CALLABLE = "orderwatch.accounts.lockout.client_for_logs"

# Reverse proxies whose X-Forwarded-For is believed (ADR 0026): addresses or CIDR networks,
# comma-separated, e.g. "10.0.0.5,10.1.0.0/16". Empty: the client is the socket's peer
# (REMOTE_ADDR) and the header is ignored. Used by lockout, audit origins and throttles.
ORDERWATCH_TRUSTED_PROXIES: list[str] = [
    p.strip() for p in os.environ.get("ORDERWATCH_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# Lockout records (hashed client, email as typed) and recorded sign-in sessions are deleted
# after this many days (`manage.py purge_sign_in_records`, daily).
ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS = int(
    os.environ.get("ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS", "30")
)

# Fernet keys for confidential fields, newest first; older keys still decrypt (rotation).
ORDERWATCH_FIELD_KEYS: list[str] = [
    k.strip() for k in os.environ.get("ORDERWATCH_FIELD_KEYS", "").split(",") if k.strip()
]
# Ed25519 private key (32 bytes, URL-safe base64) that signs evidence bundles' manifests; its
# public key is published in the service so anyone can check a bundle offline.
ORDERWATCH_EVIDENCE_SIGNING_KEY = os.environ.get("ORDERWATCH_EVIDENCE_SIGNING_KEY", "")
# Ed25519 private key (32 bytes, URL-safe base64) that signs audit checkpoints
# (`manage.py audit_checkpoint`). When unset, the evidence signing key above signs them.
# Changing it later makes older checkpoints fail `audit_verify`: choose before the first one.
ORDERWATCH_AUDIT_SIGNING_KEY = os.environ.get("ORDERWATCH_AUDIT_SIGNING_KEY", "")
# A folder outside the database (another host, append-only storage) that `audit_checkpoint`
# writes each signed checkpoint to, one file each, in a folder per day; empty: none (ADR 0026).
ORDERWATCH_AUDIT_CHECKPOINT_EXPORT = os.environ.get("ORDERWATCH_AUDIT_CHECKPOINT_EXPORT", "")
# Largest evidence file that may be uploaded (default 2 GiB); uploads stream to disk, never
# into memory, so this bounds disk use, not memory.
ORDERWATCH_EVIDENCE_MAX_BYTES = int(
    os.environ.get("ORDERWATCH_EVIDENCE_MAX_BYTES", str(2 * 1024 * 1024 * 1024))
)
# Largest evidence upload, all its files together (default twice the largest file); a larger
# request is refused with 413 before any of it is read (ADR 0018). nginx's
# client_max_body_size must be at least this (README, "In production").
ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES = int(
    os.environ.get("ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES", str(2 * ORDERWATCH_EVIDENCE_MAX_BYTES))
)
# A new account's set-up link (emailed by the agency administrator's "Create an account"):
# how many hours it works. It works once.
ORDERWATCH_ACCOUNT_SETUP_HOURS = int(os.environ.get("ORDERWATCH_ACCOUNT_SETUP_HOURS", "72"))
# A victim-survivor's diary: how long an invitation link works, how long a diary session may
# sit idle before it signs out, and where "Exit this page" goes (a neutral, everyday site).
ORDERWATCH_DIARY_INVITE_HOURS = int(os.environ.get("ORDERWATCH_DIARY_INVITE_HOURS", "72"))
ORDERWATCH_DIARY_IDLE_SECONDS = int(os.environ.get("ORDERWATCH_DIARY_IDLE_SECONDS", "600"))
ORDERWATCH_EXIT_PAGE_URL = os.environ.get(
    "ORDERWATCH_EXIT_PAGE_URL", "https://www.bbc.co.uk/weather"
)
# Prepared documents (PDFs, exports) are personal data: their files are deleted this many hours
# after they are ready (`manage.py prepare_pending_exports`).
ORDERWATCH_EXPORT_KEEP_HOURS = int(os.environ.get("ORDERWATCH_EXPORT_KEEP_HOURS", "24"))
# Orders ending within this many days appear on the "Orders ending soon" dashboard (8 weeks).
ORDERWATCH_EXPIRY_WINDOW_DAYS = int(os.environ.get("ORDERWATCH_EXPIRY_WINDOW_DAYS", "56"))
# Largest copy of an order that may be uploaded.
ORDERWATCH_ORDER_COPY_MAX_BYTES = 20 * 1024 * 1024
# Importing cases from a CSV file (ADR 0043): the largest file, and the most rows, one import
# takes (it runs in one transaction, while the administrator waits).
ORDERWATCH_IMPORT_MAX_BYTES = int(os.environ.get("ORDERWATCH_IMPORT_MAX_BYTES", str(1024 * 1024)))
ORDERWATCH_IMPORT_MAX_ROWS = int(os.environ.get("ORDERWATCH_IMPORT_MAX_ROWS", "200"))
# Shortest reason accepted before a protected address is revealed.
ORDERWATCH_REVEAL_MIN_REASON_LENGTH = 10

# A breach opens a safety-plan review for the lead, due this many working days later.
ORDERWATCH_SAFETY_REVIEW_WORKING_DAYS = int(
    os.environ.get("ORDERWATCH_SAFETY_REVIEW_WORKING_DAYS", "2")
)
# Bank holidays skipped when counting working days (python-holidays country and subdivision).
ORDERWATCH_BANK_HOLIDAYS = (
    os.environ.get("ORDERWATCH_BANK_HOLIDAYS_COUNTRY", "GB"),
    os.environ.get("ORDERWATCH_BANK_HOLIDAYS_SUBDIVISION", "ENG"),
)

# Logs, metrics and error reports (ADR 0033). Every log line, Django's and the libraries'
# included, is one JSON object (time, level, logger, event, request or task id) on standard
# error; "console" prints readable lines instead, for a developer (`make run`'s default).
# Nothing a person sent is logged: paths become route names, SQL and exception messages are
# left out (orderwatch/core/logs.py).
ORDERWATCH_LOG_FORMAT = os.environ.get("ORDERWATCH_LOG_FORMAT", "json")
ORDERWATCH_LOG_LEVEL = os.environ.get("ORDERWATCH_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"structured": {"()": "orderwatch.core.logs.formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["console"], "level": ORDERWATCH_LOG_LEVEL},
    "loggers": {
        # Django's own handlers (plain text, and emails of whole requests to ADMINS) are
        # replaced: its records go to the root's handler like every other.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
        # Sign-in throttling reports each attempt at INFO; lockouts (WARNING) are what matter.
        "axes": {"level": "WARNING"},
        # django.template logs whole template contexts at DEBUG: never let that be switched on.
        "django.template": {"level": "INFO"},
    },
}
# /metrics (Prometheus' text format) answers only clients connecting straight from these
# addresses or networks (comma-separated), never through a proxy; otherwise 404.
ORDERWATCH_METRICS_ALLOWED_NETWORKS: list[str] = [
    n.strip()
    for n in os.environ.get("ORDERWATCH_METRICS_ALLOWED_NETWORKS", "127.0.0.1,::1").split(",")
    if n.strip()
]
# Error reports to Sentry, only when a DSN is set; scrubbed of personal data before sending.
ORDERWATCH_SENTRY_DSN = os.environ.get("ORDERWATCH_SENTRY_DSN", "")
ORDERWATCH_SENTRY_ENVIRONMENT = os.environ.get("ORDERWATCH_SENTRY_ENVIRONMENT", "production")
# The version deployed, named in error reports (a tag or commit), if the deployment sets it.
ORDERWATCH_RELEASE = os.environ.get("ORDERWATCH_RELEASE", "")

# Reminders (`manage.py send_reminders`): weeks before an order ends when a "consider extension
# or an alternative order" task opens, largest first. Comma-separated, e.g. "8,4,2,1".
ORDERWATCH_EXPIRY_REMINDER_WEEKS = sorted(
    {
        int(weeks)
        for weeks in os.environ.get("ORDERWATCH_EXPIRY_REMINDER_WEEKS", "8,4,2,1").split(",")
        if weeks.strip()
    },
    reverse=True,
)
# The decision is due this many days before the order ends (never before the day it opens),
# leaving time to apply to the court.
ORDERWATCH_EXPIRY_DECISION_DUE_DAYS_BEFORE_END = int(
    os.environ.get("ORDERWATCH_EXPIRY_DECISION_DUE_DAYS_BEFORE_END", "7")
)
# The team is told about an overdue safety-plan review once, then again every this many days
# while it stays overdue; 0 tells them once only.
ORDERWATCH_OVERDUE_REVIEW_ALERT_REPEAT_DAYS = int(
    os.environ.get("ORDERWATCH_OVERDUE_REVIEW_ALERT_REPEAT_DAYS", "7")
)

# The public information pages (accessibility statement, privacy notices, cookies: ADR 0029)
# name who runs the service and how to reach them. Until an operator sets these, the pages
# show a bracketed placeholder that says which setting to fill in.
ORDERWATCH_OPERATOR_NAME = os.environ.get("ORDERWATCH_OPERATOR_NAME", "")
ORDERWATCH_CONTACT_EMAIL = os.environ.get("ORDERWATCH_CONTACT_EMAIL", "")
ORDERWATCH_DPO_CONTACT = os.environ.get("ORDERWATCH_DPO_CONTACT", "")
# The protective marking printed at the top and bottom of every printed page of the signed-in
# service and of every PDF it makes. One of the markings the print stylesheet knows.
ORDERWATCH_PROTECTIVE_MARKINGS = ("OFFICIAL-SENSITIVE", "OFFICIAL")
ORDERWATCH_PROTECTIVE_MARKING = os.environ.get(
    "ORDERWATCH_PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE"
)
if ORDERWATCH_PROTECTIVE_MARKING not in ORDERWATCH_PROTECTIVE_MARKINGS:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"ORDERWATCH_PROTECTIVE_MARKING must be one of {', '.join(ORDERWATCH_PROTECTIVE_MARKINGS)}."
    )
