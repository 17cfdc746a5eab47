"""Your own account and password resets in the access matrix (see orderwatch/access/tests/).

Account pages are for any verified professional, about themselves only (nothing in their URLs
names anyone). A forgotten password's pages are public; the link answers 404 when it cannot
be used. A diary account gets 404 on all of them, like every page outside its diary.
"""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from orderwatch.access.tests.routes import SIGNED_IN_PAGE, VERIFIED, VISITORS, Route
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.accounts.tests.passkey_access_routes import PASSKEY_ROUTES
from orderwatch.accounts.tokens import account_setup_tokens, password_reset_tokens
from orderwatch.cases.models import Case

SIGNED_IN_200 = {**dict.fromkeys(VERIFIED, 200), **SIGNED_IN_PAGE}
PUBLIC_200 = dict.fromkeys(VISITORS, 200)


def _lead(case: Case) -> User:
    """The case's lead (on record even once deactivated: ADR 0017)."""
    return case.team_memberships.get(is_lead=True, left_at__isnull=True).user


def reset_link_kwargs(case: Case) -> dict:
    user = _lead(case)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": password_reset_tokens.make_token(user),
    }


def tampered_link_kwargs(case: Case) -> dict:
    return {**reset_link_kwargs(case), "token": "cxyz12-0123456789abcdef0123456789abcdef"}


def setup_link_kwargs(case: Case) -> dict:
    """A new account of the lead's agency, not set up yet, and its set-up link."""
    lead = case.team_memberships.get(is_lead=True, left_at__isnull=True)
    person = UserFactory(agency_id=lead.agency_id, authenticator=False)
    User.objects.filter(pk=person.pk).update(password="!not-set-up")
    person.refresh_from_db()
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
        "token": account_setup_tokens.make_token(person),
    }


def setup_link_for_set_up_account_kwargs(case: Case) -> dict:
    """A set-up link for an account that is set up already (the lead's): it no longer works."""
    user = _lead(case)
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": account_setup_tokens.make_token(user),
    }


ROUTES = [
    Route("accounts:account", SIGNED_IN_200),
    Route("accounts:password-change", SIGNED_IN_200),
    Route(
        "accounts:sessions-end-others",
        {**dict.fromkeys(VERIFIED, 302), **SIGNED_IN_PAGE},
        method="post",
    ),
    Route("accounts:password-reset", PUBLIC_200),
    # An unknown address is answered as a known one would be: on to "Check your email".
    Route(
        "accounts:password-reset",
        dict.fromkeys(VISITORS, 302),
        method="post",
        data={"email": "nobody-here@agency.example"},
    ),
    Route("accounts:password-reset-sent", PUBLIC_200),
    # The link moves its token into the session and on to the form, which needs it there.
    Route("accounts:password-reset-link", dict.fromkeys(VISITORS, 302), reset_link_kwargs),
    Route("accounts:password-reset-link", dict.fromkeys(VISITORS, 404), tampered_link_kwargs),
    Route("accounts:password-reset-new", dict.fromkeys(VISITORS, 404)),
    # A new account's set-up link: like a reset link, public, and 404 once it cannot be used.
    Route("accounts:account-setup-link", dict.fromkeys(VISITORS, 302), setup_link_kwargs),
    Route(
        "accounts:account-setup-link",
        dict.fromkeys(VISITORS, 404),
        setup_link_for_set_up_account_kwargs,
    ),
    Route("accounts:account-setup", dict.fromkeys(VISITORS, 404)),
]
ROUTES += PASSKEY_ROUTES
