import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.core.tests.dates import date_parts

pytestmark = pytest.mark.django_db


def _cell(text: str) -> str:
    return f'<td class="govuk-table__cell">{text}</td>'


@pytest.fixture
def events(practitioner, outsider, case):
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    audit_record(
        actor=practitioner,
        verb=Verb.ADDRESS_REVEALED,
        target=case,
        case=case,
        fields=["protected_address"],
        notes={"reason": "Safety visit with police"},
    )
    audit_record(actor=outsider, verb=Verb.SIGNED_IN, target=outsider)


def test_auditor_sees_their_agencys_events_with_reason(client, auditor, events):
    sign_in_with_two_factor(client, auditor)
    response = client.get(reverse("audit:list"))
    assert _cell("Revealed a protected address") in response.text
    assert "Reason given: Safety visit with police" in response.text
    assert "Pat Lead" in response.text
    assert "Out Sider" not in response.text


def test_auditor_filters_by_what_happened(client, auditor, events):
    sign_in_with_two_factor(client, auditor)
    response = client.get(reverse("audit:list"), {"verb": Verb.CASE_VIEWED.value})
    assert _cell("Viewed a case") in response.text
    assert _cell("Revealed a protected address") not in response.text


def test_auditor_filters_by_case_reference(client, auditor, events, case):
    sign_in_with_two_factor(client, auditor)
    assert (
        _cell("Viewed a case")
        in client.get(reverse("audit:list"), {"case_reference": case.reference.lower()}).text
    )
    response = client.get(reverse("audit:list"), {"case_reference": "OW-NOPE00"})
    assert "No events match these filters" in response.text


def test_dates_the_wrong_way_round_are_explained(client, auditor, events):
    sign_in_with_two_factor(client, auditor)
    response = client.get(
        reverse("audit:list"),
        {
            **date_parts("occurred_from", dt.date(2026, 2, 1)),
            **date_parts("occurred_to", dt.date(2026, 1, 1)),
        },
    )
    assert "There is a problem" in response.text
    assert "must be the same as or after" in response.text


def test_audit_list_query_count_is_fixed(
    client, auditor, practitioner, case, django_assert_num_queries
):
    sign_in_with_two_factor(client, auditor)
    audit_record(actor=practitioner, verb=Verb.CASE_VIEWED, target=case, case=case)
    audit_record(
        actor=practitioner,
        verb=Verb.ADDRESS_REVEALED,
        target=case,
        case=case,
        notes={"reason": "Reason 0"},
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("audit:list"))
    for number in range(1, 31):
        colleague = UserFactory(agency=practitioner.agency)
        audit_record(actor=colleague, verb=Verb.SIGNED_IN, target=colleague)
        audit_record(
            actor=colleague,
            verb=Verb.PASSKEY_ADDED,
            target=colleague,
            notes={"name": f"Passkey {number}"},
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("audit:list"))
    assert "Name given: Passkey 30" in response.text
