"""Shared set-up for the safety tests: a frozen Thursday morning and a case team."""

import pytest

from orderwatch.cases.tests.factories import CaseTeamMembershipFactory


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def team_auditor(case, auditor):
    """The auditor, on the case team: may read the case, never change it."""
    CaseTeamMembershipFactory(case=case, user=auditor)
    return auditor
