"""Checking a breach account is complete and consistent. Pure: no database."""

import datetime as dt

import pytest

from orderwatch.breaches import answers
from orderwatch.breaches.models import Behaviour, Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.core.tests.clock import LONDON, NOW, TODAY

YESTERDAY = TODAY - dt.timedelta(days=1)
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


def _problems(**overrides) -> dict[str, str]:
    return answers.problems(breach_account(**overrides), now=NOW)


def _unreported(**overrides) -> dict[str, str]:
    """Return the problems of an account with no police report, so no police date to clash."""
    return _problems(police_reported=False, not_reported_reason="She is deciding.", **overrides)


def test_the_helper_account_is_complete():
    assert _problems() == {}


@pytest.mark.parametrize(
    "occurrence",
    [
        Occurrence(Precision.EXACT, TODAY, dt.time(9, 59)),
        Occurrence(Precision.APPROXIMATE, YESTERDAY, dt.time(23, 30)),
        Occurrence(Precision.DATE, TODAY),
        Occurrence(Precision.RANGE, TODAY - dt.timedelta(days=7), until=TODAY),
    ],
)
def test_any_precision_up_to_now_is_accepted(occurrence):
    errors = _problems(
        occurrence=occurrence, reported_to_practitioner_at=NOW, police_reported_on=TODAY
    )
    assert errors == {}


# When it happened and when it was reported


def test_an_exact_time_later_today_is_refused_on_the_time():
    errors = _unreported(occurrence=Occurrence(Precision.EXACT, TODAY, dt.time(18, 0)))
    assert errors == {"happened_at_time": "The time it happened cannot be in the future"}


def test_a_date_tomorrow_is_refused_on_the_date():
    errors = _unreported(occurrence=Occurrence(Precision.DATE, TOMORROW))
    assert errors == {"happened_on": "The date it happened cannot be in the future"}


def test_a_range_starting_tomorrow_is_refused_on_the_first_date():
    occurrence = Occurrence(Precision.RANGE, TOMORROW, until=TOMORROW + dt.timedelta(days=2))
    assert set(_unreported(occurrence=occurrence)) == {"happened_on"}


def test_a_range_ending_in_the_future_is_refused_on_the_last_date():
    occurrence = Occurrence(Precision.RANGE, YESTERDAY, until=TOMORROW)
    assert _problems(occurrence=occurrence) == {
        "happened_until": "The last date it could have happened cannot be in the future"
    }


def test_a_range_ending_before_it_starts_is_refused_on_the_last_date():
    occurrence = Occurrence(Precision.RANGE, YESTERDAY, until=YESTERDAY - dt.timedelta(days=2))
    assert _problems(occurrence=occurrence) == {
        "happened_until": "The last date must be after the first date"
    }


def test_a_missing_time_is_asked_for_on_the_time():
    errors = _problems(occurrence=Occurrence(Precision.APPROXIMATE, YESTERDAY))
    assert set(errors) == {"happened_at_time"}


def test_reported_to_the_practitioner_in_the_future_is_refused():
    errors = _problems(reported_to_practitioner_at=NOW + dt.timedelta(minutes=5))
    assert errors == {
        "reported_to_practitioner_at": "The time it was reported to you cannot be in the future"
    }


def test_reported_to_the_practitioner_before_it_happened_is_refused():
    errors = _problems(
        occurrence=Occurrence(Precision.EXACT, YESTERDAY, dt.time(15, 0)),
        reported_to_practitioner_at=dt.datetime.combine(YESTERDAY, dt.time(14, 0), tzinfo=LONDON),
    )
    assert set(errors) == {"reported_to_practitioner_at"}
    assert "after it happened" in errors["reported_to_practitioner_at"]


def test_reported_on_the_day_of_a_date_only_breach_is_accepted():
    errors = _problems(
        occurrence=Occurrence(Precision.DATE, YESTERDAY),
        reported_to_practitioner_at=dt.datetime.combine(YESTERDAY, dt.time(0, 5), tzinfo=LONDON),
    )
    assert errors == {}


def test_a_breach_in_the_future_is_not_also_blamed_on_the_report_time():
    errors = _unreported(
        occurrence=Occurrence(Precision.DATE, TOMORROW),
        reported_to_practitioner_at=NOW - dt.timedelta(hours=1),
    )
    assert set(errors) == {"happened_on"}


# The police report


