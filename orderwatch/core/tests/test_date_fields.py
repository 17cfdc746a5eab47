"""The GOV.UK date input, date-and-time and time fields as forms use them, without a browser."""

import datetime as dt

import pytest
import time_machine
from django import forms
from django.template.loader import render_to_string

from orderwatch.core.date_input import Allowed
from orderwatch.core.forms import date_and_time_field, date_field, time_field
from orderwatch.core.govuk_dates import UK

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=UK)


class OrderMadeForm(forms.Form):
    made_on = date_field("Date the order was made", allowed=Allowed.TODAY_OR_PAST)
    served_on = date_field("Date it was served", required=False, help_text="If known")


class ReportForm(forms.Form):
    reported_at = date_and_time_field("When was it reported to you?", what="it was reported to you")
    happened_at = time_field("Time it happened", required=False, help_text="If known")


def made_on(day="", month="", year="", **more) -> OrderMadeForm:
    return OrderMadeForm({"made_on-day": day, "made_on-month": month, "made_on-year": year, **more})


def report(day="", month="", year="", time="", **more) -> ReportForm:
    data = {
        "reported_at-day": day,
        "reported_at-month": month,
        "reported_at-year": year,
        "reported_at-time": time,
    }
    return ReportForm({**data, **more})


def html(form: forms.Form, name: str) -> str:
    form.is_valid()
    return render_to_string("core/includes/field.html", {"field": form[name]})


def box(page: str, box_id: str) -> str:
    """Return the <input> tag with `box_id`."""
    start = page.index(f'id="{box_id}"')
    return page[page.rindex("<input", 0, start) : page.index(">", start) + 1]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_date_is_read_from_its_three_boxes():
    form = made_on(" 4 ", "mar", "2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"made_on": dt.date(2026, 3, 4), "served_on": None}


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter the date the order was made"),
        (("4", "", "2026"), "Date the order was made must include a month"),
        (("", "3", ""), "Date the order was made must include a day and year"),
        (("4", "13", "2026"), "Date the order was made must be a real date"),
        (("4", "3", "26"), "Year must include 4 numbers"),
        (("6", "3", "2026"), "Date the order was made must be today or in the past"),
    ],
)
def test_each_problem_has_its_govuk_message(typed, message):
    form = made_on(*typed)
    assert not form.is_valid()
    assert form.errors["made_on"] == [message]


def test_today_is_allowed_where_today_or_the_past_is():
    assert made_on("5", "3", "2026").is_valid()


def test_an_optional_date_left_empty_is_none_but_half_typed_is_an_error():
    form = made_on("4", "3", "2026", **{"served_on-day": "4"})
    assert not form.is_valid()
    assert form.errors["served_on"] == ["Date it was served must include a month and year"]


def test_the_question_is_a_fieldset_whose_legend_is_the_label_and_hint_has_an_example():
    page = html(OrderMadeForm(), "served_on")
    fieldset = '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_served_on-hint">'
    assert fieldset in page
    assert '<legend class="govuk-fieldset__legend">Date it was served</legend>' in page
    assert "If known. For example, 27 3 2026" in page
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        tag = box(page, f"id_served_on-{part}")
        assert f'name="served_on-{part}"' in tag
        assert f"govuk-input--width-{width}" in tag
        assert 'inputmode="numeric"' in tag
        assert 'type="text"' in tag
        assert "govuk-input--error" not in tag
    assert '<label class="govuk-label govuk-date-input__label" for="id_served_on-day">Day<' in page


def test_only_the_boxes_with_the_problem_are_in_error_and_what_was_typed_comes_back():
    page = html(made_on("4", "", "20xx"), "made_on")
    assert "govuk-input--error" not in box(page, "id_made_on-day")
    assert "govuk-input--error" in box(page, "id_made_on-month")
    assert "govuk-input--error" not in box(page, "id_made_on-year")
    assert 'value="4"' in box(page, "id_made_on-day")
    assert 'value="20xx"' in box(page, "id_made_on-year")
    assert 'aria-describedby="id_made_on-hint id_made_on-error"' in page
    assert "Error:</span> Date the order was made must include a month</p>" in page


def test_a_whole_date_problem_puts_every_box_in_error():
    page = html(made_on("6", "3", "2026"), "made_on")
    for part in ("day", "month", "year"):
        assert "govuk-input--error" in box(page, f"id_made_on-{part}")


