""" "Is this a breach?": what kind of thing happened, and which of an order's conditions may cover
it. No Django here.

The answer is only ever "this may be a breach" or "your order may still cover this": never "this
is not a breach". Whether something is a breach is for the police and the court; the diary's job
is to make sure it is written down and told. So the kinds each answer names are wide on purpose
(a call may count as direct or indirect contact, depending on the order's words).
"""

from collections.abc import Iterable
from enum import StrEnum


class Happened(StrEnum):
    CONTACT = "contact"
    MESSAGES = "messages"
    THIRD_PARTY = "third_party"
    PLACE = "place"
    ONLINE = "online"
    OTHER = "other"


# What the victim-survivor ticks, in their words.
HAPPENED_LABELS = {
    Happened.CONTACT: "They came up to me or spoke to me",
    Happened.MESSAGES: "They called me, or sent me messages, letters or presents",
    Happened.THIRD_PARTY: "Someone passed on a message from them",
    Happened.PLACE: "They came to my home, or somewhere near me",
    Happened.ONLINE: "They posted about me, or contacted me online",
    Happened.OTHER: "Something else",
}

# The condition kinds (orders.models.Condition.Kind) that may cover each kind of thing, most
# specific first. Harassment and violence conditions may cover almost anything done again and
# again, or in a frightening way. A test fails when a condition kind is covered by none.
MAY_BE_COVERED_BY: dict[Happened, tuple[str, ...]] = {
    Happened.CONTACT: ("no_direct_contact", "no_violence", "no_harassment"),
    Happened.MESSAGES: ("no_indirect_contact", "no_direct_contact", "no_harassment"),
    Happened.THIRD_PARTY: ("no_third_party_contact", "no_indirect_contact", "no_harassment"),
    Happened.PLACE: ("exclusion", "occupation", "no_harassment"),
    Happened.ONLINE: ("no_posting", "no_indirect_contact", "no_harassment"),
    Happened.OTHER: ("other", "no_violence", "no_harassment"),
}

MAY_BE_A_BREACH = "This may be a breach of your order."
MAY_STILL_BE_COVERED = (
    "Your order, or the law, may still cover this. Tell your worker so they can check."
)
WHAT_TO_DO = (
    "Save this note, and tell your worker or the police. If you are in danger now, call 999."
)


def conditions_that_may_cover(happened: Happened | str, kinds: Iterable[str]) -> list[str]:
    """Return which of the order's condition kinds may cover what happened, most specific
    first; an empty list means "your order may still cover this", never "not a breach"."""
    present = set(kinds)
    return [kind for kind in MAY_BE_COVERED_BY[Happened(happened)] if kind in present]
