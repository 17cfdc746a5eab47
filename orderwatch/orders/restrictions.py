"""Restrictions at a glance: does the order forbid direct, indirect, third-party contact, and
going to an address or area? No Django here.

"Yes" when a condition of that kind is recorded. "No" only when the conditions have been
checked against a copy of the order and none is of that kind. Otherwise "Not stated": without
the copy nobody can say the order allows it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

YES, NO, NOT_STATED = "Yes", "No", "Not stated"

# (question key, the question a practitioner asks, the condition kinds that answer it).
# Occupation terms usually keep the respondent out of the home, so they answer "kept away".
GLANCE = (
    ("no_direct_contact", "Direct contact forbidden?", ("no_direct_contact",)),
    (
        "no_indirect_contact",
        "Indirect contact forbidden (letters, phone, messages, social media)?",
        ("no_indirect_contact",),
    ),
    (
        "no_third_party_contact",
        "Contact through someone else forbidden?",
        ("no_third_party_contact",),
    ),
    ("exclusion", "Kept away from an address or area?", ("exclusion", "occupation")),
)


@dataclass(frozen=True)
class Restriction:
    kind: str
    question: str
    answer: str
    wordings: tuple[str, ...]


def restrictions_at_a_glance(
    conditions: Iterable[tuple[str, str]], *, copy_verified: bool
) -> list[Restriction]:
    """Return one answer per question from (kind, exact wording) pairs."""
    wordings: dict[str, list[str]] = {}
    for kind, wording in conditions:
        wordings.setdefault(kind, []).append(wording)
    answers = []
    for kind, question, answering_kinds in GLANCE:
        found = tuple(w for k in answering_kinds for w in wordings.get(k, ()))
        answer = YES if found else (NO if copy_verified else NOT_STATED)
        answers.append(Restriction(kind, question, answer, found))
    return answers
