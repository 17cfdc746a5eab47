"""An order in the victim-survivor's own words: what it forbids, at a glance and in full. No
Django here.

Written for a reading age of about 9 to 11 (short sentences, everyday words) and for someone who
may be frightened: it says what the respondent must not do, never what they may do. Where the
order is silent it says "Not stated in the order"; where nobody has checked the conditions
against a copy it says "ask your worker". Every condition kind has its wording here: a test
fails when a kind is added to `Condition.Kind` without one.
"""

from collections.abc import Iterable
from dataclasses import dataclass

NOT_STATED = "Not stated in the order"
NO_NAME = "the person named in the order"  # `who` when the order names no respondent
FORBIDDEN = "The order says no"
ASK_YOUR_WORKER = "Ask your worker to check this with the order."

# What each condition kind means, in plain words: the sentence ("{who} must not …") and what it
# covers. Kept close to the condition kinds' own labels (orders.models.Condition.Kind); where a
# kind's reach depends on the order's exact words, the sentence sends them to those words.
CONDITION_WORDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "no_direct_contact": (
        "{who} must not contact you themself.",
        ("coming up to you or speaking to you", "calling you"),
    ),
    "no_indirect_contact": (
        "{who} must not contact you in other ways either.",
        ("letters, cards or presents", "texts, emails or other messages", "social media"),
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
        "{who} must not frighten you, upset you or keep bothering you.",
        ("following or watching you", "turning up again and again", "threats"),
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
# Occupation terms usually keep the respondent out of the home, so they answer the last one.
GLANCE = (
    ("in_person", "Contacting you themself", ("no_direct_contact",)),
    ("other_ways", "Letters, texts, messages or social media", ("no_indirect_contact",)),
    ("through_others", "Getting someone else to contact you", ("no_third_party_contact",)),
    ("places", "Going to your home or a place in the order", ("exclusion", "occupation")),
)

# How each contact kind reads in the one-sentence summary ("must not contact you …").
_CONTACT_WAYS = (
    ("no_direct_contact", "in person or by calling you"),
    ("no_indirect_contact", "by letter, message or social media"),
    ("no_third_party_contact", "through anyone else"),
)

# What an order type is, in a sentence, by its catalogue code (orders/catalogue/uk.json). A
# test fails when the catalogue has a code with no sentence here.
ORDER_TYPE_WORDS: dict[str, str] = {
    "restraining_order_conviction": "A criminal court made this order to protect you.",
    "restraining_order_acquittal": "A criminal court made this order to protect you.",
    "non_molestation_order": "A family court made this order to protect you.",
    "occupation_order": "A family court made this order about who can live in the home.",
    "domestic_violence_protection_notice": (
        "The police gave this notice to keep you safe for a short time."
    ),
    "domestic_violence_protection_order": (
        "A court made this order to keep you safe for a few weeks."
    ),
    "domestic_abuse_protection_notice": (
        "The police gave this notice to keep you safe for a short time."
    ),
    "domestic_abuse_protection_order": "A court made this order to protect you.",
    "stalking_protection_order": "A court made this order to stop stalking.",
    "interim_stalking_protection_order": (
        "A court made this order to stop stalking until it decides on a longer one."
    ),
    "forced_marriage_protection_order": (
        "A court made this order to stop a forced marriage and keep you safe."
    ),
    "fgm_protection_order": "A court made this order to protect you from FGM.",
}


@dataclass(frozen=True)
class PlainCondition:
    kind: str
    says: str
    covers: tuple[str, ...]  # examples of what it covers, for a bulleted list
    protects: str  # who else it protects, in the order's words, if it says
    exceptions: str  # what the order allows, in its own words, if anything
    wording: str  # the order's own words


@dataclass(frozen=True)
class GlanceAnswer:
    key: str
    question: str
    answer: str  # FORBIDDEN or NOT_STATED
    ask_your_worker: bool  # not checked against a copy of the order


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


def at_a_glance(kinds: Iterable[str], *, copy_checked: bool) -> list[GlanceAnswer]:
    """Answer each glance question: forbidden, or not stated (never "allowed": silence in the
    order is not permission, and the person reading may be in danger)."""
    present = set(kinds)
    return [
        GlanceAnswer(
            key=key,
            question=question,
            answer=FORBIDDEN if present & set(answering) else NOT_STATED,
            ask_your_worker=not copy_checked,
        )
        for key, question, answering in GLANCE
    ]


def contact_summary(kinds: Iterable[str], *, who: str) -> str:
    """Return one sentence on the contact the order forbids ("… must not contact you in person
    or by calling you, or through anyone else."), or "" when it forbids none."""
    present = set(kinds)
    ways = [words for kind, words in _CONTACT_WAYS if kind in present]
    if not ways:
        return ""
    if len(ways) == len(_CONTACT_WAYS):
        return _fill("{who} must not contact you in any way: " + ", ".join(ways) + ".", who)
    joined = ways[0] if len(ways) == 1 else ", ".join(ways[:-1]) + ", or " + ways[-1]
    return _fill("{who} must not contact you " + joined + ".", who)


def order_type_in_plain_words(code: str, *, breach_is_offence: bool, who: str) -> str:
    """Return what the order is and what breaking it means, in two short sentences."""
    what = ORDER_TYPE_WORDS.get(code, "A court or the police made this order to protect you.")
    if breach_is_offence:
        breaking = _fill("If {who} breaks it, that is a crime.", who)
    else:
        breaking = _fill("If {who} breaks it, the police and the court can act on it.", who)
    return f"{what} {breaking}"
