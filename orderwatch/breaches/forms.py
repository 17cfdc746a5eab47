"""The breach form, in the order practitioners are asked: report, record, consider.

`BreachForm` defines every question once; each question page's form (`QuestionForm`) takes
its fields from it, and `BreachForm` checks the whole draft again before the one save.

The forms check each answer's type, and a page what its own answers can tell (with the
messages in `answers`); whether the whole account is complete and consistent is the service's
job (`answers.problems`), so the same rules hold for every way in.
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.http import QueryDict
from django.utils import timezone

from orderwatch.accounts.forms import AuthenticatorCodeField
from orderwatch.breaches import answers
from orderwatch.breaches.models import Behaviour, Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.selectors import OrderToPickFrom
from orderwatch.breaches.services import BreachAccount
from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_and_time_field, date_field, time_field
from orderwatch.core.govuk_dates import day_label, time_label
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

    def __init__(self, *args, orders: list[OrderToPickFrom], **kwargs):
        super().__init__(*args, **kwargs)
        _add_conditions(self, orders)

    def clean(self):
        cleaned = super().clean()
        if not self.fields["conditions"].choices:
            # With no conditions recorded on any order, "matches none" is simply true.
            cleaned["matches_no_condition"] = True
        return cleaned

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


def _add_conditions(form: forms.Form, orders: list[OrderToPickFrom]) -> None:
    """Offer the case's conditions, each with a box for how the conduct breached it."""
    form.orders = orders
    form.fields["conditions"].choices = [
        (str(c.pk), c.wording) for o in orders for c in o.conditions
    ]
    for order in orders:
        for condition in order.conditions:
            form.fields[f"how_{condition.pk}"] = forms.CharField(
                label=f"How did the conduct breach it ({condition.get_kind_display()})?",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )


def _shown(value) -> str:
    """Return an answer as Check your answers shows it."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value)
        return f"{day_label(moment.date())} at {time_label(moment.time())}"
    if isinstance(value, dt.date):
        return day_label(value)
    if isinstance(value, dt.time):
        return time_label(value)
    return str(value)


class QuestionForm(forms.Form):
    """One question page of the breach form: some of `BreachForm`'s fields (taken from it, so
    they are asked and checked alike), and the checks that need only this page's answers.

    `heading` names the question that is the page's heading. A follow-up ("Who else was
    there?") is a page of its own, asked only after the answer that needs it: GOV.UK's
    conditional reveal sets `aria-expanded` on a radio, which WCAG checks refuse (ADR 0028).
    """

    heading: str = ""
    title: str = ""
    # Free-text answers this page must have (each one's message): the page is asked only
    # when an earlier answer needs them.
    needed: dict[str, str] = {}

    def __init__(self, *args, draft: QueryDict, orders: list[OrderToPickFrom], **kwargs):
        super().__init__(*args, **kwargs)
        self.draft = draft  # every answer so far, as typed

    def page_title(self) -> str:
        return self.title or self.fields[self.heading].label

    def heading_field(self) -> forms.BoundField:
        return self[self.heading]

    def others(self) -> list[forms.BoundField]:
        """Return the page's questions other than its heading."""
        return [field for field in self if field.name != self.heading]

    def clean(self):
        cleaned = super().clean()
        for name, message in self.needed.items():
            if not cleaned.get(name, "").strip():
                self.add_error(name, message)
        return cleaned

    def summary(self) -> list[tuple[str, str]]:
        """Return each answer on the page, as a question and its answer in words."""
        rows = []
        for name in self.fields:
            field, value = self.fields[name], self.cleaned_data.get(name)
            label = field.label.removesuffix(" (optional)")
            choices = {str(key): text for key, text in getattr(field, "choices", [])}
            if value in (None, "", []):
                rows.append((label, "Not given"))
            elif isinstance(value, list):
                rows.append((label, "\n".join(choices.get(str(v), v) for v in value)))
            elif choices and not isinstance(value, bool):
                rows.append((label, choices.get(str(value), str(value))))
            else:
                rows.append((label, _shown(value)))
        return rows


def _question(base: type[QuestionForm], *names: str, **attrs) -> type[QuestionForm]:
    """Return a question page's form with `names` from `BreachForm`."""
    fields = {name: BreachForm.base_fields[name] for name in names}
    return type(base)(f"{names[0].title().replace('_', '')}Question", (base,), fields | attrs)


class _PoliceReport(QuestionForm):
    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for name, message in answers.police_report_problems(
                reported_on=cleaned.get("police_reported_on"),
                method=cleaned["police_method"],
                reference=cleaned["police_reference"],
                officer=cleaned["police_officer"],
                officer_not_known=cleaned["police_officer_not_known"],
                happened_on=None,  # compared on Check your answers, once it is known
                today=timezone.localdate(),
            ).items():
                self.add_error(name, message)
        return cleaned


class _ProbationTold(QuestionForm):
    title = "When was probation told?"

    def clean(self):
        cleaned = super().clean()
        told = cleaned.get("probation_informed_on")
        if told is not None and told > timezone.localdate():
            self.add_error("probation_informed_on", answers.PROBATION_TOLD_IN_FUTURE)
        return cleaned


