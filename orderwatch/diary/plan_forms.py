"""The form where the lead chooses their part of the safety plan to show in the diary."""

from django import forms

from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_field
from orderwatch.diary.plan_selectors import PlanChoices
from orderwatch.diary.services.sharing import PLAN_NOTHING_CHOSEN

NOT_ON_THE_PLAN = "Select only what is on this case's safety plan"


class DiaryPlanShareForm(forms.Form):
    """Not a create form (it replaces what the diary shows), so it carries no one-time key:
    sending it twice shows the same thing."""

    actions = forms.MultipleChoiceField(
        label="Actions",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_ON_THE_PLAN},
    )
    measures = forms.MultipleChoiceField(
        label="Practical measures",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_ON_THE_PLAN},
    )
    review_on = date_field(
        "Date it will be looked at again with them",
        help_text="When you will next go through the plan with them",
        allowed=Allowed.TODAY_OR_FUTURE,
    )

    def __init__(self, *args, choices: PlanChoices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = [(str(a.pk), a.what) for a in choices.actions]
        self.fields["measures"].choices = [(str(m.pk), m.details) for m in choices.measures]
        self.fields["actions"].initial = choices.shown_actions
        self.fields["measures"].initial = choices.shown_measures
        if choices.shown is not None:
            self.fields["review_on"].initial = choices.shown.review_on
        # "Nothing chosen" goes beside the first list there is.
        self.nothing_chosen_field = "actions" if choices.actions else "measures"

    def clean(self):
        cleaned = super().clean()
        chose = cleaned.get("actions") or cleaned.get("measures")
        if not chose and not self.has_error("actions") and not self.has_error("measures"):
            self.add_error(self.nothing_chosen_field, PLAN_NOTHING_CHOSEN)
        return cleaned
