from django import forms
from django.utils.text import capfirst

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.accounts.models import Agency, User
from orderwatch.cases.closing import NOT_YET, OpenItem, checklist_problems
from orderwatch.cases.models import Capacity, CaseClosure, CasePerson
from orderwatch.cases.services.closure import closing_reason_problems
from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_field
from orderwatch.core.submissions import OnceOnlyForm


class AddressRevealForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need to see the address?",
        help_text="For example, to arrange a home visit. This is recorded with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why you need to see the address"},
    )
    code = AuthenticatorCodeField(help_text="Enter a new code, even if you entered one to sign in.")


class AddressRecordForm(forms.Form):
    address = forms.CharField(
        label="The victim-survivor's address",
        widget=forms.Textarea(attrs={"rows": 4, "autocomplete": "off"}),
        max_length=500,
        error_messages={"required": "Enter the address"},
    )
    reason = forms.CharField(
        label="Why are you recording it?",
        help_text="For example, needed for police response planning. This is recorded with your "
        "name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why you are recording the address"},
    )
    code = AuthenticatorCodeField(help_text="Enter a new code, even if you entered one to sign in.")


class CaseCreateForm(OnceOnlyForm):
    victim_given_name = forms.CharField(
        label="Victim-survivor's first name",
        max_length=100,
        error_messages={"required": "Enter the victim-survivor's first name"},
    )
    victim_family_name = forms.CharField(
        label="Victim-survivor's last name", max_length=100, required=False
    )
    victim_date_of_birth = date_field(
        "Victim-survivor's date of birth",
        required=False,
        help_text="If you know it",
        allowed=Allowed.PAST,
    )
    lead_capacity = forms.CharField(
        label="Your role on this case",
        max_length=100,
        help_text="For example, allocated IDVA. You will be the case lead.",
        error_messages={"required": "Enter your role on this case"},
    )


class CasePersonForm(OnceOnlyForm):
    role = forms.ChoiceField(
        label="Who is this person?",
        choices=[c for c in CasePerson.Role.choices if c[0] != CasePerson.Role.VICTIM_SURVIVOR],
        error_messages={"required": "Select who this person is"},
    )
    given_name = forms.CharField(
        label="First name", max_length=100, error_messages={"required": "Enter their first name"}
    )
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = date_field(
        "Date of birth", required=False, help_text="If you know it", allowed=Allowed.PAST
    )
    aliases = forms.CharField(
        label="Other names they are known by",
        required=False,
        help_text="One name per line",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class TeamAgencyForm(forms.Form):
    """Step one of adding someone to the case team: which agency they work for."""

    agency = forms.ModelChoiceField(
        label="Which agency do they work for?",
        queryset=Agency.objects.none(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency they work for"},
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class TeamMemberAddForm(forms.Form):
    """Step two: the person (from the agency's directory) and their role on the case."""

    user = forms.ModelChoiceField(
        label="Who do you want to add?",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who to add to the case team"},
    )
    capacity = forms.ChoiceField(
        label="What is their role on this case?",
        choices=Capacity.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on this case"},
    )
    other_capacity = forms.CharField(
        label="If other, their role on this case",
        max_length=100,
        required=False,
        help_text="For example, GP or youth worker",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.display_name} – {user.get_role_display()}"
        )

    def clean(self):
        data = super().clean()
        if data.get("capacity") == Capacity.OTHER and not data.get("other_capacity", "").strip():
            self.add_error("other_capacity", "Enter their role on this case")
        return data

    def capacity_words(self) -> str:
        """Return the role on the case as it is shown: the choice, or what was written."""
        data = self.cleaned_data
        if data["capacity"] == Capacity.OTHER:
            return data["other_capacity"].strip()
        return Capacity(data["capacity"]).label


class TeamMemberRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why are they leaving the case team?",
        help_text="For example, they have moved to another team. This is kept on the record.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why they are leaving the case team"},
    )
    new_lead = forms.ModelChoiceField(
        label="Who will lead the case instead?",
        queryset=User.objects.none(),
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(self, *args, successors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if successors is None:
            del self.fields["new_lead"]
        else:
            self.fields["new_lead"].queryset = successors
            self.fields["new_lead"].required = True
            self.fields["new_lead"].error_messages["required"] = (
                "Choose who will lead the case instead"
            )
            self.fields["new_lead"].label_from_instance = lambda user: user.display_name


class AddressAccessForm(forms.Form):
    reason = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text="This is kept on the record with your name.",
        error_messages={"required": "Enter why"},
    )


class ClosingChecklistForm(forms.Form):
    """One question per item still open on the case; every one needs a decision that lets the
    case close (`closing.checklist_problems`)."""

    def __init__(self, *args, items: list[OpenItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            question = item.question
            self.fields[item.field] = forms.ChoiceField(
                label=capfirst(item.label),
                help_text=question.question,
                choices=[
                    (question.close_code, question.close_label),
                    (NOT_YET, question.not_yet_label),
                ],
                widget=forms.RadioSelect,
                required=False,
            )

    def clean(self):
        data = super().clean()
        for field, problem in checklist_problems(self.items, data).items():
            self.add_error(field, problem)
        return data


class ClosingReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=CaseClosure.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why the case is closing"},
    )
    reason_text = forms.CharField(
        label="More about why",
        help_text="Needed if the reason is not listed. It is kept on the case's record and "
        "shown to its case team.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=1000,
    )

    def clean(self):
        data = super().clean()
        if "reason" in data:
            for field, problem in closing_reason_problems(
                reason=data["reason"], reason_text=data.get("reason_text", "")
            ).items():
                self.add_error(field, problem)
        return data


class CaseReopenForm(forms.Form):
    reason_text = forms.CharField(
        label="Why is the case being reopened?",
        help_text="For example, a new order was made. This is kept on the case's record.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Enter why the case is being reopened"},
    )
