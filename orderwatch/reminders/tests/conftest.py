"""Shared set-up for the reminder tests: a frozen Thursday morning and a two-person team."""

import datetime as dt

import pytest

from orderwatch.core.tests.clock import TODAY
from orderwatch.orders.tests.factories import OrderFactory


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def ending_order(case):
    """A non-molestation order on the case that ends in 13 days."""
    return OrderFactory(
        case=case, made_on=TODAY - dt.timedelta(days=300), ends_on=TODAY + dt.timedelta(days=13)
    )
