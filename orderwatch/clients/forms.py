"""Registering an API client, and confirming its revocation."""

from django import forms

from orderwatch.clients.scopes import SCOPES
from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_field
from orderwatch.core.submissions import OnceOnlyForm


class ApiClientRegisterForm(OnceOnlyForm):
    name = forms.CharField(
        label="Name of the system",
        max_length=100,
        help_text="For example, the force's case management system. Others see this in the "
        "audit log.",
        error_messages={"required": "Enter a name for the system"},
    )
    scopes = forms.MultipleChoiceField(
        label="What may it do?",
        choices=list(SCOPES.items()),
        widget=forms.CheckboxSelectMultiple,
        help_text="Give it only what it needs. It sees only cases someone from your agency is "
        "working on.",
        error_messages={"required": "Select what the system may do"},
    )
    expires_on = date_field(
        "When does its access end?",
        allowed=Allowed.FUTURE,
        help_text="At most 12 months from today. Register it again to carry on after that.",
        name="Date access ends",
    )


class ApiClientRevokeForm(forms.Form):
    """Nothing to fill in: the page asks the administrator to confirm."""


class WebhookAddForm(forms.Form):
    url = forms.CharField(
        label="Web address",
        max_length=500,
        help_text="It must start with https:// and be on the internet. The system is sent each "
        "event on the cases it can see, as the event feed gives them.",
        error_messages={
            "required": "Enter the web address",
            "max_length": "The address must be 500 characters or fewer",
        },
    )


class WebhookRemoveForm(forms.Form):
    """Nothing to fill in: the page asks the administrator to confirm."""
