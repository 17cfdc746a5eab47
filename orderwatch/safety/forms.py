from django import forms

from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_field as _date
from orderwatch.core.govuk_dates import day_label
from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.safety.models import RiskAssessment, SafetyAgreement, SafetyMeasure, SafetyReview
from orderwatch.tasks.models import Task


class SafetyActionForm(OnceOnlyForm):
    what = forms.CharField(
        label="What will be done?",
        help_text="For example, ask the school to check who may collect the children",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what will be done"},
    )
    who = forms.CharField(
        label="Who will do it?",
        max_length=200,
        help_text="A person or an agency",
        error_messages={
            "required": "Enter who will do it",
            "max_length": "Who will do it must be 200 characters or fewer",
        },
    )
    due_on = _date(
        "Date it should be done by",
        required=False,
        help_text="If there is one",
        allowed=Allowed.TODAY_OR_FUTURE,
    )


class SafetyMeasureForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="What kind of measure is it?",
        choices=SafetyMeasure.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of measure it is"},
    )
    details = forms.CharField(
        label="Describe the measure",
        help_text="For example, new locks on the front and back doors. Do not write the "
        "address here.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter what the measure is and where"},
    )
    status = forms.ChoiceField(
        label="Is it in place yet?",
        choices=SafetyMeasure.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is planned or in place"},
    )


class SafetyAgreementForm(OnceOnlyForm):
    kind = forms.ChoiceField(
        label="What kind of agreement is it?",
        choices=SafetyAgreement.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether it is a written agreement or a statement of expectations"
        },
    )
    made_with = forms.CharField(
        label="Who is it with?",
        max_length=200,
        help_text="For example, the parents, with Early Help or children's social care",
        error_messages={
            "required": "Enter who the agreement is with",
            "max_length": "Who it is with must be 200 characters or fewer",
        },
    )
    agreed_on = _date("Date it was agreed")
    says = forms.CharField(
        label="What does it say?",
        help_text="In brief: what each person has agreed to do or not to do. Do not write the "
        "address here.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the agreement says"},
    )
    review_on = _date(
        "Date it will be reviewed", required=False, help_text="If a review date was set"
    )


class SafetyReviewForm(OnceOnlyForm):
    tasks = forms.MultipleChoiceField(
        label="Which reviews does this answer?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Each review you select is marked as done.",
        error_messages={"invalid_choice": "Select reviews that are still open on this case"},
    )
    agreements_still_right = forms.ChoiceField(
        label="Are the written agreements or statements of expectations still right?",
        help_text="Any agreed with the family, for example through Early Help or children's "
        "social care.",
        choices=SafetyReview.AgreementsAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the written agreements or statements of expectations "
            "are still right"
        },
    )
    what_changed = forms.CharField(
        label="What changed in the plan?",
        help_text="If nothing needed to change, say so and why.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what changed in the plan, or that nothing needed to"},
    )

    def __init__(self, *args, open_reviews, **kwargs):
        super().__init__(*args, **kwargs)
        reviews = list(open_reviews)
        if not reviews:
            del self.fields["tasks"]
            return
        self.fields["tasks"].choices = [(str(task.pk), _review_label(task)) for task in reviews]
        if len(reviews) == 1:
            self.fields["tasks"].initial = [str(reviews[0].pk)]


def _review_label(task: Task) -> str:
    said = [reason.get_origin_display() for reason in task.reasons.all()]
    said = said or [task.get_origin_display()]
    reasons = "; ".join([said[0], *(words[0].lower() + words[1:] for words in said[1:])])
    return f"{reasons} – due {day_label(task.due_on)}"


class RiskLevelForm(OnceOnlyForm):
    level = forms.ChoiceField(
        label="What is the risk level now?",
        choices=RiskAssessment.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk level"},
    )
    reason = forms.CharField(
        label="Why is this the risk level now?",
        help_text="For example, what has happened since it was last set, and who you spoke to",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why this is the risk level now"},
    )
