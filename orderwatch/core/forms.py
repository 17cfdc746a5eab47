"""Form pieces every app shares: GOV.UK date and time inputs, and service errors shown on forms.

A date is asked for with the GOV.UK date input (Day, Month and Year boxes named
`<field>-day`, `<field>-month`, `<field>-year`), never the browser's date picker; a time is
a text box that takes "9:30am" or "21:30". What is typed is read by
`orderwatch.core.date_input`, and comes back as typed when the form has errors.
`core/includes/field.html` renders them (ADR 0027).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy

from orderwatch.core.date_input import (
    DATE_PARTS,
    TIME,
    Allowed,
    DateProblem,
    Kind,
    check_side_of_today,
    date_message,
    read_date,
    read_time,
    time_message,
)
from orderwatch.core.govuk_dates import time_label

DATE_EXAMPLE = "27 3 2026"
BIRTH_DATE_EXAMPLE = "31 3 1980"
TIME_EXAMPLE = "9:30am or 21:30"


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's validation error beside the matching field, or at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


def posted(request):
    """Return the submitted data on a POST and None otherwise, so a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def _problem(message: str, problem: DateProblem) -> ValidationError:
    # The boxes travel with the error, so only they are shown in error (govuk_date_boxes).
    return ValidationError(message, code=problem.kind, params={"parts": problem.parts})


class DayMonthYearInput(forms.MultiWidget):
    """The boxes of a GOV.UK date input, posted as `<name>-day`, `<name>-month`, `<name>-year`."""

    parts = DATE_PARTS

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput for _ in self.parts], attrs)
        self.widgets_names = [f"-{part}" for part in self.parts]

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None] * len(self.parts)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, subwidget in zip(self.parts, context["widget"]["subwidgets"], strict=True):
            if subwidget["attrs"].get("id"):
                subwidget["attrs"]["id"] = f"{context['widget']['attrs']['id']}-{part}"
        return context


class DayMonthYearTimeInput(DayMonthYearInput):
    """A GOV.UK date input followed by a time box, posted as `<name>-time`."""

    parts = (*DATE_PARTS, TIME)

    def decompress(self, value):
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value)
            return [*super().decompress(local.date()), time_label(local.time())]
        return [None] * len(self.parts)


class TimeOfDayInput(forms.TextInput):
    """A text box for a time, shown back in GOV.UK style ("9:30pm") when it holds one."""

    def format_value(self, value):
        return time_label(value) if isinstance(value, dt.time) else super().format_value(value)


class DateInputField(forms.Field):
    """A date asked with the GOV.UK date input, with GOV.UK's messages for `name`.

    `name` is what the date is, as the messages say it ("Date the order was made"); `allowed`
    says which side of today (in UK time) it must be on, where the meaning requires it.
    """

    widget = DayMonthYearInput

    def __init__(self, *, name: str, allowed: Allowed | None = None, **kwargs):
        super().__init__(**kwargs)
        self.name = name
        self.allowed = allowed

    def to_python(self, value) -> dt.date | None:
        if isinstance(value, dt.date):
            return value
        try:
            return read_date(*(value or [None] * 3))
        except DateProblem as problem:
            raise _problem(date_message(problem, self.name), problem) from None

    def validate(self, value: dt.date | None) -> None:
        if value is None:
            if self.required:
                missing = DateProblem(Kind.MISSING, DATE_PARTS)
                raise _problem(date_message(missing, self.name), missing)
            return
        try:
            check_side_of_today(value, self.allowed, timezone.localdate())
        except DateProblem as problem:
            raise _problem(date_message(problem, self.name, self.allowed), problem) from None


