"""The breach form, in the order practitioners are asked: report, record, consider.

The form checks each answer's type; whether the account is complete and consistent is the
service's job (`answers.problems`), so the same rules hold for every way in.
"""

from dataclasses import dataclass

from django import forms

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.breaches.models import Behaviour, Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.selectors import OrderToPickFrom
from orderwatch.breaches.services import BreachAccount
from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_and_time_field, date_field, time_field
from orderwatch.core.submissions import OnceOnlyForm
from orderwatch.orders.models import Condition

YES_NO = [("yes", "Yes"), ("no", "No")]
PRECISION_CHOICES = [
    (Precision.EXACT, "At a known time"),
    (Precision.APPROXIMATE, "At about a time (approximate)"),
    (Precision.DATE, "On a known day, time not known"),
    (Precision.RANGE, "Some time between two dates"),
]


def _text(label: str, *, required: bool = False, help_text: str = "", rows: int = 3, **kw):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


def _radios(label: str, choices, message: str, help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": message, "invalid_choice": message},
    )


def _known(label: str, message: str, help_text: str = "") -> forms.ChoiceField:
    return _radios(label, Known.choices, message, help_text)


def _yes(value: str) -> bool:
    return value == "yes"


@dataclass(frozen=True)
class ConditionRow:
    """One condition the user may pick, with its "how" box, grouped under its order."""

    order: OrderToPickFrom
    condition: Condition
    option: forms.BoundField
    how: forms.BoundField


