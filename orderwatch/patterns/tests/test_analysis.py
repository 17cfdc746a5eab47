"""Pattern analysis over a case's incidents. Pure: no Django, no database."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from orderwatch.patterns.analysis import (
    Incident,
    OrderPeriod,
    PatternAnalysis,
    analyse_pattern,
)

LONDON = ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=LONDON)
ORDER_MADE = OrderPeriod(starts=NOW - dt.timedelta(days=400))
DAY = dt.timedelta(days=1)


def incident(
    id: str,
    days_ago: float,
    *kinds: str,
    severity: int | None = 2,
    respondent: str | None = "respondent",
    towards: str | None = "protected",
    lasting: dt.timedelta = dt.timedelta(0),
) -> Incident:
    """Return an incident that began `days_ago` days before NOW and lasted `lasting`."""
    earliest = NOW - dt.timedelta(days=days_ago)
    return Incident(
        id=id,
        earliest=earliest,
        latest=earliest + lasting,
        kinds=frozenset(kinds or {"indirect_contact"}),
        severity=severity,
        respondent=respondent,
        towards=towards,
    )


def analyse(*incidents: Incident, periods: tuple[OrderPeriod, ...] = (ORDER_MADE,)):
    return analyse_pattern(incidents, order_periods=periods, now=NOW)


def codes(analysis: PatternAnalysis) -> set[str]:
    return {flag.code for flag in analysis.flags}


def flag(analysis: PatternAnalysis, code: str, respondent: str = "respondent"):
    (found,) = [f for f in analysis.flags if f.code == code and f.respondent == respondent]
    return found


# The cases the issue names


def test_one_incident_raises_no_flag():
    analysis = analyse(incident("a", 3))

    assert analysis.flags == ()
    assert analysis.window(7).definite == 1
    assert analysis.order_life.definite == 1


def test_two_incidents_a_year_apart_flag_a_course_of_conduct_noting_they_were_far_apart():
    analysis = analyse(incident("a", 370), incident("b", 5))

    course = flag(analysis, "course_of_conduct")
    assert course.incident_ids == ("a", "b")
    assert course.since_incident == "b"
    assert "may amount to harassment, a separate offence" in course.reason
    assert "far apart (about 12 months between them on average)" in course.reason
    assert "frequency_rising" not in codes(analysis)


def test_shortening_intervals_flag_incidents_coming_closer_together():
    analysis = analyse(*(incident(str(i), d) for i, d in enumerate([120, 80, 50, 30, 16, 8, 3])))

    frequency = flag(analysis, "frequency_rising")
    assert frequency.reason.startswith("Incidents by this respondent are coming closer together")
    assert not frequency.limited_by_precision
    assert frequency.incident_ids == ("3", "4", "5", "6")
    assert [round(i.gap / DAY) for i in analysis.patterns[0].intervals] == [40, 30, 20, 14, 8, 5]


def test_shortening_intervals_from_approximate_times_only_may_be_shortening():
    # Ten-day ranges: on midpoints the gaps shorten, but not at every possible time.
    analysis = analyse(
        *(incident(str(i), d, lasting=10 * DAY) for i, d in enumerate([200, 150, 100, 50, 30, 12]))
    )

    frequency = flag(analysis, "frequency_rising")
    assert frequency.limited_by_precision
    assert "may be coming closer together" in frequency.reason
    assert "times are approximate" in frequency.reason
    assert any(interval.uncertain for interval in analysis.patterns[0].intervals)


def test_steady_intervals_do_not_flag_frequency():
    analysis = analyse(*(incident(str(i), 10 + 20 * i) for i in range(6)))

    assert "frequency_rising" not in codes(analysis)


def test_rising_severity_flags_from_the_incident_that_tipped_it():
    severities = [1, 1, 2, 1, 3, 4]
    analysis = analyse(
        *(incident(str(i), 60 - 10 * i, severity=s) for i, s in enumerate(severities))
    )

    severity = flag(analysis, "severity_rising")
    assert severity.incident_ids == ("3", "4", "5")
    assert severity.since_incident == "5"
    assert "rated more serious" in severity.reason
    assert "consider a risk review" in severity.reason


def test_unrated_incidents_are_left_out_of_the_severity_trend():
    analysis = analyse(
        incident("a", 40, severity=1),
        incident("b", 30, severity=None),
        incident("c", 20, severity=None),
    )

    assert "severity_rising" not in codes(analysis)


def test_mixed_precision_counts_definitely_and_possibly_in_a_window_and_says_so():
    analysis = analyse(
        incident("exact", 2),
        incident("date", 7.5, lasting=DAY),  # the day straddles the 7-day boundary
        incident("range", 35, lasting=10 * DAY),  # 35 to 25 days ago: one incident, not ten
    )

    assert (analysis.window(7).definite, analysis.window(7).possible) == (1, 2)
    assert analysis.window(7).words() == "between 1 and 2"
    assert (analysis.window(30).definite, analysis.window(30).possible) == (2, 3)
    assert (analysis.window(90).definite, analysis.window(90).possible) == (3, 3)
    assert analysis.window(90).words() == "3"
    assert any("Some times are approximate" in note for note in analysis.notes)


def test_two_respondents_are_never_combined_into_a_course_of_conduct():
    analysis = analyse(
        incident("a", 30, respondent="first"),
        incident("b", 20, respondent="second"),
        incident("c", 10, respondent="second"),
    )

    (course,) = [f for f in analysis.flags if f.code == "course_of_conduct"]
    assert (course.respondent, course.incident_ids) == ("second", ("b", "c"))
    assert [p.respondent for p in analysis.patterns] == ["first", "second"]
    assert analysis.order_life.definite == 3


def test_incidents_before_the_order_are_history_not_breaches():
    period = OrderPeriod(starts=NOW - 50 * DAY)
    analysis = analyse(
        incident("before", 80, "violence"),
        incident("after", 20, "indirect_contact"),
        periods=(period,),
    )

    assert analysis.history == ("before",)
    assert analysis.order_life.definite == analysis.order_life.possible == 1
    assert analysis.window(90).possible == 1
    # History still shows the pattern: a course of conduct, and no "first more serious".
    assert codes(analysis) == {"course_of_conduct"}


def test_incidents_after_the_order_ended_are_history():
    period = OrderPeriod(starts=NOW - 300 * DAY, ends=NOW - 100 * DAY)
    analysis = analyse(incident("during", 200), incident("after", 20), periods=(period,))

    assert analysis.history == ("after",)
    assert analysis.window(30).possible == 0


def test_an_incident_that_may_have_been_before_the_order_is_counted_as_possible_and_noted():
    period = OrderPeriod(starts=NOW - 50 * DAY)
    analysis = analyse(incident("range", 55, lasting=10 * DAY), periods=(period,))

    assert (analysis.order_life.definite, analysis.order_life.possible) == (0, 1)
    assert any("before or after the order was in force" in note for note in analysis.notes)


def test_without_an_order_every_incident_is_history():
    analysis = analyse(incident("a", 20), incident("b", 10), periods=())

    assert analysis.history == ("a", "b")
    assert analysis.order_life.possible == 0
    assert "course_of_conduct" in codes(analysis)
    assert any("No order is recorded" in note for note in analysis.notes)


# Unknowns, seriousness, stalking


def test_an_unknown_respondent_is_not_combined_with_a_known_one_and_the_result_says_so():
    analysis = analyse(incident("a", 20), incident("b", 10, respondent=None))

    assert analysis.flags == ()
    assert any("do not say who was responsible" in note for note in analysis.notes)


def test_unknown_people_towards_are_not_combined():
    analysis = analyse(incident("a", 20, towards=None), incident("b", 10))

    assert "course_of_conduct" not in codes(analysis)
    assert any("do not say who they were towards" in note for note in analysis.notes)


def test_each_first_more_serious_behaviour_is_its_own_flag():
    analysis = analyse(
        incident("a", 40, "indirect_contact"),
        incident("b", 30, "attending"),
        incident("c", 20, "indirect_contact"),
        incident("d", 10, "threats", "indirect_contact"),
    )

    assert flag(analysis, "first_more_serious:attending").since_incident == "b"
    assert flag(analysis, "first_more_serious:threats").since_incident == "d"
    assert "the most serious before it involved going to the address" in (
        flag(analysis, "first_more_serious:threats").reason
    )


def test_behaviours_with_no_rank_give_nothing_to_rise_above():
    analysis = analyse(incident("a", 20, "other"), incident("b", 10, "indirect_contact"))

    assert not any(code.startswith("first_more_serious") for code in codes(analysis))


def test_stalking_behaviours_in_a_course_of_conduct_are_a_prompt_to_consider_stalking():
    analysis = analyse(incident("a", 20, "following"), incident("b", 10, "indirect_contact"))

    stalking = flag(analysis, "stalking_indicators")
    assert stalking.incident_ids == ("a",)
    assert stalking.since_incident == "b"
    assert "fixated, obsessive, unwanted and repeated" in stalking.reason


def test_overlapping_times_ask_whether_they_were_separate_occasions():
    analysis = analyse(incident("a", 10, lasting=5 * DAY), incident("b", 8))

    course = flag(analysis, "course_of_conduct")
    assert course.limited_by_precision
    assert "check they were separate occasions" in course.reason


# Escalations for tasks and the dashboard


def test_escalation_key_stays_the_same_as_later_incidents_are_added():
    first = analyse(incident("a", 40), incident("b", 30))
    later = analyse(incident("a", 40), incident("b", 30), incident("c", 5))

    before = flag(first, "course_of_conduct")
    after = flag(later, "course_of_conduct")
    assert before.key == after.key == "course_of_conduct:respondent:protected"
    assert before.escalation_key == after.escalation_key


def test_an_earlier_incident_recorded_late_is_not_a_new_course_of_conduct():
    first = analyse(incident("a", 40), incident("b", 30))
    late = analyse(incident("a", 40), incident("b", 30), incident("older", 35))

    assert flag(late, "course_of_conduct").since_incident == "older"
    assert flag(first, "course_of_conduct").escalation_key == (
        flag(late, "course_of_conduct").escalation_key
    )


def test_a_rising_trend_names_where_its_run_began():
    analysis = analyse(*(incident(str(n), days) for n, days in enumerate((100, 70, 40, 10, 8, 6))))

    rising = flag(analysis, "frequency_rising")
    assert rising.escalation_key == f"{rising.key}@{rising.since_incident}"


def test_escalated_since_lists_the_flags_that_began_in_the_period():
    analysis = analyse(
        incident("a", 100, "indirect_contact"),
        incident("b", 90, "indirect_contact"),
        incident("c", 10, "violence"),
    )

    recent = analysis.escalated_since(NOW - 30 * DAY)

    assert [f.code for f in recent] == ["first_more_serious:violence"]


# Inputs


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        Incident("a", dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1), frozenset())  # noqa: DTZ001


def test_latest_before_earliest_is_refused():
    with pytest.raises(ValueError, match="latest is before earliest"):
        incident("a", 3, lasting=-DAY)


def test_repeated_ids_are_refused():
    with pytest.raises(ValueError, match="unique"):
        analyse(incident("a", 3), incident("a", 2))
