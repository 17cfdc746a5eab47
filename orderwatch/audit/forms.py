from django import forms

from orderwatch.audit.models import Verb
from orderwatch.core.forms import date_field


class AuditFilterForm(forms.Form):
    """Filters for the audit log; every field is optional."""

    verb = forms.ChoiceField(label="What happened", required=False)
    actor = forms.ModelChoiceField(label="Who", queryset=None, required=False, empty_label="Anyone")
    case_reference = forms.CharField(
        label="Case reference", required=False, max_length=32, help_text="For example, OW-7K3M9Q"
    )
    occurred_from = date_field("From", required=False, name="Date from")
    occurred_to = date_field("To", required=False, name="Date to")

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["verb"].choices = [("", "Anything"), *Verb.choices]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("occurred_from"), cleaned.get("occurred_to")
        if start and end and end < start:
            self.add_error(
                "occurred_to", "The 'to' date must be the same as or after the 'from' date"
            )
        return cleaned
