"""Properties of pattern analysis that hold for any incidents. Pure: no Django, no database."""

import datetime as dt
import re
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from orderwatch.patterns.analysis import (
    RANK,
    WINDOW_DAYS,
    Incident,
    OrderPeriod,
    PatternAnalysis,
    analyse_pattern,
)

UTC = dt.UTC
NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Exact, about a time, a date, a range of up to three weeks.
SPANS = [dt.timedelta(0), dt.timedelta(hours=2), dt.timedelta(days=1), dt.timedelta(days=21)]
FINDINGS = re.compile(r"\bis (harassment|stalking)\b|\bguilty\b|\bcommitted\b|\boffender\b", re.I)


@st.composite
def incidents(draw, id: str) -> Incident:
    earliest = NOW - dt.timedelta(minutes=draw(st.integers(0, 500 * 24 * 60)))
    return Incident(
        id=id,
        earliest=earliest,
        latest=earliest + draw(st.sampled_from(SPANS)),
        kinds=frozenset(draw(st.sets(st.sampled_from([*RANK, "other"]), max_size=3))),
        severity=draw(st.none() | st.integers(1, 4)),
        respondent=draw(st.sampled_from([None, "first", "second"])),
        towards=draw(st.sampled_from([None, "protected", "child"])),
        source=draw(st.sampled_from(["breach", "evidence"])),
    )


@st.composite
def cases(draw, min_size: int = 0) -> list[Incident]:
    size = draw(st.integers(min_size, 25))
    return [draw(incidents(f"incident-{index}")) for index in range(size)]


@st.composite
def order_periods(draw) -> list[OrderPeriod]:
    periods = []
    for _ in range(draw(st.integers(0, 2))):
        starts = NOW - dt.timedelta(days=draw(st.integers(0, 500)))
        length = draw(st.none() | st.integers(1, 300))
        ends = None if length is None else starts + dt.timedelta(days=length)
        periods.append(OrderPeriod(starts, ends))
    return periods


def analyse(incidents: list[Incident], periods: list[OrderPeriod]) -> PatternAnalysis:
    return analyse_pattern(incidents, order_periods=periods, now=NOW)


def course_of_conduct_keys(analysis: PatternAnalysis) -> set[str]:
    return {flag.key for flag in analysis.flags if flag.code == "course_of_conduct"}


@given(cases(), order_periods())
def test_counts_are_consistent(incidents, periods):
    analysis = analyse(incidents, periods)

    counts = [analysis.window(days) for days in WINDOW_DAYS] + [analysis.order_life]
    for count in counts:
        assert count.definite <= count.possible <= len(incidents)
    for smaller, larger in pairwise(counts):
        assert smaller.definite <= larger.definite
        assert smaller.possible <= larger.possible
    assert analysis.order_life.possible + len(analysis.history) == len(incidents)


@given(cases(), order_periods(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_incidents_come_in(incidents, periods, random):
    shuffled = list(incidents)
    random.shuffle(shuffled)

    assert analyse(shuffled, periods) == analyse(incidents, periods)


@given(cases(), order_periods(), incidents("added"))
def test_adding_an_incident_never_removes_a_course_of_conduct(incidents, periods, added):
    before = course_of_conduct_keys(analyse(incidents, periods))
    after = course_of_conduct_keys(analyse([*incidents, added], periods))

    assert before <= after


@given(incidents("only"), order_periods())
def test_a_single_incident_never_flags(incident, periods):
    assert analyse([incident], periods).flags == ()


@given(cases(min_size=2), order_periods())
def test_every_reason_is_a_prompt_never_a_finding(incidents, periods):
    analysis = analyse(incidents, periods)

    for text in [flag.reason for flag in analysis.flags] + list(analysis.notes):
        assert text.strip()
        assert not FINDINGS.search(text), text
    for flag in analysis.flags:
        if flag.code in {"course_of_conduct", "stalking_indicators"}:
            assert "may amount to" in flag.reason


@given(cases(), order_periods())
def test_flags_name_only_incidents_that_were_given(incidents, periods):
    ids = {incident.id for incident in incidents}

    for flag in analyse(incidents, periods).flags:
        assert flag.incident_ids
        assert set(flag.incident_ids) <= ids
        assert flag.since_incident in ids
