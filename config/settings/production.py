"""Production settings: everything from the environment; refuse to start when unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import (
    ALLOWED_HOSTS,
    DATABASES,
    EMAIL_BACKEND,
    EMAIL_HOST,
    EMAIL_USE_SSL,
    EMAIL_USE_TLS,
    NOTIFY_EMAIL_BACKEND,
    ORDERWATCH_FIELD_KEYS,
    ORDERWATCH_METRICS_ALLOWED_NETWORKS,
    ORDERWATCH_TRUSTED_PROXIES,
)
from orderwatch.core.forwarded import trusted_networks
from orderwatch.core.transport import encrypted_or_local_database, encrypted_or_local_smtp


def _required(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


if os.environ.get("DEBUG"):
    raise ImproperlyConfigured("DEBUG must not be set in production.")
DEBUG = False
SECRET_KEY = _required("SECRET_KEY")
_required("DATABASE_URL")
if not ORDERWATCH_FIELD_KEYS:
    raise ImproperlyConfigured("ORDERWATCH_FIELD_KEYS must be set in production.")
_required("ORDERWATCH_EVIDENCE_SIGNING_KEY")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production.")
# Alert emails link here; a plain-http link would invite people to sign in unprotected.
ORDERWATCH_BASE_URL = _required("ORDERWATCH_BASE_URL").rstrip("/")
if not ORDERWATCH_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("ORDERWATCH_BASE_URL must start with https:// in production.")
# GOV.UK Notify (ADR 0034): its backend cannot send a thing without the service's API key.
if EMAIL_BACKEND == NOTIFY_EMAIL_BACKEND:
    _required("ORDERWATCH_NOTIFY_API_KEY")

# Behind nginx, set ORDERWATCH_TRUSTED_PROXIES to the proxies' addresses and have each append
# the address it received from to X-Forwarded-For ($proxy_add_x_forwarded_for): lockout, audit
# origins and throttles then see the client, not the proxy (ADR 0026). Left empty, the header is
# ignored and every client behind a proxy shares its address. A network holding every address
# would believe a header any client can write.
try:
    _proxies = trusted_networks(ORDERWATCH_TRUSTED_PROXIES)
except ValueError as error:
    raise ImproperlyConfigured(f"ORDERWATCH_TRUSTED_PROXIES: {error}.") from None
if any(network.prefixlen == 0 for network in _proxies):
    raise ImproperlyConfigured("ORDERWATCH_TRUSTED_PROXIES must name proxies, not every address.")

# Metrics (ADR 0033): only the scrapers' own addresses; never a network holding every address.
try:
    _scrapers = trusted_networks(ORDERWATCH_METRICS_ALLOWED_NETWORKS)
except ValueError as error:
    raise ImproperlyConfigured(f"ORDERWATCH_METRICS_ALLOWED_NETWORKS: {error}.") from None
if any(network.prefixlen == 0 for network in _scrapers):
    raise ImproperlyConfigured(
        "ORDERWATCH_METRICS_ALLOWED_NETWORKS must name the scrapers, not every address."
    )

SECURE_SSL_REDIRECT = True
# Health probes (ADR 0032): load balancers, nginx and orchestrators probe an app instance over
# plain http on the private network, so the probes are answered there, never redirected.
SECURE_REDIRECT_EXEMPT = [r"^health/(live|ready)$"]
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Personal data crosses the network to the database and the mail server: encrypted, unless the
# server is on this machine. DATABASE_URL takes "?sslmode=verify-full" (or require); SMTP takes
# EMAIL_USE_TLS=1 (STARTTLS) or EMAIL_USE_SSL=1. On a private network the operator trusts, the
# refusal can be lifted explicitly (docs/operations.md).
if not os.environ.get("ORDERWATCH_ALLOW_UNENCRYPTED_DATABASE") and not (
    encrypted_or_local_database(DATABASES["default"])
):
    raise ImproperlyConfigured(
        "DATABASE_URL must use TLS (sslmode=require or verify-full) for a database on another "
        "machine in production."
    )
if (
    EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
    and not os.environ.get("ORDERWATCH_ALLOW_UNENCRYPTED_SMTP")
    and not encrypted_or_local_smtp(host=EMAIL_HOST, tls=EMAIL_USE_TLS, ssl=EMAIL_USE_SSL)
):
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS=1 or EMAIL_USE_SSL=1 must be set for a mail server on another machine in "
        "production."
    )
