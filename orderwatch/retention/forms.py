"""Forms for finding a case to hold, placing a hold and lifting one."""

from django import forms

from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.retention.models import LegalHold
from orderwatch.retention.services import REASON_MAX


class CaseReferenceForm(forms.Form):
    reference = forms.CharField(
        label="Case reference",
        max_length=16,
        help_text="For example, OW-7K3M9Q",
        error_messages={"required": "Enter the case reference"},
    )


class LegalHoldPlaceForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="Why must this case's records be kept?",
        choices=LegalHold.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the records must be kept"},
    )
    other_reason = forms.CharField(
        label="If another reason, what is it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        required=False,
        help_text="Say what the records are needed for, not details about the people.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == LegalHold.Kind.OTHER and not cleaned.get("other_reason", ""):
            self.add_error("other_reason", "Enter why the records must be kept")
        return cleaned


class LegalHoldLiftForm(forms.Form):
    reason = forms.CharField(
        label="Why is the hold no longer needed?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=REASON_MAX,
        help_text="For example, the proceedings have ended. This is kept on the record with "
        "your name.",
        error_messages={"required": "Enter why the hold is no longer needed"},
    )
