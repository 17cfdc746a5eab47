from django import forms

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.people.selectors import Status
from orderwatch.people.services import ASSIGNABLE_ROLES

ROLE_CHOICES = [(role.value, role.label) for role in ASSIGNABLE_ROLES]


class PeopleFilterForm(forms.Form):
    """Filters for the people list (from the address: nothing in it is personal data but a
    part of a name the administrator typed, which stays in their own browser)."""

    name = forms.CharField(label="Name", required=False, max_length=150)
    role = forms.ChoiceField(
        label="Role", required=False, choices=[("", "All roles"), *ROLE_CHOICES]
    )
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "All"), *Status.CHOICES]
    )


class PersonCreateForm(forms.Form):
    display_name = forms.CharField(
        label="Full name",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={"required": "Enter their full name"},
    )
    email = forms.EmailField(
        label="Work email address",
        max_length=254,
        help_text="We will email a link to this address so they can set up their account.",
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter their work email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a role", "invalid_choice": "Choose a role"},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason"},
    )

    def __init__(self, *args, label: str = "Reason", required_message: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        if required_message:
            self.fields["reason"].error_messages["required"] = required_message


class AuthenticatorResetForm(forms.Form):
    reason = forms.CharField(
        label="Why are you resetting their authenticator app?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why their authenticator app is being reset"},
    )
    code = AuthenticatorCodeField(
        label="Code from your own authenticator app",
        help_text="Enter a new code from your app, even if you entered one to sign in.",
    )
