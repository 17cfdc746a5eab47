"""The expiry decision form. Whether the decision fits the order is the service's job."""

from django import forms

from orderwatch.orders.models import OrderType
from orderwatch.reminders.models import ExpiryDecision


class ExpiryDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="What will happen as the order ends?",
        choices=ExpiryDecision.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select what will happen as the order ends",
            "invalid_choice": "Select what will happen as the order ends",
        },
    )
    alternative = forms.ChoiceField(
        label="If seeking an alternative order, which one?",
        help_text="The options for this order type, from the order catalogue.",
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": "Select which order to seek, from the options for this order"
        },
    )
    reason = forms.CharField(
        label="Why is this the right next step?",
        help_text="For example, what the victim-survivor wants and what the risk is now.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this is the right next step"},
    )

    def __init__(self, *args, alternatives: list[OrderType], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alternative"].choices = [(t.code, t.name) for t in alternatives]

    def service_arguments(self) -> dict:
        return {
            "decision": self.cleaned_data["decision"],
            "alternative_code": self.cleaned_data["alternative"],
            "reason": self.cleaned_data["reason"],
        }
