"""The API's lists ask the database a fixed number of times, whatever their size."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.clients.tests.tokens import TokenClient, client_registered, token_for
from orderwatch.core.tests import people

pytestmark = pytest.mark.django_db


def queries(system, url) -> int:
    """Count a call's queries (after a first call, which starts the client's audit chain)."""
    system.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert system.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def system(idva_service):
    return TokenClient(token_for(*client_registered(idva_service)))


def test_the_case_list_asks_the_same_for_one_case_or_many(system, practitioner):
    people.case_led_by(practitioner)
    one = queries(system, reverse("api:case-list"))
    for _ in range(4):
        people.case_led_by(practitioner)
    assert queries(system, reverse("api:case-list")) == one


def test_the_event_feed_asks_the_same_for_one_event_or_many(system, practitioner, time_machine):
    import datetime as dt

    from django.utils import timezone

    case = people.case_led_by(practitioner)
    breach_record(actor=practitioner, case=case, account=breach_account())
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=1))
    one = queries(system, reverse("api:events"))
    for _ in range(5):
        breach_record(actor=practitioner, case=case, account=breach_account())
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=1))
    assert queries(system, reverse("api:events")) == one
