"""Passkeys in the access matrix (ADR 0025), added to the accounts routes.

The pages are any verified professional's own (nothing in their URLs names anyone else); a
passkey's own page answers only its owner, 404 to everyone else. Using a passkey is the second
step of signing in, so the password-only visitor may start it; here only the case's lead (the
member, who is also the password-only visitor) has a passkey. A diary account gets 404.
"""

from orderwatch.access.tests.routes import SIGNED_IN_PAGE, VERIFIED, VISITORS, Route
from orderwatch.accounts.tests.soft_authenticator import SoftAuthenticator
from orderwatch.cases.models import Case

OWNER_ONLY = {**dict.fromkeys(VISITORS, 404), **SIGNED_IN_PAGE}


def _lead_with_passkey(case: Case) -> dict:
    lead = case.team_memberships.get(is_lead=True, left_at__isnull=True).user
    return {"passkey_id": SoftAuthenticator().passkey_for(lead).pk}


def lead_has_a_passkey(case: Case) -> dict:
    _lead_with_passkey(case)
    return {}


PASSKEY_ROUTES = [
    Route("accounts:passkeys", {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}),
    Route("accounts:passkey-add", {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}),
    # Without a fresh code entered on "Add a passkey", back there; and no passkey is made.
    Route("accounts:passkey-create", {**dict.fromkeys(VERIFIED, 302), **SIGNED_IN_PAGE}),
    # The endpoints answer for themselves, in JSON: without that fresh code, 403 to everyone.
    *(
        Route(name, dict.fromkeys(VISITORS, 403), method="post")
        for name in ("accounts:passkey-create-begin", "accounts:passkey-create-complete")
    ),
    Route("accounts:passkey-remove", {**OWNER_ONLY, "member": 200}, _lead_with_passkey),
    Route(
        "accounts:passkey-remove",
        {**OWNER_ONLY, "member": 302},
        _lead_with_passkey,
        method="post",
    ),
    # Starting: a challenge for whoever has a passkey and is signed in (the password at least).
    Route(
        "accounts:passkey-sign-in-begin",
        {**dict.fromkeys(VISITORS, 403), "member": 200, "password_only": 200},
        lead_has_a_passkey,
        method="post",
    ),
    # Finishing without having started: refused (400), and without a passkey at all, 403.
    Route(
        "accounts:passkey-sign-in-complete",
        {**dict.fromkeys(VISITORS, 403), "member": 400, "password_only": 400},
        lead_has_a_passkey,
        method="post",
    ),
    # The words of the passkey scripts: for anyone signed in, before the second step too.
    Route(
        "accounts:passkey-script-text",
        {**dict.fromkeys(VISITORS, 200), "anonymous": 302},
    ),
]
