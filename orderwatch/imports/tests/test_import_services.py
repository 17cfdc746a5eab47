"""The dry run and the import: the services' own checks, all or nothing, audited (ADR 0043)."""

import uuid
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case, CasePerson, CaseTeamMembership
from orderwatch.core.submissions import SubmittedAlready
from orderwatch.imports import services
from orderwatch.imports.models import CaseImport
from orderwatch.imports.services import case_import_check, case_import_confirm
from orderwatch.imports.tests.files import csv_text, order_row
from orderwatch.notifications.models import Notification
from orderwatch.orders.models import Condition, Order

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, email="lead@example.org")


def problems(outcome) -> list[str]:
    return [f"Row {problem.row}: {problem.message}" for problem in outcome.problems]


def two_cases() -> str:
    return csv_text(
        order_row(case_key="A"),
        order_row(
            case_key="A",
            victim_given_name="",
            order_type="domestic_violence_protection_order",
            made_on="2026-02-01",
            starts_on="2026-02-01",
            ends_on="2026-02-28",
            condition_1_kind="",
            condition_1_wording="",
        ),
        order_row(case_key="B", victim_given_name="Val", respondent_given_name="Rob"),
    )


def nothing_created() -> bool:
    return (
        not Case.objects.exists()
        and not CaseImport.objects.exists()
        and not AuditEvent.objects.filter(verb__in=[Verb.CASE_CREATED, Verb.ORDER_ADDED]).exists()
    )


def test_the_dry_run_counts_what_a_good_file_would_add_and_adds_nothing(agency_admin, lead):
    outcome = case_import_check(actor=agency_admin, text=two_cases())
    assert problems(outcome) == []
    # Two victim-survivors, two respondents, one child (protected in both of case A's orders).
    assert (outcome.cases, outcome.people, outcome.orders, outcome.conditions) == (2, 6, 3, 2)
    assert nothing_created()
    assert not Notification.objects.exists()


def test_the_dry_run_reports_the_services_refusals_row_by_row_and_adds_nothing(
    agency_admin, lead, police
):
    UserFactory(agency=police, role=User.Role.PRACTITIONER, email="officer@example.org")
    text = csv_text(
        order_row(case_key="A"),
        order_row(case_key="B", lead_email="officer@example.org"),  # another agency's
        order_row(case_key="C", lead_email="nobody@example.org"),  # no such account
        order_row(case_key="D", ends_on="2025-12-31"),  # before it starts
        order_row(
            case_key="E",
            order_type="domestic_violence_protection_order",  # 28 days at most
            ends_on="2026-03-31",
        ),
        order_row(case_key="F", ends_on="", until_further_order="yes", served_on="2026-01-01"),
        order_row(case_key="G", made_on=""),
    )
    outcome = case_import_check(actor=agency_admin, text=text)
    refused = "Choose someone from your agency who works with families"
    assert problems(outcome) == [
        f"Row 3: {refused}",
        f"Row 4: {refused}",
        "Row 5: The end date must be the same as or after the start date",
        "Row 6: A domestic violence protection order (dvpo) lasts at most 28 days. Check the dates",
        "Row 7: The date it was served must be the same as or after it was made",
        "Row 8: Enter the date the order was made",
    ]
    assert [problem.column for problem in outcome.problems[:3]] == [
        "lead_email",
        "lead_email",
        "ends_on",
    ]
    assert nothing_created()


def test_a_lead_who_does_not_work_with_families_is_refused(agency_admin, idva_service):
    UserFactory(agency=idva_service, role=User.Role.AUDITOR, email="lead@example.org")
    outcome = case_import_check(actor=agency_admin, text=csv_text(order_row()))
    assert problems(outcome) == ["Row 2: Choose someone from your agency who works with families"]


def test_the_import_adds_every_case_led_by_the_named_lead_with_the_usual_audit(agency_admin, lead):
    with TestCase.captureOnCommitCallbacks(execute=True):
        record = case_import_confirm(
            actor=agency_admin, text=two_cases(), submission_key=uuid.uuid4()
        )
    cases = Case.objects.order_by("created_at")
    assert record.references == [case.reference for case in cases]
    assert (record.cases, record.people, record.orders, record.conditions) == (2, 6, 3, 2)
    leads = CaseTeamMembership.objects.filter(is_lead=True)
    assert {(m.user, m.capacity, m.agency_id) for m in leads} == {
        (lead, "Allocated IDVA", lead.agency_id)
    }
    assert leads.count() == 2
    first = cases[0]
    assert first.created_by == agency_admin
    assert sorted(first.people.values_list("role", flat=True)) == [
        "child",
        "respondent",
        "victim_survivor",
    ]
    order = Order.objects.get(case=first, order_type__code="non_molestation_order")
    assert order.court_reference == "FC-0001"
    assert order.respondent.full_name == "Ray Example"
    assert {p.full_name for p in order.protected_people.all()} == {"Vicky Example", "Kit Example"}
    assert Condition.objects.get(order=order).wording == "Must not contact the applicant directly."
    # The ordinary events, each by the administrator, and one for the import: counts only.
    verbs = list(AuditEvent.objects.filter(case_id=first.pk).values_list("verb", "actor"))
    assert (Verb.CASE_CREATED, agency_admin.pk) in verbs
    assert [v for v, _ in verbs].count(Verb.ORDER_ADDED) == 2
    assert {actor for _, actor in verbs} == {agency_admin.pk}
    event = AuditEvent.objects.get(verb=Verb.CASES_IMPORTED)
    assert event.actor == agency_admin
    assert event.payload == {"cases": 2, "people": 6, "orders": 3, "conditions": 2}
    # The order-added follow-ups ran: the lead is told of each order.
    assert Notification.objects.filter(recipient=lead).count() == 3


def test_a_problem_in_the_last_row_imports_nothing(agency_admin, lead):
    text = csv_text(order_row(case_key="A"), order_row(case_key="B", ends_on="2020-01-01"))
    with pytest.raises(ValidationError) as refused:
        case_import_confirm(actor=agency_admin, text=text)
    assert refused.value.messages == [
        "Row 3: The end date must be the same as or after the start date"
    ]
    assert nothing_created()
    assert not CasePerson.objects.exists()


def test_a_fault_in_a_service_at_the_last_row_imports_nothing(agency_admin, lead):
    real = services.order_make
    calls = []

    def failing_at_the_third(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    with (
        mock.patch.object(services, "order_make", failing_at_the_third),
        pytest.raises(RuntimeError),
    ):
        case_import_confirm(actor=agency_admin, text=two_cases())
    assert len(calls) == 3
    assert nothing_created()
    assert not Order.objects.exists()


def test_the_same_key_imports_once(agency_admin, lead):
    key = uuid.uuid4()
    record = case_import_confirm(actor=agency_admin, text=two_cases(), submission_key=key)
    with pytest.raises(SubmittedAlready) as already:
        case_import_confirm(actor=agency_admin, text=two_cases(), submission_key=key)
    assert already.value.url == record.get_absolute_url()
    assert Case.objects.count() == 2
    assert CaseImport.objects.count() == 1


@pytest.mark.parametrize("role", [User.Role.PRACTITIONER, User.Role.TEAM_MANAGER])
def test_only_an_agency_administrator_may_import(idva_service, lead, role):
    someone = UserFactory(agency=idva_service, role=role)
    with pytest.raises(PermissionDenied):
        case_import_check(actor=someone, text=csv_text(order_row()))
    with pytest.raises(PermissionDenied):
        case_import_confirm(actor=someone, text=csv_text(order_row()))
    assert nothing_created()
