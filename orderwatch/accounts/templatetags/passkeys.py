"""Passkey parts of pages that other pages own: the row on "Your account" and the passkey
option on the two-factor sign-in page."""

from django import template

from orderwatch.accounts.passkey_pages import script_configuration
from orderwatch.accounts.passkeys import passkeys_work_here, user_passkeys

register = template.Library()


@register.inclusion_tag("accounts/includes/passkeys_row.html", takes_context=True)
def passkeys_row(context) -> dict:
    return {"count": user_passkeys(user=context["request"].user).count()}


@register.inclusion_tag("accounts/includes/passkey_sign_in.html", takes_context=True)
def passkey_sign_in(context) -> dict:
    """Offer the user's passkey beside the code, where the browser can use it."""
    request = context["request"]
    offered = passkeys_work_here(request) and user_passkeys(user=request.user).exists()
    return {"offered": offered, "configuration": script_configuration(request) if offered else {}}
