"""The breach form's question pages, in the order practitioners are asked: report, record,
consider. Which pages apply, and which comes next, depend on the answers so far."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import QueryDict

from orderwatch.breaches import forms
from orderwatch.breaches.drafts import BreachDraft
from orderwatch.breaches.models import Known
from orderwatch.breaches.selectors import OrderToPickFrom

REPORT, RECORD, CONSIDER = "Report", "Record", "Consider"


@dataclass(frozen=True)
class Question:
    slug: str
    section: str
    form: type[forms.QuestionForm]
    # Whether the page is asked, given the answers so far and whether the case has conditions.
    applies: Callable[[QueryDict, bool], bool] = lambda draft, has_conditions: True


def _answered(name: str, value: str) -> Callable[[QueryDict, bool], bool]:
    """Return a rule: the page is asked when the question `name` was answered `value`."""
    return lambda draft, _: draft.get(name) == value


QUESTIONS = (
    Question("police", REPORT, forms.PoliceReportedQuestion),
    Question(
        "police-not-reported",
        REPORT,
        forms.NotReportedQuestion,
        _answered("police_reported", "no"),
    ),
    Question(
        "police-report", REPORT, forms.PoliceReportQuestion, _answered("police_reported", "yes")
    ),
    Question("probation", REPORT, forms.ProbationQuestion),
    Question(
        "probation-told",
        REPORT,
        forms.ProbationToldQuestion,
        _answered("respondent_supervised", Known.GIVEN),
    ),
    Question("other-agencies", REPORT, forms.OtherAgenciesQuestion),
    Question(
        "other-agencies-told",
        REPORT,
        forms.OtherAgenciesDetailsQuestion,
        _answered("other_agencies", Known.GIVEN),
    ),
    Question("reported-to-you", RECORD, forms.ReportedToYouQuestion),
    Question("precision", RECORD, forms.PrecisionQuestion),
    Question("when", RECORD, forms.WhenQuestion),
    Question("where", RECORD, forms.WhereQuestion),
    Question("what-happened", RECORD, forms.WhatHappenedQuestion),
    Question("behaviour", RECORD, forms.BehaviourQuestion),
    Question("severity", RECORD, forms.SeverityQuestion),
    Question("others-present", CONSIDER, forms.OthersPresentQuestion),
    Question(
        "others-present-who",
        CONSIDER,
        forms.OthersPresentDetailsQuestion,
        _answered("others_present", Known.GIVEN),
    ),
    Question("witnesses", CONSIDER, forms.WitnessesQuestion),
    Question(
        "witnesses-who",
        CONSIDER,
        forms.WitnessDetailsQuestion,
        _answered("witnesses", Known.GIVEN),
    ),
    # With no conditions on any order, it matches none: nothing to ask.
    Question("conditions", CONSIDER, forms.ConditionsQuestion, lambda _, has: has),
    Question("actions", CONSIDER, forms.ActionsQuestion),
)
BY_SLUG = {question.slug: question for question in QUESTIONS}


@dataclass(frozen=True)
class Flow:
    """The question pages as they stand for one draft on one case."""

    orders: list[OrderToPickFrom]
    kept: BreachDraft

    def draft(self) -> QueryDict:
        """Return every answer on the pages that apply (an answer to a page that no longer
        applies, after an earlier answer changed, is left out)."""
        merged = QueryDict(mutable=True)
        for question in self.asked():
            merged.update(self.kept.page(question.slug))
        return merged

    def asked(self) -> list[Question]:
        """Return the pages that apply, in order (each decided by the answers before it)."""
        asked, so_far = [], QueryDict(mutable=True)
        for question in QUESTIONS:
            if question.applies(so_far, bool(self.orders)):
                asked.append(question)
                so_far.update(self.kept.page(question.slug))
        return asked

    def form(self, question: Question, data=None, **kwargs) -> forms.QuestionForm:
        return question.form(data, draft=self.draft(), orders=self.orders, **kwargs)

    def answered(self, question: Question) -> forms.QuestionForm | None:
        """Return the page's form with its answers if they are complete, else None."""
        if question.slug not in self.kept.pages:
            return None
        form = self.form(question, self.kept.page(question.slug))
        return form if form.is_valid() else None

    def first_unanswered(self) -> Question | None:
        """Return the first page that applies and is not answered completely."""
        return next((q for q in self.asked() if self.answered(q) is None), None)

    def after(self, question: Question) -> Question | None:
        asked = self.asked()
        later = asked[asked.index(question) + 1 :] if question in asked else []
        return later[0] if later else None

    def before(self, question: Question) -> Question | None:
        asked = self.asked()
        earlier = asked[: asked.index(question)] if question in asked else []
        return earlier[-1] if earlier else None
