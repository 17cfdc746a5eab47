"""An order in the victim-survivor's own words: what it forbids, at a glance and in full. No
Django here.

Written for a reading age of about 9 to 11 (short sentences, everyday words) and for someone who
may be frightened: it says what the respondent must not do, and never that something is allowed.
Where the order is silent it says "Not stated in the order"; where nobody has checked the
conditions against a copy it says "ask your worker". Every condition kind has its words here: a
test fails when a kind is added to `Condition.Kind` without them. Phone calls count as indirect
contact, as the condition kinds' own labels say.
"""

from collections.abc import Iterable
from dataclasses import dataclass

NO_NAME = "the person named in the order"  # `who` when the order names no respondent
FORBIDDEN = "No. The order says {who} must not."
NOT_STATED = "Not stated in the order. Ask your worker if you are not sure."
NOT_RECORDED = "Not recorded yet. Ask your worker."
READ_ABOUT_THE_HOME = "Read what the order says about the home, below."

# What each condition kind means, in plain words: the sentence and examples of what it covers.
# Kept close to the condition kinds' labels (orders.models.Condition.Kind); where a kind's reach
# depends on the order's exact words, the sentence sends the reader to those words.
CONDITION_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "no_direct_contact": (
        "{who} must not come up to you or speak to you.",
        (),
    ),
    "no_indirect_contact": (
        "{who} must not call you, write to you, send you messages or contact you online.",
        ("phone calls", "letters, cards or presents", "texts, emails or messages", "social media"),
    ),
    "no_third_party_contact": (
        "{who} must not get anyone else to contact you for them.",
        ("asking family or friends to pass on a message", "sending someone to see you"),
    ),
    "exclusion": (
        "{who} must not go to a place named in the order, or must keep away from an area.",
        (),
    ),
    "no_violence": (
        "{who} must not hurt you, or say they will hurt you.",
        (),
    ),
    "no_harassment": (
        "{who} must not scare you, threaten you or keep bothering you.",
        ("following or watching you", "turning up again and again"),
    ),
    "no_posting": (
        "{who} must not post anything about you.",
        ("social media", "websites and online groups"),
    ),
    "occupation": (
        "The order says who can live in the home, or who must stay out of it.",
        (),
    ),
    "other": (
        "The order tells {who} to do, or not to do, something else.",
        (),
    ),
}

# The questions at a glance, in the victim-survivor's terms, and the kinds that answer them.
GLANCE = (
    ("in_person", "Can {who} come up to you or speak to you?", ("no_direct_contact",)),
    (
        "other_ways",
        "Can {who} call you, write to you or send you messages?",
        ("no_indirect_contact",),
    ),
    ("through_others", "Can {who} get someone else to contact you?", ("no_third_party_contact",)),
    ("places", "Can {who} come to your home or a place in the order?", ("exclusion",)),
)
# Occupation terms say who may live in the home; some let the respondent stay in part of it, so
# they never answer "no" on their own.
HOME_KINDS = ("occupation",)

# How each contact kind reads in the one-sentence summary ("must not contact you …").
_CONTACT_WAYS = (
    ("no_direct_contact", "in person"),
    ("no_indirect_contact", "by phone, letter, message or online"),
    ("no_third_party_contact", "through anyone else"),
)