def test_reported_to_police_needs_when_how_reference_and_officer():
    errors = _problems(
        police_reported=True,
        police_reported_on=None,
        police_method="",
        police_reference="  ",
        police_officer="",
        police_officer_not_known=False,
    )
    assert set(errors) == {
        "police_reported_on",
        "police_method",
        "police_reference",
        "police_officer",
    }
    assert "If there is none yet, answer no and say why" in errors["police_reference"]


def test_an_officer_named_is_as_good_as_not_known():
    assert _problems(police_officer="PC 1234 Smith", police_officer_not_known=False) == {}


def test_the_police_report_date_cannot_be_in_the_future():
    assert set(_problems(police_reported_on=TOMORROW)) == {"police_reported_on"}


def test_the_police_report_date_cannot_be_before_it_happened():
    errors = _problems(police_reported_on=YESTERDAY - dt.timedelta(days=1))
    assert errors == {
        "police_reported_on": (
            "The date it was reported to the police must be on or after the date it happened"
        )
    }


def test_an_unknown_police_method_is_refused():
    assert set(_problems(police_method="carrier_pigeon")) == {"police_method"}


def test_not_reported_to_police_needs_a_reason():
    errors = _problems(police_reported=False, not_reported_reason="   ")
    assert errors == {"not_reported_reason": "Enter why it has not been reported to the police"}


def test_not_reported_with_a_reason_ignores_leftover_police_answers():
    errors = _problems(
        police_reported=False,
        not_reported_reason="She wants to talk to her IDVA first.",
        police_reference="",
        police_method="",
    )
    assert errors == {}


# Probation


def test_probation_informed_in_the_future_is_refused():
    errors = _problems(respondent_supervised=Known.GIVEN, probation_informed_on=TOMORROW)
    assert errors == {
        "probation_informed_on": "The date probation was told cannot be in the future"
    }


def test_probation_informed_before_it_happened_is_refused():
    errors = _problems(
        respondent_supervised=Known.GIVEN, probation_informed_on=YESTERDAY - dt.timedelta(days=1)
    )
    assert set(errors) == {"probation_informed_on"}


def test_probation_date_is_ignored_when_the_respondent_is_not_supervised():
    assert _problems(respondent_supervised=Known.NONE, probation_informed_on=TOMORROW) == {}


# Details that go with "yes"


@pytest.mark.parametrize(
    ("answer", "details", "field"),
    [
        ("witnesses", "witness_details", "witness_details"),
        ("others_present", "others_present_details", "others_present_details"),
        ("other_agencies", "other_agencies_details", "other_agencies_details"),
    ],
)
def test_yes_needs_the_details(answer, details, field):
    assert set(_problems(**{answer: Known.GIVEN, details: " "})) == {field}
    assert _problems(**{answer: Known.GIVEN, details: "Named"}) == {}
    assert _problems(**{answer: Known.NOT_KNOWN, details: ""}) == {}


def test_somewhere_else_needs_where():
    assert set(_problems(location=Breach.Location.OTHER, location_details="")) == {
        "location_details"
    }


def test_what_happened_cannot_be_blank():
    assert set(_problems(what_happened="  \n ")) == {"what_happened"}


@pytest.mark.parametrize("behaviours", [[], ["shouting"], [Behaviour.THREATS, "shouting"]])
def test_a_known_behaviour_is_needed(behaviours):
    assert set(_problems(behaviours=behaviours)) == {"behaviours"}


@pytest.mark.parametrize("severity", [0, 5, None])
def test_a_known_severity_is_needed(severity):
    assert set(_problems(severity=severity)) == {"severity"}


# What was done


def test_nothing_yet_and_something_else_are_refused_together():
    errors = _problems(actions=[Breach.Action.NOTHING_YET, Breach.Action.POLICE_REPORT])
    assert errors == {"actions": "Select what was done, or nothing yet – not both"}


@pytest.mark.parametrize("actions", [[], ["flowers"]])
def test_an_action_is_needed(actions):
    assert set(_problems(actions=actions)) == {"actions"}


def test_other_action_needs_details():
    assert _problems(actions=[Breach.Action.OTHER], action_details=" ") == {
        "action_details": "Enter what else was done"
    }
    assert _problems(actions=[Breach.Action.OTHER], action_details="Changed the locks") == {}


def test_every_problem_is_reported_at_once():
    errors = _problems(
        reported_to_practitioner_at=NOW + dt.timedelta(hours=1),
        what_happened="",
        police_reported=False,
        not_reported_reason="",
        witnesses=Known.GIVEN,
        actions=[],
    )
    assert set(errors) == {
        "reported_to_practitioner_at",
        "what_happened",
        "not_reported_reason",
        "witness_details",
        "actions",
    }
