from django import forms

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.accounts.services.passkeys import NAME_MAX_LENGTH


class PasskeyAddForm(forms.Form):
    """Before a passkey is made: what to call it, and a fresh code from the authenticator app."""

    name = forms.CharField(
        label="Name for this passkey",
        max_length=NAME_MAX_LENGTH,
        help_text="So you can tell your passkeys apart, for example ‘Work laptop’ or "
        "‘Security key’. Do not use anyone’s name.",
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
        error_messages={
            "required": "Enter a name for this passkey",
            "max_length": f"Name must be {NAME_MAX_LENGTH} characters or fewer",
        },
    )
    code = AuthenticatorCodeField(help_text="Enter a new code, even if you entered one to sign in.")
