"""Passkeys (ADR 0025): where they work, and a user's own passkeys.

The credentials are django-otp-webauthn's devices, so django-otp counts a session that used
one as having passed two-factor authentication, as it does for the authenticator app.
"""

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django_otp_webauthn.models import WebAuthnCredential

from orderwatch.accounts.models import User


def passkeys_work_here(request: HttpRequest) -> bool:
    """Say whether a browser at this request's address can use the service's passkeys: only at
    the relying party's own domain (ORDERWATCH_BASE_URL), never at another name or an IP."""
    host = request.get_host().rsplit(":", 1)[0].lower()
    domain = settings.OTP_WEBAUTHN_RP_ID
    return host == domain or host.endswith(f".{domain}")


def passkey_address() -> str:
    """Return the address at which passkeys work, for the pages that say where that is."""
    return settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0]


def user_passkeys(*, user: User) -> QuerySet[WebAuthnCredential]:
    """Return the user's passkeys, the first added first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def user_passkey(*, user: User, passkey_id: int) -> WebAuthnCredential:
    """Return one of the user's own passkeys; anyone else's, or none, is a 404."""
    passkey = user_passkeys(user=user).filter(pk=passkey_id).first()
    if passkey is None:
        raise Http404
    return passkey