class _WhenItHappened(QuestionForm):
    """The date, with the time or the last date only when the precision asks for them."""

    title = "When did it happen?"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        precision = self.draft.get("happened_precision", "")
        self.precision = precision if precision in set(Precision) else Precision.DATE
        if self.precision not in answers.TIMED:
            del self.fields["happened_at_time"]
        if self.precision != Precision.RANGE:
            del self.fields["happened_until"]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            occurrence = Occurrence(
                Precision(self.precision),
                cleaned["happened_on"],
                cleaned.get("happened_at_time"),
                cleaned.get("happened_until"),
            )
            for name, message in answers.occurrence_problems(
                occurrence, timezone.localtime()
            ).items():
                self.add_error(name, message)
        return cleaned


class _Where(QuestionForm):
    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("location") == Breach.Location.OTHER
            and not cleaned["location_details"].strip()
        ):
            self.add_error("location_details", answers.PLACE_NEEDED)
        return cleaned


class _Actions(QuestionForm):
    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for name, message in answers.action_problems(
                cleaned["actions"], cleaned["action_details"]
            ).items():
                self.add_error(name, message)
        return cleaned


class ConditionsQuestion(QuestionForm):
    """Which conditions it breached, and how; or that it matches none of them."""

    heading = "conditions"
    conditions = BreachForm.base_fields["conditions"]
    matches_no_condition = BreachForm.base_fields["matches_no_condition"]

    def __init__(self, *args, orders: list[OrderToPickFrom], **kwargs):
        super().__init__(*args, orders=orders, **kwargs)
        _add_conditions(self, orders)

    def others(self) -> list[forms.BoundField]:
        return []  # the condition picker shows "matches none" below the conditions

    def clean(self):
        cleaned = super().clean()
        if "conditions" in cleaned:
            breached = {cid: cleaned.get(f"how_{cid}", "") for cid in cleaned["conditions"]}
            for name, message in answers.conditions_picked_problems(
                breached, matches_no_condition=cleaned["matches_no_condition"]
            ).items():
                self.add_error(name, message)
        return cleaned

    def condition_rows(self) -> list[ConditionRow]:
        """Return each condition with its checkbox and "how" box, in the orders' order."""
        options = {option.data["value"]: option for option in self["conditions"]}
        return [
            ConditionRow(order, c, options[str(c.pk)], self[f"how_{c.pk}"])
            for order in self.orders
            for c in order.conditions
        ]

    def summary(self) -> list[tuple[str, str]]:
        if self.cleaned_data["matches_no_condition"]:
            return [(self.fields["conditions"].label, self.fields["matches_no_condition"].label)]
        picked = set(self.cleaned_data["conditions"])
        return [
            (
                f"{c.get_kind_display()}: “{c.wording}”",
                self.cleaned_data[f"how_{c.pk}"],
            )
            for order in self.orders
            for c in order.conditions
            if str(c.pk) in picked
        ]


def _details(name: str) -> dict[str, str]:
    return {name: answers.DETAILS_WHEN_GIVEN[name][1]}


PoliceReportedQuestion = _question(QuestionForm, "police_reported", heading="police_reported")
NotReportedQuestion = _question(
    QuestionForm,
    "not_reported_reason",
    heading="not_reported_reason",
    needed={"not_reported_reason": answers.NOT_REPORTED},
)
PoliceReportQuestion = _question(
    _PoliceReport,
    "police_reported_on",
    "police_method",
    "police_reference",
    "police_officer",
    "police_officer_not_known",
    title="The police report",
)
ProbationQuestion = _question(
    QuestionForm, "respondent_supervised", heading="respondent_supervised"
)
ProbationToldQuestion = _question(_ProbationTold, "probation_informed_on")
OtherAgenciesQuestion = _question(QuestionForm, "other_agencies", heading="other_agencies")
OtherAgenciesDetailsQuestion = _question(
    QuestionForm,
    "other_agencies_details",
    heading="other_agencies_details",
    needed=_details("other_agencies_details"),
)
ReportedToYouQuestion = _question(
    QuestionForm,
    "reported_to_practitioner_at",
    "reported_by",
    "reported_by_details",
    title="How it was reported to you",
)
PrecisionQuestion = _question(QuestionForm, "happened_precision", heading="happened_precision")
WhenQuestion = _question(_WhenItHappened, "happened_on", "happened_at_time", "happened_until")
WhereQuestion = _question(_Where, "location", "location_details", heading="location")
WhatHappenedQuestion = _question(QuestionForm, "what_happened", heading="what_happened")
BehaviourQuestion = _question(QuestionForm, "behaviours", heading="behaviours")
SeverityQuestion = _question(QuestionForm, "severity", heading="severity")
OthersPresentQuestion = _question(QuestionForm, "others_present", heading="others_present")
OthersPresentDetailsQuestion = _question(
    QuestionForm,
    "others_present_details",
    heading="others_present_details",
    needed=_details("others_present_details"),
)
WitnessesQuestion = _question(QuestionForm, "witnesses", heading="witnesses")
WitnessDetailsQuestion = _question(
    QuestionForm,
    "witness_details",
    heading="witness_details",
    needed=_details("witness_details"),
)
ActionsQuestion = _question(_Actions, "actions", "action_details", heading="actions")


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
