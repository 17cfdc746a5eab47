from django import forms

from orderwatch.accounts.forms import SignInForm
from orderwatch.breaches.occurrence import Precision
from orderwatch.diary.breach_check import HAPPENED_LABELS
from orderwatch.evidence.forms import EvidenceForm, FilesField


class DiaryStartForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        help_text="You will use this to sign in. We send one email to it, to finish setting "
        "up: choose an address only you can read.",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
        error_messages={
            "required": "Enter an email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Create a password",
        help_text="At least 12 characters. Choose one nobody could guess.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password_again = forms.CharField(
        label="Enter the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") != data.get("password"):
            self.add_error("password_again", "The passwords do not match")
        return data


class DiarySignInForm(SignInForm):
    """The diary's own sign-in: only diary accounts with an open diary get in."""

    def confirm_login_allowed(self, user) -> None:
        if not user.is_active or not user.is_victim_survivor:
            raise self.get_invalid_login_error()


class DiaryEntryForm(EvidenceForm):
    """A diary entry: what happened, when, and any files; the kind follows from the files."""

    kind = None
    happened_precision = forms.ChoiceField(
        label="When did it happen?",
        help_text="If you are not sure, choose what you remember.",
        choices=[
            (Precision.EXACT, "At a time I know"),
            (Precision.APPROXIMATE, "At about a time"),
            (Precision.DATE, "On a day, but I do not know the time"),
            (Precision.RANGE, "Some time between two dates"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select when it happened"},
    )
    description = forms.CharField(
        label="What happened?",
        help_text="Write as much or as little as you like.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what happened"},
    )
    files = FilesField(
        label="Add photos, screenshots, recordings or files (optional)",
        help_text="You can choose more than one.",
        error_messages={"empty": "The selected file is empty"},
    )
    # "Is this a breach?" (ADR 0046): shown only while an order is shown in the diary.
    happened = forms.MultipleChoiceField(
        label="What kind of thing happened? (optional)",
        help_text="Select all that apply. You will see what your order says about it.",
        choices=list(HAPPENED_LABELS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select what kind of thing it was from the list"},
    )
