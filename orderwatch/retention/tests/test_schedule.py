"""The retention rules (pure): which classes apply to a closed case and when it is reviewed;
and the schedule's data: every class cites a source and says what is uncertain."""

import copy
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.retention.schedule import (
    SCHEDULES_DIR,
    CaseFacts,
    add_years,
    read_schedule,
    retention_for,
    schedule_from_data,
)

SCHEDULE = read_schedule()
CLOSED = dt.date(2026, 12, 6)
dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2060, 12, 31))


def _data() -> dict:
    return json.loads((SCHEDULES_DIR / "uk.json").read_text(encoding="utf-8"))


def test_every_class_cites_a_source_with_an_address_and_lists_what_is_uncertain():
    assert [each.code for each in SCHEDULE.classes] == [
        "adult_case_record",
        "children_involved",
        "proceedings_possible",
    ]
    for each in SCHEDULE.classes:
        assert each.sources, each.code
        assert all(s["citation"] and s["url"].startswith("https://") for s in each.sources)
        assert each.uncertain, f"{each.code} states nothing as uncertain"
    assert SCHEDULE.uncertain


@pytest.mark.parametrize("sources", [[], [{"citation": "", "url": "https://example.org/"}]])
def test_a_class_without_a_citation_is_refused(sources):
    data = _data()
    data["classes"][1]["sources"] = sources
    with pytest.raises(ValueError, match="children_involved cites no source"):
        schedule_from_data(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda data: data["classes"][0]["rule"].update(kind="forever"), "unknown rule"),
        (lambda data: data["classes"][0]["rule"].update(years="6"), "whole number of years"),
        (lambda data: data["classes"][0].update(applies_when="sometimes"), "unknown condition"),
        (lambda data: data["classes"][1].update(code="adult_case_record"), "unique"),
        (lambda data: data["classes"].pop(0), "must always apply"),
    ],
)
def test_a_schedule_that_cannot_be_applied_is_refused(change, message):
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(ValueError, match=message):
        schedule_from_data(data)


def test_an_adult_case_is_reviewed_6_years_after_it_closed():
    retention = retention_for(CaseFacts(closed_on=CLOSED), SCHEDULE)
    assert retention.retention_class == "adult_case_record"
    assert retention.classes == ("adult_case_record",)
    assert retention.review_on == dt.date(2032, 12, 6)
    assert not retention.confirm_before_disposal
    assert retention.schedule_version == SCHEDULE.version


def test_a_case_with_children_is_kept_until_the_youngest_is_25():
    facts = CaseFacts(closed_on=CLOSED, children_born_on=(dt.date(2010, 5, 1), dt.date(2019, 3, 2)))
    retention = retention_for(facts, SCHEDULE)
    assert retention.retention_class == "children_involved"
    assert retention.review_on == dt.date(2044, 3, 2)


def test_a_child_already_grown_up_leaves_the_adult_6_years_in_charge():
    facts = CaseFacts(closed_on=CLOSED, children_born_on=(dt.date(2003, 1, 1),))
    retention = retention_for(facts, SCHEDULE)
    assert retention.retention_class == "adult_case_record"
    assert retention.classes == ("adult_case_record", "children_involved")
    assert retention.review_on == dt.date(2032, 12, 6)


def test_a_child_with_no_date_of_birth_counts_as_born_the_day_the_case_closed():
    facts = CaseFacts(closed_on=CLOSED, children_born_on=(dt.date(2015, 1, 1), None))
    assert retention_for(facts, SCHEDULE).review_on == dt.date(2051, 12, 6)


def test_evidence_that_may_be_needed_asks_for_confirmation_before_disposal():
    facts = CaseFacts(closed_on=CLOSED, evidence_may_be_relevant=True)
    retention = retention_for(facts, SCHEDULE)
    # The one-year review is shorter than 6 years, so the adult class still sets the date.
    assert retention.retention_class == "adult_case_record"
    assert retention.classes == ("adult_case_record", "proceedings_possible")
    assert retention.review_on == dt.date(2032, 12, 6)
    assert retention.confirm_before_disposal


def test_29_february_becomes_28_february_in_a_common_year():
    assert add_years(dt.date(2024, 2, 29), 25) == dt.date(2049, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


@given(
    closed_on=dates,
    children=st.lists(st.one_of(st.none(), dates), max_size=4),
    evidence=st.booleans(),
)
def test_the_longest_applicable_period_wins_and_is_never_before_closing(
    closed_on, children, evidence
):
    facts = CaseFacts(
        closed_on=closed_on, children_born_on=tuple(children), evidence_may_be_relevant=evidence
    )
    retention = retention_for(facts, SCHEDULE)
    assert retention.review_on >= add_years(closed_on, 6)
    for born in children:
        assert retention.review_on >= add_years(born or closed_on, 25)
    # The date is one a class gives: the adult 6 years or a child's 25th birthday.
    candidates = {add_years(closed_on, 6)} | {add_years(b or closed_on, 25) for b in children}
    assert retention.review_on == max(candidates)
    assert retention.confirm_before_disposal == evidence
    assert ("children_involved" in retention.classes) == bool(children)
    assert retention.retention_class in retention.classes


@given(closed_on=dates, children=st.lists(st.one_of(st.none(), dates), max_size=4))
def test_adding_a_child_never_brings_the_review_forward(closed_on, children):
    before = retention_for(CaseFacts(closed_on, tuple(children[:-1])), SCHEDULE).review_on
    after = retention_for(CaseFacts(closed_on, tuple(children)), SCHEDULE).review_on
    assert after >= before
