from django import forms
from django.contrib.auth.forms import AuthenticationForm

from orderwatch.accounts.services.passwords import password_validate


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


class CurrentCodeForm(forms.Form):
    """Before an authenticator is replaced: a code from the current one, or a recovery code."""

    current_code = AuthenticatorCodeField(
        numeric=False,
        label="Code from the authenticator app you use now",
        help_text="Or, if you no longer have the app, one of your recovery codes.",
        error_messages={
            "required": "Enter the 6-digit code from the authenticator app you use now, "
            "or a recovery code"
        },
    )


class CurrentCodeAndPasswordForm(CurrentCodeForm):
    """Before a diary's authenticator is replaced: the password as well (ADR 0024)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class NewPasswordField(forms.CharField):
    """A new password: shown with GOV.UK's password input (a "Show" button), checked against
    the password rules by the form that knows whose password it is."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "New password")
        kwargs.setdefault(
            "help_text",
            "At least 12 characters. A few unrelated words together make a strong password.",
        )
        kwargs.setdefault("error_messages", {"required": "Enter a new password"})
        kwargs.setdefault(
            "widget",
            forms.PasswordInput(
                attrs={
                    "autocomplete": "new-password",
                    "spellcheck": "false",
                    "autocapitalize": "none",
                }
            ),
        )
        super().__init__(strip=False, max_length=128, **kwargs)


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    new_password = NewPasswordField()
    code = AuthenticatorCodeField(help_text="Enter a new code, even if you entered one to sign in.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        password_validate(password=password, user=self.user)
        return password


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you sign in with.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class PasswordResetForm(forms.Form):
    new_password = NewPasswordField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]
        password_validate(password=password, user=self.user)
        return password
