"""Forms for who needs to know and the sharing log.

The forms check each answer's type; whether the answers make a complete, consistent record is
the services' job, so the same rules hold for every way in.
"""

from django import forms

from orderwatch.accounts.models import User
from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_field
from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.sharing.models import PURPOSE_MAX_LENGTH, Party, Share

YES_NO = [("yes", "Yes"), ("no", "No")]


def _radios(label: str, choices, message: str, help_text: str = "", **kw) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
        **kw,
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.display_name} ({obj.agency.name})"


class PartyForm(OnceOnlyForm):
    kind = _radios(
        "What kind of service are they from?",
        Party.Kind.choices,
        "Select what kind of service they are from",
    )
    user = UserChoiceField(
        label="If they use OrderWatch, choose them",
        queryset=User.objects.none(),
        required=False,
        empty_label="They do not use OrderWatch",
        help_text="They do not need to be on the case team. Leave the questions below empty.",
        error_messages={"invalid_choice": "Choose someone who uses OrderWatch now"},
    )
    name = forms.CharField(
        label="Their name",
        max_length=200,
        required=False,
        help_text="If they do not use OrderWatch. For example, the name of the designated "
        "safeguarding lead.",
    )
    role = forms.CharField(
        label="Their role (optional)",
        max_length=200,
        required=False,
        help_text="For example, designated safeguarding lead",
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        help_text="If they do not use OrderWatch. For example, the name of the school.",
    )
    contact_details = forms.CharField(
        label="Secure contact details (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a secure email address or a direct phone line. Kept "
        "encrypted, and shown only to people on the case team who record sharing.",
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users


class ShareForm(OnceOnlyForm):
    party = _radios("Who did you share it with?", [], "Select who you shared it with")
    what = forms.MultipleChoiceField(
        label="What did you share?",
        choices=Share.What.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select what you shared"},
    )
    shared_on = date_field("Date you shared it", allowed=Allowed.TODAY_OR_PAST)
    how = _radios("How did you share it?", Share.How.choices, "Select how you shared it")
    how_details = forms.CharField(
        label="If you shared it another way, how?", max_length=200, required=False
    )
    purpose = forms.CharField(
        label="Why did you share it?",
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="In a sentence, for example: so the school knows who may not collect the "
        "children. Do not write the protected address.",
        error_messages={
            "required": "Enter why you shared it",
            "max_length": f"Why you shared it must be {PURPOSE_MAX_LENGTH} characters or fewer",
        },
    )
    lawful_basis = _radios(
        "What was the lawful basis for sharing?",
        Share.LawfulBasis.choices,
        "Select the lawful basis for sharing",
        help_text="Most sharing to keep a protective order working is for safeguarding. "
        "Police and probation sharing for law enforcement purposes use Schedule 8 instead of "
        "Schedule 1. Your organisation also needs a lawful basis under UK GDPR Article 6, "
        "usually public task. If you are not sure which applies, check with your "
        "information governance lead.",
    )
    lawful_basis_details = forms.CharField(
        label="If another basis, explain it",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    told_what_to_do_on_breach = _radios(
        "Did you tell them what to do if the order is breached?",
        YES_NO,
        "Select whether you told them what to do if the order is breached",
        help_text="Call 999 if anyone is in immediate danger. Otherwise report it to the "
        "police on 101 or online, and tell the case lead.",
    )
    address_included = _radios(
        "Did you include the protected address?",
        YES_NO,
        "Select whether you included the protected address",
        help_text="Usually not. Only include it when they need it to keep the "
        "victim-survivor safe.",
        initial="no",
    )
    address_reason = forms.CharField(
        label="If you included it, why did they need the address?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Do not write the address here. This is recorded with your name.",
    )

    def __init__(self, *args, parties, can_include_address: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(str(party.pk), _party_label(party)) for party in parties]
        if not can_include_address:
            del self.fields["address_included"]
            del self.fields["address_reason"]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "party_id": data["party"],
            "what": data["what"],
            "shared_on": data["shared_on"],
            "how": data["how"],
            "how_details": data["how_details"],
            "purpose": data["purpose"],
            "lawful_basis": data["lawful_basis"],
            "lawful_basis_details": data["lawful_basis_details"],
            "told_what_to_do_on_breach": data["told_what_to_do_on_breach"] == "yes",
            "address_included": data.get("address_included") == "yes",
            "address_reason": data.get("address_reason", ""),
        }


def _party_label(party: Party) -> str:
    return f"{party.display_name}, {party.display_organisation} ({party.get_kind_display()})"
