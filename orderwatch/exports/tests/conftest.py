import pytest

from orderwatch.accounts.tests.factories import sign_in_with_two_factor


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)
