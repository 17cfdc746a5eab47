"""Forms for finding a case to hold, placing a hold and lifting one, and choosing a batch of
cases to dispose of."""

from django import forms

from orderwatch.core.govuk_dates import day_label
from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.retention.models import LegalHold
from orderwatch.retention.services.disposal import NOTHING_SELECTED
from orderwatch.retention.services.holds import REASON_MAX


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


NOT_LISTED = "Select cases from the list: a case no longer listed is no longer due"


class DisposalSelectForm(forms.Form):
    """Which of the cases due for disposal go in this batch (ADR 0041)."""

    cases = forms.MultipleChoiceField(
        label="Which cases' records should be disposed of?",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select every case to dispose of now. Cases under legal hold are not listed.",
        error_messages={"required": NOTHING_SELECTED, "invalid_choice": NOT_LISTED},
    )
    proceedings = forms.MultipleChoiceField(
        label="Are proceedings still possible?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": NOT_LISTED},
        help_text="These cases held evidence or breaches. Dispose of one only once you have "
        "checked that no criminal or civil proceedings are possible any more.",
    )

    def __init__(self, data=None, *, due: list, **kwargs):
        super().__init__(data, **kwargs)
        self.due = {str(row.case_id): row for row in due}
        self.fields["cases"].choices = [
            (key, f"{row.reference}: closed {day_label(row.closed_on)}, {row.retention_class}")
            for key, row in self.due.items()
        ]
        self.fields["proceedings"].choices = [
            (key, f"No proceedings are possible any more for {row.reference}")
            for key, row in self.due.items()
            if row.confirm_before_disposal
        ]

    def clean(self):
        cleaned = super().clean()
        checked = set(cleaned.get("proceedings", []))
        for key in cleaned.get("cases", []):
            if self.due[key].confirm_before_disposal and key not in checked:
                self.add_error(
                    "proceedings",
                    f"Confirm that no proceedings are possible for case "
                    f"{self.due[key].reference}, or leave it out",
                )
        return cleaned

    def chosen(self) -> list:
        """Return the due rows selected, in the order listed."""
        picked = set(self.cleaned_data["cases"])
        return [row for key, row in self.due.items() if key in picked]


class DisposalConfirmForm(OnceOnlyForm, DisposalSelectForm):
    """The batch again, as the check page posts it, with its one-time key."""
