from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Email and password; one message for every failure, so accounts cannot be discovered."""

    username = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={"required": "Enter your email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {
        "invalid_login": "Enter a correct email address and password",
        "inactive": "Enter a correct email address and password",
    }
    error_anchor = "id_username"

    def clean_username(self) -> str:
        return self.cleaned_data["username"].lower()

    def confirm_login_allowed(self, user) -> None:
        """Refuse diary accounts here, with the same message: they sign in to their diary."""
        super().confirm_login_allowed(user)
        if user.is_victim_survivor:
            raise self.get_invalid_login_error()


class AuthenticatorCodeField(forms.CharField):
    """A code from the authenticator app: numeric keypad, one-time-code autofill, GOV.UK width."""

    def __init__(self, *, numeric: bool = True, **kwargs):
        attrs = {"autocomplete": "one-time-code", "spellcheck": "false"}
        if numeric:
            attrs |= {"inputmode": "numeric", "class": "govuk-input--width-10"}
        kwargs.setdefault("label", "Code from your authenticator app")
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        kwargs.setdefault(
            "error_messages", {"required": "Enter the 6-digit code from your authenticator app"}
        )
        super().__init__(**kwargs)


class TwoFactorCodeForm(forms.Form):
    code = AuthenticatorCodeField()


class TwoFactorVerifyForm(forms.Form):
    # Recovery codes have letters, so no numeric keypad here.
    code = AuthenticatorCodeField(
        numeric=False, help_text="Or, if you have lost your phone, one of your recovery codes."
    )
