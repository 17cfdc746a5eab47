from django import forms

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.cases.models import CasePerson


class AddressRevealForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see the address?",
        help_text="For example, to arrange a home visit. This is recorded with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why you need to see the address"},
    )
    code = AuthenticatorCodeField(help_text="Enter a new code, even if you entered one to sign in.")


class CaseCreateForm(forms.Form):
    victim_given_name = forms.CharField(
        label="Victim-survivor's first name",
        max_length=100,
        error_messages={"required": "Enter the victim-survivor's first name"},
    )
    victim_family_name = forms.CharField(
        label="Victim-survivor's last name", max_length=100, required=False
    )
    victim_date_of_birth = forms.DateField(
        label="Victim-survivor's date of birth",
        required=False,
        help_text="If you know it",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date of birth"},
    )
    lead_capacity = forms.CharField(
        label="Your role on this case",
        max_length=100,
        help_text="For example, allocated IDVA. You will be the case lead.",
        error_messages={"required": "Enter your role on this case"},
    )


class CasePersonForm(forms.Form):
    role = forms.ChoiceField(
        label="Who is this person?",
        choices=[c for c in CasePerson.Role.choices if c[0] != CasePerson.Role.VICTIM_SURVIVOR],
        error_messages={"required": "Select who this person is"},
    )
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = forms.DateField(
        label="Date of birth",
        required=False,
        help_text="If you know it",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date of birth"},
    )
    aliases = forms.CharField(
        label="Other names they are known by",
        required=False,
        help_text="One name per line",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]
