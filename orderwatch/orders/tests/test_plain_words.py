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
    assert plain.says == "The person named in the order must not come up to you or speak to you."
    about = plain_words.order_type_in_plain_words(
        "non_molestation_order", breach_is_offence=True, who=plain_words.NO_NAME
    )
    assert about.endswith(
        "Breaking it can be a crime. The police can arrest the person named in the order for it."
    )


def test_breaking_an_order_is_never_said_to_be_a_crime_for_certain():
    """Breach is an offence only without a reasonable excuse, and for some orders only once
    the respondent knew of it (the catalogue's `breach` notes): "can be", never "is"."""
    for entry in read_catalogue()["order_types"]:
        about = plain_words.order_type_in_plain_words(
            entry["code"], breach_is_offence=entry["breach_is_offence"], who="Mark"
        )
        assert "is a crime" not in about
        assert ("can be a crime" in about) is entry["breach_is_offence"]


def test_an_occupation_order_is_for_the_court_and_harm_for_the_police():
    about = plain_words.order_type_in_plain_words(
        "occupation_order", breach_is_offence=False, who="Mark"
    )
    assert "crime" not in about
    assert "the court can act on it" in about
    assert "If Mark hurts or threatens you, call the police." in about


@pytest.mark.parametrize(
    "kinds",
    [
        kinds
        for size in range(4)
        for kinds in itertools.combinations(["no_direct_contact", "exclusion", "other"], size)
    ],
)
@pytest.mark.parametrize("copy_checked", [True, False])
def test_the_glance_says_no_or_not_stated_and_never_yes(kinds, copy_checked):
    answers = plain_words.at_a_glance(kinds, copy_checked=copy_checked, who="Mark")
    forbidden = "No. The order says Mark must not."
    silent = plain_words.NOT_STATED if copy_checked else plain_words.NOT_RECORDED
    assert {a.answer for a in answers} <= {forbidden, silent}
    assert all(a.question.startswith("Can Mark ") for a in answers)
    by_key = {a.key: a.answer for a in answers}
    assert (by_key["in_person"] == forbidden) == ("no_direct_contact" in kinds)
    assert (by_key["places"] == forbidden) == ("exclusion" in kinds)


def test_a_glance_not_checked_against_a_copy_says_ask_your_worker():
    (answer, *_) = plain_words.at_a_glance([], copy_checked=False, who="Mark")
    assert answer.answer == "Not recorded yet. Ask your worker."


def test_an_occupation_order_alone_sends_the_reader_to_its_words_about_the_home():
    answers = plain_words.at_a_glance(["occupation"], copy_checked=True, who="Mark")
    assert {a.key: a.answer for a in answers}["places"] == plain_words.READ_ABOUT_THE_HOME


def test_the_contact_summary_joins_what_the_order_forbids():
    assert plain_words.contact_summary([], who="Mark") == ""
    assert plain_words.contact_summary(["no_violence"], who="Mark") == ""
    assert (
        plain_words.contact_summary(["no_third_party_contact"], who="Mark")
        == "Mark must not contact you through anyone else."
    )
    assert plain_words.contact_summary(
        ["no_direct_contact", "no_third_party_contact"], who="Mark"
    ) == ("Mark must not contact you in person, or through anyone else.")
    assert plain_words.contact_summary(
        ["no_third_party_contact", "no_indirect_contact", "no_direct_contact"], who="Mark"
    ) == (
        "Mark must not contact you in any way: in person, by phone, letter, message or "
        "online, or through anyone else."
    )


def test_phone_calls_are_indirect_contact_as_the_condition_kinds_say():
    direct = plain_words.condition_in_plain_words(kind="no_direct_contact", wording="", who="M")
    indirect = plain_words.condition_in_plain_words(kind="no_indirect_contact", wording="", who="M")
    assert "call" not in direct.says
    assert "call you" in indirect.says
    assert "phone" in str(Condition.Kind.NO_INDIRECT_CONTACT.label)


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
    assert "is a crime" not in words
    assert "999" in breach_check.WHAT_TO_DO
