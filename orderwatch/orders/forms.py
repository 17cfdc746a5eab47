from django import forms

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.cases.models import CasePerson
from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_field as _date
from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.orders.models import AddressChange, Condition, OrderChange, OrderType


class OrderForm(OnceOnlyForm):
    order_type = forms.ModelChoiceField(
        label="Type of order",
        queryset=OrderType.objects.order_by("name"),
        empty_label="Select the type of order",
        error_messages={"required": "Select the type of order"},
    )
    court = forms.CharField(label="Court", max_length=200, required=False)
    court_reference = forms.CharField(label="Court case number", max_length=100, required=False)
    respondent = forms.ModelChoiceField(
        label="Respondent",
        queryset=CasePerson.objects.none(),
        required=False,
        empty_label="Not recorded on this case",
        help_text="The person the order is against. Add them to the case first if they are "
        "not listed.",
    )
    protected_people = forms.ModelMultipleChoiceField(
        label="Who does the order protect?",
        queryset=CasePerson.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select who the order protects"},
    )
    made_on = _date("Date the order was made", allowed=Allowed.TODAY_OR_PAST)
    served_on = _date(
        "Date it was served on the respondent",
        required=False,
        help_text="If known",
        allowed=Allowed.TODAY_OR_PAST,
    )
    starts_on = _date("Date it starts")
    ends_on = _date(
        "Date it ends", required=False, help_text="The last day it is in force, as the order says"
    )
    until_further_order = forms.BooleanField(
        label="It lasts until further order (no end date)", required=False
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        people = case.people.all()
        self.fields["respondent"].queryset = people.filter(role=CasePerson.Role.RESPONDENT)
        self.fields["protected_people"].queryset = people.exclude(role=CasePerson.Role.RESPONDENT)
        self.fields["protected_people"].label_from_instance = lambda p: (
            f"{p.full_name} ({p.get_role_display().lower()})"
        )


class ConditionForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="What kind of condition is it?",
        choices=Condition.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of condition it is"},
    )
    wording = forms.CharField(
        label="Exact wording",
        help_text="Copy the words of the order. Where it names the protected address, write "
        "'the address' and put the address below instead.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the words of the condition, as the order says"},
    )
    protects = forms.CharField(
        label="Who it protects",
        max_length=300,
        required=False,
        help_text="For example, the victim-survivor and the children",
    )
    place = forms.CharField(
        label="Address or area it names (optional)",
        required=False,
        help_text="Kept confidential like the protected address and left out of summaries.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    exceptions = forms.CharField(
        label="Exceptions (optional)",
        required=False,
        help_text="For example, contact through a solicitor about child arrangements",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ConditionEndForm(forms.Form):
    ended_on = _date("Date it stopped applying")
    reason = forms.CharField(
        label="Why does it no longer apply?",
        help_text="For example, removed when the order was varied, or recorded in error",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why the condition no longer applies"},
    )


class OrderChangeForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="What did the court do?",
        choices=OrderChange.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the court did"},
    )
    made_on = _date("Date the court made the change", allowed=Allowed.TODAY_OR_PAST)
    new_ends_on = _date("New end date", required=False, help_text="For an extension only")
    until_further_order = forms.BooleanField(label="Extended until further order", required=False)
    what_changed = forms.CharField(
        label="What changed",
        help_text="Do not write the protected address or a new exclusion area here: it is "
        "shown on the case chronology.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the court changed"},
    )


class CopyUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the sealed order",
        help_text="A PDF, JPG or PNG, smaller than 20 MB",
        error_messages={
            "required": "Select the copy of the order",
            "empty": "The selected file is empty",
        },
    )


class AddressChangeForm(OnceOnlyForm):
    new_address = forms.CharField(
        label="The new address",
        help_text="Encrypted, and shown only to people who give a reason.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter the new address"},
    )
    moved_on = _date("Date they moved", required=False, help_text="If known")
    disclosure_risk = forms.CharField(
        label="Could changing the order reveal the new address to the respondent?",
        help_text="For example, a varied exclusion zone would name the new street. Describe the "
        "risk without writing the address here.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter how varying the order could reveal the new address"},
    )
    discussion = forms.CharField(
        label="What was discussed, and with whom?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what was discussed, and with whom"},
    )
    next_step = forms.ChoiceField(
        label="Agreed safe next step",
        choices=AddressChange.NextStep.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the agreed next step"},
    )
    reason = forms.CharField(
        label="Why is this the safe next step?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this is the safe next step"},
    )
    code = AuthenticatorCodeField(help_text="Recording an address needs a new code.")


class SummaryForm(forms.Form):
    include_address = forms.BooleanField(
        label="Include the protected address",
        required=False,
        help_text="Only if everyone who will see the summary may know it.",
    )
    reason = forms.CharField(
        label="Why does the summary need the address?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    code = AuthenticatorCodeField(required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("include_address"):
            if not cleaned.get("reason", "").strip():
                self.add_error("reason", "Enter why the summary needs the address")
            if not cleaned.get("code", "").strip():
                self.add_error("code", "Enter the 6-digit code from your authenticator app")
        return cleaned
