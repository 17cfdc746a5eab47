"""The closing checklist's rules, without a database (`cases/closing.py` is pure)."""

from hypothesis import given
from hypothesis import strategies as st

from orderwatch.cases.closing import (
    NOT_YET,
    QUESTIONS,
    ItemKind,
    OpenItem,
    checklist_problems,
    checklist_record,
)

ORDER = OpenItem(ItemKind.ORDER, "o1", "the non-molestation order (in force)")
TASK = OpenItem(ItemKind.TASK, "t1", "the task “Ring the school”")


def test_nothing_open_means_nothing_to_decide():
    assert checklist_problems([], {}) == {}
    assert checklist_record([], {}) == {}


def test_each_undecided_item_is_named_and_not_yet_says_what_to_do_first():
    problems = checklist_problems([ORDER, TASK], {"task-t1": NOT_YET})
    assert problems == {
        "order-o1": "Choose what happens to the non-molestation order (in force)",
        "task-t1": "Finish the task first, then close the case",
    }


def test_an_unknown_decision_counts_as_undecided():
    assert checklist_problems([ORDER], {"order-o1": "discharge_it"}) == {
        "order-o1": "Choose what happens to the non-molestation order (in force)"
    }


def test_the_record_keeps_ids_and_codes_only():
    decisions = {"order-o1": "stays_in_force", "task-t1": "close_with_case", "stray": "x"}
    assert checklist_problems([ORDER, TASK], decisions) == {}
    assert checklist_record([ORDER, TASK], decisions) == {
        "order-o1": "stays_in_force",
        "task-t1": "close_with_case",
    }


def test_every_kind_of_item_has_a_way_to_close_and_not_yet_is_never_it():
    assert set(QUESTIONS) == set(ItemKind)
    for question in QUESTIONS.values():
        assert question.close_code != NOT_YET
        assert question.stops.endswith("then close the case")


@given(
    kinds=st.lists(st.sampled_from(list(ItemKind)), max_size=8),
    answers=st.lists(st.sampled_from(["close", NOT_YET, ""]), min_size=8, max_size=8),
)
def test_the_case_may_close_exactly_when_every_item_has_its_closing_decision(kinds, answers):
    items = [OpenItem(kind, str(n), f"item {n}") for n, kind in enumerate(kinds)]
    decisions = {
        item.field: item.question.close_code if answer == "close" else answer
        for item, answer in zip(items, answers, strict=False)
    }
    problems = checklist_problems(items, decisions)
    assert set(problems) == {
        item.field for item in items if decisions[item.field] != item.question.close_code
    }
