"""Shared set-up for the evidence pages: files stored in a temporary folder, and the lead
practitioner signed in with one photo on the case."""

import pytest

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.evidence.tests.factories import item_added


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


@pytest.fixture
def item(practitioner, case):
    return item_added(actor=practitioner, case=case)
