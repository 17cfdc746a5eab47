"""Breaches and incidents counted apart, in words (ADR 0030)."""

import pytest

from orderwatch.breaches.counting import breaches_and_incidents


@pytest.mark.parametrize(
    ("breaches", "incidents", "evidence", "words"),
    [
        (0, 0, 0, "No breaches or incidents"),
        (1, 0, 0, "1 breach"),
        (2, 0, 0, "2 breaches"),
        (0, 1, 0, "1 incident"),
        (0, 3, 0, "3 incidents"),
        (2, 1, 0, "2 breaches and 1 incident"),
        (1, 2, 0, "1 breach and 2 incidents"),
        (1, 1, 1, "1 breach, 1 incident and 1 evidence item marked as an incident"),
        (2, 0, 3, "2 breaches and 3 evidence items marked as an incident"),
        (0, 0, 1, "1 evidence item marked as an incident"),
    ],
)
def test_each_kind_is_counted_apart_with_its_own_singular_or_plural(
    breaches, incidents, evidence, words
):
    assert breaches_and_incidents(breaches, incidents, evidence) == words


def test_a_count_below_nought_is_a_mistake_not_words():
    with pytest.raises(ValueError, match="below nought"):
        breaches_and_incidents(1, -1)
