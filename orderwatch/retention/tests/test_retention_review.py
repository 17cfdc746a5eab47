"""A closed case's retention review, set by the close flow and cleared by the reopen flow."""

import datetime as dt

import pytest
from django.db import transaction

from orderwatch.access.policy import case_lock_for_change
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Breach
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CasePersonFactory
from orderwatch.evidence.tests.factories import item_added
from orderwatch.retention.models import CaseRetention
from orderwatch.retention.schedule import read_schedule
from orderwatch.retention.selectors import case_retention_facts
from orderwatch.retention.services.holds import (
    case_retention_review_clear,
    case_retention_review_set,
)

pytestmark = pytest.mark.django_db
CLOSED = dt.date(2026, 12, 4)


def _close(actor, case, **kwargs) -> CaseRetention:
    """As the close flow will: the case row locked first, in one transaction."""
    with transaction.atomic():
        locked = case_lock_for_change(actor, case.pk)
        return case_retention_review_set(actor=actor, case=locked, closed_on=CLOSED, **kwargs)


def test_an_adult_case_is_reviewed_6_years_after_closing_and_audited(practitioner, case):
    review = _close(practitioner, case)
    assert (review.retention_class, review.review_on) == ("adult_case_record", dt.date(2032, 12, 4))
    assert review.classes == ["adult_case_record"]
    assert review.schedule_version == read_schedule().version
    event = AuditEvent.objects.get(verb=Verb.RETENTION_REVIEW_SET)
    assert event.case_id == case.pk
    assert event.payload["review_on"] == "2032-12-04"


def test_the_youngest_childs_date_of_birth_sets_the_review(practitioner, case):
    CasePersonFactory(case=case, role=CasePerson.Role.CHILD, date_of_birth=dt.date(2012, 1, 9))
    CasePersonFactory(case=case, role=CasePerson.Role.CHILD, date_of_birth=dt.date(2018, 7, 1))
    # A respondent's date of birth does not count, however young.
    CasePersonFactory(case=case, role=CasePerson.Role.RESPONDENT, date_of_birth=dt.date(2020, 1, 1))
    review = _close(practitioner, case)
    assert (review.retention_class, review.review_on) == ("children_involved", dt.date(2043, 7, 1))


def test_a_child_with_no_date_of_birth_keeps_the_case_25_years(practitioner, case):
    CasePersonFactory(case=case, role=CasePerson.Role.CHILD, date_of_birth=None)
    assert _close(practitioner, case).review_on == dt.date(2051, 12, 4)


def test_evidence_or_a_breach_means_confirming_before_disposal(practitioner, case):
    assert not case_retention_facts(case=case, closed_on=CLOSED).evidence_may_be_relevant
    item_added(actor=practitioner, case=case)
    review = _close(practitioner, case)
    assert review.confirm_before_disposal
    assert "proceedings_possible" in review.classes


def test_a_breach_counts_as_possibly_relevant(practitioner, case):
    BreachFactory(case=case)
    assert Breach.objects.filter(case=case).exists()
    assert case_retention_facts(case=case, closed_on=CLOSED).evidence_may_be_relevant


def test_what_the_closer_said_about_proceedings_is_taken_over_the_record(practitioner, case):
    review = _close(practitioner, case, evidence_may_be_relevant=True)
    assert review.confirm_before_disposal


def test_closing_again_replaces_the_review(practitioner, case):
    _close(practitioner, case)
    CasePersonFactory(case=case, role=CasePerson.Role.CHILD, date_of_birth=dt.date(2020, 2, 29))
    review = _close(practitioner, case)
    assert CaseRetention.objects.get(case=case) == review
    assert review.review_on == dt.date(2045, 2, 28)


def test_the_case_row_must_be_locked_first(practitioner, case):
    with pytest.raises(RuntimeError, match="Lock the case row"):
        case_retention_review_set(actor=practitioner, case=case, closed_on=CLOSED)
    assert not CaseRetention.objects.exists()


def test_reopening_clears_the_review_and_is_audited(practitioner, case):
    _close(practitioner, case)
    with transaction.atomic():
        locked = case_lock_for_change(practitioner, case.pk)
        case_retention_review_clear(actor=practitioner, case=locked)
        case_retention_review_clear(actor=practitioner, case=locked)  # nothing left: no-op
    assert not CaseRetention.objects.exists()
    assert AuditEvent.objects.filter(verb=Verb.RETENTION_REVIEW_CLEARED).count() == 1