class DateAndTimeField(forms.Field):
    """A moment asked as a GOV.UK date input and a time box, read in UK time.

    `what` says what happened at that moment ("it was reported to you"); each half has its
    own messages: "Enter the date it was reported to you", "Time it was reported to you
    must be a real time, like 9:30am or 21:30".
    """

    widget = DayMonthYearTimeInput

    def __init__(self, *, what: str, allowed: Allowed | None = None, **kwargs):
        super().__init__(**kwargs)
        self.what = what
        self.date_name = f"Date {what}"
        self.time_name = f"Time {what}"
        self.allowed = allowed

    def to_python(self, value) -> dt.datetime | None:
        if isinstance(value, dt.datetime):
            return value
        day, month, year, typed_time = value or [None] * 4
        date = self._date(day, month, year)
        try:
            time = read_time(typed_time)
        except DateProblem as problem:
            raise _problem(time_message(problem, self.time_name), problem) from None
        if date is None and time is None:
            return None
        if date is None:
            missing = DateProblem(Kind.MISSING, DATE_PARTS)
            raise _problem(date_message(missing, self.date_name), missing)
        if time is None:
            missing = DateProblem(Kind.MISSING, (TIME,))
            raise _problem(time_message(missing, self.time_name), missing)
        return timezone.make_aware(dt.datetime.combine(date, time))

    def validate(self, value: dt.datetime | None) -> None:
        if value is None and self.required:
            raise ValidationError(
                f"Enter the date and time {self.what}",
                code=Kind.MISSING,
                params={"parts": (*DATE_PARTS, TIME)},
            )

    def _date(self, day, month, year) -> dt.date | None:
        try:
            date = read_date(day, month, year)
            if date is not None:
                check_side_of_today(date, self.allowed, timezone.localdate())
        except DateProblem as problem:
            raise _problem(date_message(problem, self.date_name, self.allowed), problem) from None
        return date


class TimeOfDayField(forms.Field):
    """A time typed as people write it ("9:30am", "9.30pm", "21:30", "midday")."""

    widget = TimeOfDayInput

    def __init__(self, *, name: str, **kwargs):
        super().__init__(**kwargs)
        self.name = name

    def to_python(self, value) -> dt.time | None:
        if isinstance(value, dt.time):
            return value
        try:
            return read_time(value)
        except DateProblem as problem:
            raise _problem(time_message(problem, self.name), problem) from None

    def validate(self, value: dt.time | None) -> None:
        if value is None and self.required:
            missing = DateProblem(Kind.MISSING, (TIME,))
            raise _problem(time_message(missing, self.name), missing)


def _hint(help_text: str, example: str) -> str:
    example = f"For example, {example}"
    return f"{help_text.rstrip('.')}. {example}" if help_text else example


def date_field(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    allowed: Allowed | None = None,
    example: str | None = None,
    name: str | None = None,
) -> DateInputField:
    """Return a GOV.UK date input; its legend is `label`, its messages name `name` (or `label`).

    The hint ends with an example date ("For example, 27 3 2026"), one the question allows.
    """
    if example:
        hint = _hint(help_text, example)
    elif allowed in (Allowed.FUTURE, Allowed.TODAY_OR_FUTURE):
        hint = lazy(lambda: _hint(help_text, _future_example()), str)()
    else:
        hint = _hint(help_text, BIRTH_DATE_EXAMPLE if allowed == Allowed.PAST else DATE_EXAMPLE)
    return DateInputField(
        label=label,
        name=name or label,
        required=required,
        help_text=hint,
        allowed=allowed,
    )


def _future_example() -> str:
    """Return an example date that is still to come whenever the page is shown."""
    return f"27 3 {timezone.localdate().year + 1}"


def date_and_time_field(label: str, *, what: str) -> DateAndTimeField:
    """Return a date input and a time box under one question, for a moment already past.

    Whether a time today is still to come is the service's check, with the rest of the account.
    """
    return DateAndTimeField(
        label=label,
        what=what,
        allowed=Allowed.TODAY_OR_PAST,
        help_text=_hint("", DATE_EXAMPLE),
    )


def time_field(label: str, *, required: bool = True, help_text: str = "") -> TimeOfDayField:
    """Return a time box, with "For example, 9:30am or 21:30" in its hint."""
    return TimeOfDayField(
        label=label, name=label, required=required, help_text=_hint(help_text, TIME_EXAMPLE)
    )
