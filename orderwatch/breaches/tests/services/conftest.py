"""Shared set-up for the breach service tests: a frozen Thursday morning and a case team."""

import pytest

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def condition(order):
    return order.conditions.get()


@pytest.fixture
def team_auditor(case, auditor):
    """The auditor, on the case team: may read the case, never change it."""
    CaseTeamMembershipFactory(case=case, user=auditor)
    return auditor


@pytest.fixture
def recorded(practitioner, case, condition):
    """A breach recorded against the order's condition, reported to police, no witnesses."""
    return breach_record(actor=practitioner, case=case, account=breach_account(condition))


@pytest.fixture
def unreported(practitioner, case, condition):
    """A breach recorded without a police report yet: it stays flagged until resolved."""
    account = breach_account(
        condition,
        police_reported=False,
        police_reported_on=None,
        police_method="",
        police_reference="",
        police_officer_not_known=False,
        not_reported_reason="She wants to talk it through with her IDVA first.",
    )
    return breach_record(actor=practitioner, case=case, account=account)
