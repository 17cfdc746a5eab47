"""The closing checklist: what is still open on a case, and the decision each needs (ADR 0037).

Pure: no Django. The selector lists the open items; this module says what may be decided about
each and whether the decisions given let the case close. Every item offers one way to close and
"not yet": choosing "not yet" is a decision too, and it stops the closing with what to do first.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

NOT_YET = "not_yet"


class ItemKind(StrEnum):
    ORDER = "order"
    TASK = "task"
    PARTY = "party"
    DIARY = "diary"
    EXPORT = "export"


@dataclass(frozen=True)
class Question:
    """What is asked about one kind of item: the question, the way to close, and "not yet"."""

    question: str
    close_code: str
    close_label: str
    not_yet_label: str
    stops: str  # what the page says when "not yet" is chosen


QUESTIONS: dict[ItemKind, Question] = {
    ItemKind.ORDER: Question(
        question="What does closing the case mean for this order?",
        close_code="stays_in_force",
        close_label="Keep it on record as in force: the court order continues after the case "
        "closes, and closing the case does not end it",
        not_yet_label="Not yet: the order has been discharged or varied, and I will record that "
        "on the order first",
        stops="Record the change on the order first, then close the case",
    ),
    ItemKind.TASK: Question(
        question="What happens to this task?",
        close_code="close_with_case",
        close_label="Close it with the case",
        not_yet_label="Not yet: I will finish it first",
        stops="Finish the task first, then close the case",
    ),
    ItemKind.PARTY: Question(
        question="This party has not heard the latest. What happens?",
        close_code="no_further_update",
        close_label="Close without telling them: they do not need to hear more about this case",
        not_yet_label="Not yet: I will tell them first and record it in the sharing log",
        stops="Tell them and record it in the sharing log first, then close the case",
    ),
    ItemKind.DIARY: Question(
        question="The victim-survivor's diary is still open. What happens?",
        close_code="end_with_case",
        close_label="End their diary access when the case closes: their entries stay on the "
        "case as evidence",
        not_yet_label="Not yet: I will talk to the victim-survivor first",
        stops="Talk to the victim-survivor about their diary first, then close the case",
    ),
    ItemKind.EXPORT: Question(
        question="A document is still being prepared. What happens?",
        close_code="let_it_finish",
        close_label="Let it finish: it stays for whoever asked for it, for the usual time",
        not_yet_label="Not yet: I will wait until it is ready",
        stops="Wait until the document is ready, then close the case",
    ),
}


@dataclass(frozen=True)
class OpenItem:
    """Something still open on a case, named for the page (`label`) and by id for the record."""

    kind: ItemKind
    id: str
    label: str
    link: str = ""

    @property
    def field(self) -> str:
        """The form field (and the key in the closing's record) for this item's decision."""
        return f"{self.kind}-{self.id}"

    @property
    def question(self) -> Question:
        return QUESTIONS[self.kind]


def checklist_problems(items: Iterable[OpenItem], decisions: Mapping[str, str]) -> dict[str, str]:
    """Return, for each item not decided or decided "not yet", what the page should say."""
    problems = {}
    for item in items:
        decision = decisions.get(item.field, "")
        if decision == item.question.close_code:
            continue
        if decision == NOT_YET:
            problems[item.field] = item.question.stops
        else:
            problems[item.field] = f"Choose what happens to {item.label}"
    return problems


def checklist_record(items: Iterable[OpenItem], decisions: Mapping[str, str]) -> dict[str, str]:
    """Return what is kept on the closing's record: each item's field and its decision code
    (ids and codes only, never a label). Call it once `checklist_problems` finds none."""
    return {item.field: decisions[item.field] for item in items}