class BreachForm(OnceOnlyForm):
    # Report
    police_reported = _radios(
        "Has it been reported to the police?",
        YES_NO,
        "Select whether it has been reported to the police",
    )
    police_reported_on = date_field(
        "Date it was reported to the police", required=False, allowed=Allowed.TODAY_OR_PAST
    )
    police_method = forms.ChoiceField(
        label="How was it reported?",
        choices=Breach.PoliceMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    police_reference = forms.CharField(
        label="Police reference", max_length=100, required=False, help_text="If reported"
    )
    police_officer = forms.CharField(
        label="Officer dealing with it", max_length=200, required=False, help_text="If reported"
    )
    police_officer_not_known = forms.BooleanField(
        label="The officer is not known yet", required=False
    )
    not_reported_reason = _text(
        "If it has not been reported to the police, why not?",
        help_text="For example, the victim-survivor is not ready to. The breach stays flagged "
        "until it is reported or a decision not to is recorded.",
    )
    respondent_supervised = _known(
        "Is the respondent supervised by probation?",
        "Select whether the respondent is supervised by probation",
        help_text="If so, probation should be told about the breach.",
    )
    probation_informed_on = date_field(
        "Date probation was told",
        required=False,
        help_text="If they have been told",
        allowed=Allowed.TODAY_OR_PAST,
    )
    other_agencies = _known(
        "Have other agencies been told?", "Select whether other agencies have been told"
    )
    other_agencies_details = _text("Which agencies, and when?", rows=2)

    # Record
    reported_to_practitioner_at = date_and_time_field(
        "When was it reported to you?", what="it was reported to you"
    )
    reported_by = _radios(
        "Who reported it to you?", Breach.ReportedBy.choices, "Select who reported it to you"
    )
    reported_by_details = forms.CharField(
        label="Their role or organisation (optional)",
        max_length=200,
        required=False,
        help_text="For example, the school's safeguarding lead. Do not write a witness's name "
        "here: it goes in the witness questions below, which are kept confidential.",
    )
    happened_precision = _radios(
        "How precisely is it known when it happened?",
        PRECISION_CHOICES,
        "Select how precisely it is known when it happened",
        help_text="Approximate times are normal. Record what is known.",
    )
    happened_on = date_field(
        "Date it happened",
        help_text="For a range of dates, the first date it could have been",
        allowed=Allowed.TODAY_OR_PAST,
    )
    happened_at_time = time_field(
        "Time it happened", required=False, help_text="If known, even roughly"
    )
    happened_until = date_field(
        "Last date it could have happened",
        required=False,
        help_text="For a range of dates only",
        allowed=Allowed.TODAY_OR_PAST,
    )
    location = _radios("Where did it happen?", Breach.Location.choices, "Select where it happened")
    location_details = _text(
        "More about where (optional)",
        rows=2,
        help_text="Do not write the protected address here.",
    )
    what_happened = _text(
        "What happened?",
        required=True,
        rows=6,
        help_text="In as much detail as is known, in the words used where possible.",
        error_messages={"required": "Enter what happened, in as much detail as you have"},
    )
    behaviours = forms.MultipleChoiceField(
        label="What kind of behaviour was it?",
        choices=Behaviour.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select the kind of behaviour"},
    )
    severity = forms.TypedChoiceField(
        label="How serious was it?",
        choices=Breach.Severity.choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text="Your professional judgement. It helps show whether things are escalating.",
        error_messages={"required": "Select how serious it was"},
    )

    # Consider
    others_present = _known("Was anyone else there?", "Select whether anyone else was there")
    others_present_details = _text("Who else was there?", rows=2)
    witnesses = _known("Were there any witnesses?", "Select whether there were any witnesses")
    witness_details = _text(
        "Witnesses' names and how to contact them",
        rows=3,
        help_text="Kept confidential: encrypted, and shown only to people who give a reason.",
    )
    conditions = forms.MultipleChoiceField(
        label="Which conditions did it breach?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select conditions from the orders on this case"},
    )
    matches_no_condition = forms.BooleanField(
        label="It does not match any condition of an order in force",
        required=False,
        help_text="It may still be an offence, such as harassment or stalking.",
    )
    actions = forms.MultipleChoiceField(
        label="What was done as a result?",
        choices=Breach.Action.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
        error_messages={"required": "Select what was done as a result, or nothing yet"},
    )
    action_details = _text("More about what was done (optional)", rows=2)

    REPORT = (
        "police_reported",
        "police_reported_on",
        "police_method",
        "police_reference",
        "police_officer",
        "police_officer_not_known",
        "not_reported_reason",
        "respondent_supervised",
        "probation_informed_on",
        "other_agencies",
        "other_agencies_details",
    )
    RECORD = (
        "reported_to_practitioner_at",
        "reported_by",
        "reported_by_details",
        "happened_precision",
        "happened_on",
        "happened_at_time",
        "happened_until",
        "location",
        "location_details",
        "what_happened",
        "behaviours",
        "severity",
    )
    CONSIDER_PEOPLE = ("others_present", "others_present_details", "witnesses", "witness_details")
    CONSIDER_ACTIONS = ("actions", "action_details")

    def __init__(self, *args, orders: list[OrderToPickFrom], **kwargs):
        super().__init__(*args, **kwargs)
        self.orders = orders
        self.fields["conditions"].choices = [
            (str(c.pk), c.wording) for o in orders for c in o.conditions
        ]
        for order in orders:
            for condition in order.conditions:
                self.fields[f"how_{condition.pk}"] = forms.CharField(
                    label=f"How did the conduct breach it ({condition.get_kind_display()})?",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def clean(self):
        cleaned = super().clean()
        if not self.fields["conditions"].choices:
            # With no conditions recorded on any order, "matches none" is simply true.
            cleaned["matches_no_condition"] = True
        return cleaned

    def section(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    def report_fields(self):
        return self.section(self.REPORT)

    def record_fields(self):
        return self.section(self.RECORD)

    def people_fields(self):
        return self.section(self.CONSIDER_PEOPLE)

    def action_fields(self):
        return self.section(self.CONSIDER_ACTIONS)

    def condition_rows(self) -> list[ConditionRow]:
        """Return each condition with its checkbox and "how" box, in the orders' order."""
        options = {option.data["value"]: option for option in self["conditions"]}
        return [
            ConditionRow(order, c, options[str(c.pk)], self[f"how_{c.pk}"])
            for order in self.orders
            for c in order.conditions
        ]

    def account(self) -> BreachAccount:
        """Return the answers as the account the service checks and records."""
        data = self.cleaned_data
        occurrence = Occurrence(
            Precision(data["happened_precision"]),
            data["happened_on"],
            data.get("happened_at_time"),
            data.get("happened_until"),
        )
        return BreachAccount(
            reported_to_practitioner_at=data["reported_to_practitioner_at"],
            reported_by=data["reported_by"],
            reported_by_details=data["reported_by_details"],
            occurrence=occurrence,
            location=data["location"],
            location_details=data["location_details"],
            what_happened=data["what_happened"],
            behaviours=data["behaviours"],
            severity=data["severity"],
            police_reported=_yes(data["police_reported"]),
            police_reported_on=data.get("police_reported_on"),
            police_method=data["police_method"],
            police_reference=data["police_reference"],
            police_officer=data["police_officer"],
            police_officer_not_known=data["police_officer_not_known"],
            not_reported_reason=data["not_reported_reason"],
            respondent_supervised=data["respondent_supervised"],
            probation_informed_on=data.get("probation_informed_on"),
            other_agencies=data["other_agencies"],
            other_agencies_details=data["other_agencies_details"],
            others_present=data["others_present"],
            others_present_details=data["others_present_details"],
            witnesses=data["witnesses"],
            witness_details=data["witness_details"],
            actions=data["actions"],
            action_details=data["action_details"],
            breached={cid: data.get(f"how_{cid}", "") for cid in data["conditions"]},
            matches_no_condition=data["matches_no_condition"],
        )


class PoliceReportForm(forms.Form):
    """Resolve a breach not yet reported: it has been now, or why it will not be."""

    now_reported = _radios(
        "Has it now been reported to the police?",
        YES_NO,
        "Select whether it has now been reported to the police",
    )
    police_reported_on = date_field(
        "Date it was reported to the police", required=False, allowed=Allowed.TODAY_OR_PAST
    )
    police_method = forms.ChoiceField(
        label="How was it reported?",
        choices=Breach.PoliceMethod.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    police_reference = forms.CharField(label="Police reference", max_length=100, required=False)
    police_officer = forms.CharField(
        label="Officer dealing with it", max_length=200, required=False
    )
    police_officer_not_known = forms.BooleanField(
        label="The officer is not known yet", required=False
    )
    resolution = _text(
        "If it will not be reported, why not?",
        help_text="For example, the victim-survivor has decided not to, after talking it "
        "through. Record who agreed this.",
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "now_reported": _yes(data["now_reported"]),
            "reported_on": data.get("police_reported_on"),
            "method": data["police_method"],
            "reference": data["police_reference"],
            "officer": data["police_officer"],
            "officer_not_known": data["police_officer_not_known"],
            "resolution": data["resolution"],
        }


class WitnessRevealForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need the witness details?",
        help_text="For example, to pass them to the officer in the case. This is recorded "
        "with your name.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        error_messages={"required": "Enter why you need the witness details"},
    )
    code = AuthenticatorCodeField(help_text="Enter a new code, even if you entered one to sign in.")
