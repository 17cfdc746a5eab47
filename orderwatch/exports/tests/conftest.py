import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from orderwatch.accounts.tests.factories import sign_in_with_two_factor


@pytest.fixture(autouse=True)
def _thursday_morning(time_machine):
    time_machine.move_to(
        dt.datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False
    )


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)