# What an order type is, in a sentence, by its catalogue code (orders/catalogue/uk.json). A
# test fails when the catalogue has a code with no sentence here.
ORDER_TYPE_WORDS: dict[str, str] = {
    "restraining_order_conviction": "A criminal court made this order.",
    "restraining_order_acquittal": "A criminal court made this order.",
    "non_molestation_order": "A family court made this order.",
    "occupation_order": "A family court made this order about who can live in the home.",
    "domestic_violence_protection_notice": "The police gave this notice. It lasts a short time.",
    "domestic_violence_protection_order": "A court made this order. It lasts a few weeks.",
    "domestic_abuse_protection_notice": "The police gave this notice. It lasts a short time.",
    "domestic_abuse_protection_order": "A court made this order.",
    "stalking_protection_order": "A court made this order to stop stalking.",
    "interim_stalking_protection_order": (
        "A court made this order to stop stalking, until it decides on a longer one."
    ),
    "forced_marriage_protection_order": "A court made this order to stop a forced marriage.",
    "fgm_protection_order": (
        "A court made this order to protect someone from female genital mutilation (FGM)."
    ),
}
# What breaking it means. Breach of most of these orders is an offence, but only without a
# reasonable excuse (and for some, only once the respondent knew of the order): "can be a crime".
# An occupation order is enforced by the court, and its power of arrest is not always attached.
BREAKING_AN_OFFENCE = "Breaking it can be a crime. The police can arrest {who} for it."
BREAKING_NOT_AN_OFFENCE: dict[str, str] = {
    "occupation_order": (
        "If {who} breaks it, tell your worker: the court can act on it. If {who} hurts or "
        "threatens you, call the police."
    ),
}
BREAKING_OTHERWISE = "If {who} breaks it, tell the police and your worker. The police can act."


@dataclass(frozen=True)
class PlainCondition:
    kind: str
    says: str
    covers: tuple[str, ...]  # examples of what it covers, for a bulleted list
    protects: str  # who else it protects, in the order's words, if it says
    exceptions: str  # what the order makes an exception for, in its own words, if anything
    wording: str  # the order's own words


@dataclass(frozen=True)
class GlanceAnswer:
    key: str
    question: str
    answer: str


def _fill(sentence: str, who: str) -> str:
    text = sentence.format(who=who)
    return text[:1].upper() + text[1:]


def condition_in_plain_words(
    *, kind: str, wording: str, who: str, protects: str = "", exceptions: str = ""
) -> PlainCondition:
    """Return one condition in plain words; `who` names the person the order is against."""
    sentence, covers = CONDITION_WORDS[kind]
    return PlainCondition(
        kind=kind,
        says=_fill(sentence, who),
        covers=covers,
        protects=protects,
        exceptions=exceptions,
        wording=wording,
    )


def at_a_glance(kinds: Iterable[str], *, copy_checked: bool, who: str) -> list[GlanceAnswer]:
    """Answer each glance question: no, or not stated (never "yes": silence in the order is not
    permission, and the person reading may be in danger)."""
    present = set(kinds)
    answers = []
    for key, question, answering in GLANCE:
        if present & set(answering):
            answer = _fill(FORBIDDEN, who)
        elif key == "places" and present & set(HOME_KINDS):
            answer = READ_ABOUT_THE_HOME
        else:
            answer = NOT_STATED if copy_checked else NOT_RECORDED
        answers.append(GlanceAnswer(key=key, question=_fill(question, who), answer=answer))
    return answers


def contact_summary(kinds: Iterable[str], *, who: str) -> str:
    """Return one sentence on the contact the order forbids ("… must not contact you in person,
    or through anyone else."), or "" when it forbids none."""
    present = set(kinds)
    ways = [words for kind, words in _CONTACT_WAYS if kind in present]
    if not ways:
        return ""
    joined = ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + ", or " + ways[-1]
    if len(ways) == len(_CONTACT_WAYS):
        return _fill("{who} must not contact you in any way: " + joined + ".", who)
    return _fill("{who} must not contact you " + joined + ".", who)


def order_type_in_plain_words(code: str, *, breach_is_offence: bool, who: str) -> str:
    """Return what the order is and what breaking it means, in short sentences."""
    what = ORDER_TYPE_WORDS.get(code, "A court or the police made this order.")
    if breach_is_offence:
        breaking = BREAKING_AN_OFFENCE
    else:
        breaking = BREAKING_NOT_AN_OFFENCE.get(code, BREAKING_OTHERWISE)
    return f"{what} {_fill(breaking, who)}"
