"""Passkey URLs (ADR 0025), in the accounts namespace (included by accounts/urls.py)."""

from django.urls import path

from orderwatch.accounts import passkey_pages

urlpatterns = [
    path("your-account/passkeys/", passkey_pages.passkeys, name="passkeys"),
    path("your-account/passkeys/add/", passkey_pages.passkey_add, name="passkey-add"),
    path("your-account/passkeys/create/", passkey_pages.passkey_create, name="passkey-create"),
    path(
        "your-account/passkeys/create/begin/",
        passkey_pages.passkey_create_begin,
        name="passkey-create-begin",
    ),
    path(
        "your-account/passkeys/create/complete/",
        passkey_pages.passkey_create_complete,
        name="passkey-create-complete",
    ),
    path(
        "your-account/passkeys/<int:passkey_id>/remove/",
        passkey_pages.passkey_remove,
        name="passkey-remove",
    ),
    path(
        "two-factor/passkey/begin/",
        passkey_pages.passkey_sign_in_begin,
        name="passkey-sign-in-begin",
    ),
    path(
        "two-factor/passkey/complete/",
        passkey_pages.passkey_sign_in_complete,
        name="passkey-sign-in-complete",
    ),
    path("passkey-script-text/", passkey_pages.passkey_script_text, name="passkey-script-text"),
]