def test_a_service_error_on_the_date_puts_every_box_in_error():
    form = made_on("4", "3", "2026")
    assert form.is_valid()
    form.add_error("made_on", "The date must be the same as or after the order was made")
    page = render_to_string("core/includes/field.html", {"field": form["made_on"]})
    for part in ("day", "month", "year"):
        assert "govuk-input--error" in box(page, f"id_made_on-{part}")


def test_the_error_summary_links_to_the_first_box_with_a_problem():
    form = made_on("", "3", "")
    form.is_valid()
    summary = render_to_string("core/includes/error_summary.html", {"form": form})
    assert '<a href="#id_made_on-day">Date the order was made must include a day and year</a>' in (
        summary
    )
    form = made_on("4", "", "2026")
    form.is_valid()
    summary = render_to_string("core/includes/error_summary.html", {"form": form})
    assert 'href="#id_made_on-month"' in summary


def test_an_initial_date_is_shown_in_its_boxes():
    form = OrderMadeForm(initial={"made_on": dt.date(2026, 1, 31)})
    page = render_to_string("core/includes/field.html", {"field": form["made_on"]})
    assert 'value="31"' in box(page, "id_made_on-day")
    assert 'value="1"' in box(page, "id_made_on-month")
    assert 'value="2026"' in box(page, "id_made_on-year")


def test_a_date_and_time_is_read_in_uk_time():
    form = report("1", "3", "2026", "9.30pm")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["reported_at"] == dt.datetime(2026, 3, 1, 21, 30, tzinfo=UK)
    summer = report("1", "7", "2025", "midday")
    assert summer.is_valid()
    assert summer.cleaned_data["reported_at"] == dt.datetime(2025, 7, 1, 11, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "message", "in_error"),
    [
        (("", "", "", ""), "Enter the date and time it was reported to you", "all"),
        (("", "", "", "9am"), "Enter the date it was reported to you", "date"),
        (("1", "3", "2026", ""), "Enter the time it was reported to you", "time"),
        (("1", "", "2026", "9am"), "Date it was reported to you must include a month", "month"),
        (
            ("1", "3", "2026", "9"),
            "Time it was reported to you must be a real time, like 9:30am or 21:30",
            "time",
        ),
        (
            ("6", "3", "2026", "9am"),
            "Date it was reported to you must be today or in the past",
            "date",
        ),
    ],
)
def test_each_half_of_a_date_and_time_has_its_own_message(typed, message, in_error):
    form = report(*typed)
    assert not form.is_valid()
    assert form.errors["reported_at"] == [message]
    page = html(form, "reported_at")
    wrong = {
        "all": {"day", "month", "year", "time"},
        "date": {"day", "month", "year"},
        "time": {"time"},
        "month": {"month"},
    }[in_error]
    for part in ("day", "month", "year", "time"):
        assert ("govuk-input--error" in box(page, f"id_reported_at-{part}")) == (part in wrong)


def test_the_time_box_sits_in_the_same_question_with_its_own_hint():
    page = html(report("1", "3", "2026", "21:30"), "reported_at")
    assert page.index("<legend") < page.index('for="id_reported_at-time">Time</label>')
    assert page.index('for="id_reported_at-time"') < page.index("</fieldset>")
    assert "For example, 9:30am or 21:30" in page
    assert 'value="21:30"' in box(page, "id_reported_at-time")


def test_a_time_box_takes_times_as_written_and_explains_a_bad_one():
    assert report("1", "3", "2026", "9am", happened_at="9.30pm").is_valid()
    form = report("1", "3", "2026", "9am", happened_at="half nine")
    assert not form.is_valid()
    assert form.errors["happened_at"] == [
        "Time it happened must be a real time, like 9:30am or 21:30"
    ]
    page = html(form, "happened_at")
    assert "If known. For example, 9:30am or 21:30" in page
    assert 'value="half nine"' in page
    assert "govuk-input--width-5 govuk-input--error" in page


def test_a_time_shown_again_is_written_the_govuk_way():
    form = ReportForm(initial={"happened_at": dt.time(21, 30)})
    page = render_to_string("core/includes/field.html", {"field": form["happened_at"]})
    assert 'value="9:30pm"' in page


def test_a_question_about_a_date_to_come_gives_an_example_still_to_come_whatever_the_year():
    class DueForm(forms.Form):
        due_on = date_field("Date it should be done by", allowed=Allowed.TODAY_OR_FUTURE)

    for year in (2026, 2031):
        with time_machine.travel(dt.datetime(year, 12, 31, 12, tzinfo=UK), tick=False):
            hint = str(DueForm()["due_on"].help_text)
        assert hint == f"For example, 27 3 {year + 1}"
