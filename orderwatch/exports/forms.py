from django import forms

from orderwatch.accounts.forms import AuthenticatorCodeField


class CaseRecordForm(forms.Form):
    """What goes into the case record. A confidential part is offered only to those allowed it,
    and choosing one asks for a reason and a fresh code."""

    formats = forms.MultipleChoiceField(
        label="Which formats do you need?",
        choices=[
            ("pdf", "PDF, to read or to give to the person who asked"),
            ("json", "JSON, for another area's case system"),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select the formats you need"},
    )
    include_address = forms.BooleanField(
        label="Include the protected address",
        required=False,
        help_text="Only if everyone who will see the record may know where the victim-survivor "
        "lives. This also includes earlier addresses and places named in orders.",
    )
    include_witnesses = forms.BooleanField(
        label="Include witness details",
        required=False,
        help_text="Witnesses' names and contact details, from every breach.",
    )
    reason = forms.CharField(
        label="Why does the record need these details?",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    code = AuthenticatorCodeField(required=False)

    def __init__(self, *args, can_include_address: bool, can_include_witnesses: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_include_address:
            del self.fields["include_address"]
        if not can_include_witnesses:
            del self.fields["include_witnesses"]
        if not (can_include_address or can_include_witnesses):
            del self.fields["reason"], self.fields["code"]

    @property
    def offers_confidential(self) -> bool:
        return "code" in self.fields

    def includes_any(self) -> bool:
        data = self.cleaned_data
        return bool(data.get("include_address") or data.get("include_witnesses"))

    def clean(self):
        cleaned = super().clean()
        if self.offers_confidential and self.includes_any():
            if not cleaned.get("reason", "").strip():
                self.add_error("reason", "Enter why the record needs these details")
            if not cleaned.get("code", "").strip():
                self.add_error("code", "Enter the 6-digit code from your authenticator app")
        return cleaned
