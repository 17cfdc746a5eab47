"""The safety plan's practical measures in the victim-survivor's own words."""

import pytest

from orderwatch.diary import plan_words
from orderwatch.safety.models import SafetyMeasure


@pytest.mark.parametrize("kind", SafetyMeasure.Kind.values)
def test_every_kind_of_measure_has_plain_words_of_its_own(kind):
    assert kind in plan_words.MEASURE_KIND_WORDS, f"Add plain words for {kind!r}"
    words = plan_words.measure_kind_in_plain_words(kind)
    if kind != SafetyMeasure.Kind.OTHER:
        assert words != plan_words.SOMETHING_ELSE


def test_no_two_kinds_read_the_same():
    words = [plan_words.MEASURE_KIND_WORDS[kind] for kind in SafetyMeasure.Kind.values]
    assert len(set(words)) == len(words)


def test_there_are_no_words_for_kinds_that_do_not_exist():
    assert set(plan_words.MEASURE_KIND_WORDS) == set(SafetyMeasure.Kind.values)


@pytest.mark.parametrize("status", SafetyMeasure.Status.values)
def test_every_status_has_plain_words(status):
    assert status in plan_words.MEASURE_STATUS_WORDS, f"Add plain words for {status!r}"


def test_a_measure_says_whether_it_is_there_yet():
    assert plan_words.measure_status_in_plain_words("in_place") == "In place"
    assert plan_words.measure_status_in_plain_words("planned") == "Planned"


def test_the_words_name_no_service_agency_or_abuse():
    words = " ".join(
        [*plan_words.MEASURE_KIND_WORDS.values(), *plan_words.MEASURE_STATUS_WORDS.values()]
    ).lower()
    for word in ("police", "order", "abuse", "sanctuary", "respondent", "agency", "safety"):
        assert word not in words
