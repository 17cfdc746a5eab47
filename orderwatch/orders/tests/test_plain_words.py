"""The order in the victim-survivor's words: every condition kind and order type has them, and
silence in the order is never turned into permission."""

import itertools

import pytest

from orderwatch.diary import breach_check
from orderwatch.orders import plain_words
from orderwatch.orders.catalogue import read_catalogue
from orderwatch.orders.models import Condition

KINDS = list(Condition.Kind.values)


@pytest.mark.parametrize("kind", KINDS)
def test_every_condition_kind_has_plain_words_naming_the_respondent(kind):
    plain = plain_words.condition_in_plain_words(kind=kind, wording="The words.", who="Mark")
    assert plain.says
    assert plain.says[0].isupper()
    assert plain.wording == "The words."
    if "{who}" in plain_words.CONDITION_WORDS[kind][0]:
        assert "Mark" in plain.says


def test_a_condition_kind_without_plain_words_fails_here():
    """The generator covers the catalogue of kinds exactly: a new kind needs its words."""
    assert set(plain_words.CONDITION_WORDS) == set(KINDS)


def test_every_order_type_in_the_catalogue_has_plain_words():
    codes = {entry["code"] for entry in read_catalogue()["order_types"]}
    assert codes <= set(plain_words.ORDER_TYPE_WORDS)


def test_without_a_respondent_the_order_speaks_of_the_person_named_in_it():
    plain = plain_words.condition_in_plain_words(
        kind="no_direct_contact", wording="w", who=plain_words.NO_NAME
    )
    assert plain.says == "The person named in the order must not contact you themself."
    about = plain_words.order_type_in_plain_words(
        "non_molestation_order", breach_is_offence=True, who=plain_words.NO_NAME
    )
    assert about.endswith("If the person named in the order breaks it, that is a crime.")


def test_breaking_an_order_that_is_no_offence_is_not_called_a_crime():
    about = plain_words.order_type_in_plain_words(
        "occupation_order", breach_is_offence=False, who="Mark"
    )
    assert "crime" not in about
    assert "the police and the court can act on it" in about


@pytest.mark.parametrize(
    "kinds",
    [
        kinds
        for size in range(4)
        for kinds in itertools.combinations(["no_direct_contact", "exclusion", "other"], size)
    ],
)
@pytest.mark.parametrize("copy_checked", [True, False])
def test_the_glance_says_forbidden_or_not_stated_and_never_allowed(kinds, copy_checked):
    answers = plain_words.at_a_glance(kinds, copy_checked=copy_checked)
    assert {a.answer for a in answers} <= {plain_words.FORBIDDEN, plain_words.NOT_STATED}
    assert all(a.ask_your_worker is not copy_checked for a in answers)
    by_key = {a.key: a.answer for a in answers}
    assert (by_key["in_person"] == plain_words.FORBIDDEN) == ("no_direct_contact" in kinds)
    assert (by_key["places"] == plain_words.FORBIDDEN) == ("exclusion" in kinds)


def test_the_contact_summary_joins_what_the_order_forbids():
    assert plain_words.contact_summary([], who="Mark") == ""
    assert plain_words.contact_summary(["no_violence"], who="Mark") == ""
    assert (
        plain_words.contact_summary(["no_third_party_contact"], who="Mark")
        == "Mark must not contact you through anyone else."
    )
    assert plain_words.contact_summary(
        ["no_direct_contact", "no_third_party_contact"], who="Mark"
    ) == ("Mark must not contact you in person or by calling you, or through anyone else.")
    assert plain_words.contact_summary(
        ["no_third_party_contact", "no_indirect_contact", "no_direct_contact"], who="Mark"
    ) == (
        "Mark must not contact you in any way: in person or by calling you, by letter, "
        "message or social media, through anyone else."
    )


# "Is this a breach?"


def test_every_condition_kind_can_be_named_by_is_this_a_breach():
    covered = {kind for kinds in breach_check.MAY_BE_COVERED_BY.values() for kind in kinds}
    assert covered == set(KINDS)
    assert set(breach_check.MAY_BE_COVERED_BY) == set(breach_check.Happened)
    assert set(breach_check.HAPPENED_LABELS) == set(breach_check.Happened)


def test_someone_passing_on_a_message_names_the_third_party_condition_first():
    assert breach_check.conditions_that_may_cover(
        "third_party", ["no_harassment", "no_indirect_contact", "no_third_party_contact"]
    ) == ["no_third_party_contact", "no_indirect_contact", "no_harassment"]
    assert breach_check.conditions_that_may_cover("place", ["no_direct_contact"]) == []


def test_the_diary_never_says_something_is_not_a_breach():
    words = " ".join(
        [
            breach_check.MAY_BE_A_BREACH,
            breach_check.MAY_STILL_BE_COVERED,
            breach_check.WHAT_TO_DO,
            *breach_check.HAPPENED_LABELS.values(),
            *(sentence for sentence, _ in plain_words.CONDITION_WORDS.values()),
        ]
    ).lower()
    assert "not a breach" not in words
    assert "allowed" not in words
    assert "999" in breach_check.WHAT_TO_DO
