"""The pattern through the API: the same prompts as the page, audited, and nothing free-text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory

pytestmark = pytest.mark.django_db


def url(case):
    return reverse("api:case-pattern", kwargs={"case_id": case.pk})


def test_two_breaches_give_the_course_of_conduct_prompt_and_their_times(
    client, practitioner, order
):
    first, second = BreachFactory.create_batch(2, case=order.case, what_happened="Canary-5521")
    sign_in_with_two_factor(client, practitioner)
    response = client.get(url(order.case))
    body = response.json()
    (flag,) = [f for f in body["flags"] if f["code"] == "course_of_conduct"]
    assert flag["title"] == "May be a course of conduct (harassment)"
    assert "may amount to harassment" in flag["reason"]
    assert set(flag["incident_ids"]) == {str(first.pk), str(second.pk)}
    assert {i["source"] for i in body["incidents"]} == {"breach"}
    assert [w["days"] for w in body["windows"]] == [7, 30, 90]
    assert "Canary-5521" not in response.text
    assert AuditEvent.objects.get(verb=Verb.CASE_VIEWED).origin == "api"


def test_a_case_elsewhere_is_404(client, outsider, order):
    sign_in_with_two_factor(client, outsider)
    assert client.get(url(order.case)).status_code == 404


def test_the_schema_describes_the_pattern(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert "/api/v1/cases/{case_id}/pattern/" in response.json()["paths"]


def test_queries_stay_fixed_as_breaches_grow(
    client, practitioner, order, django_assert_num_queries
):
    BreachFactory.create_batch(2, case=order.case)
    sign_in_with_two_factor(client, practitioner)
    with CaptureQueriesContext(connection) as few:
        client.get(url(order.case))
    BreachFactory.create_batch(60, case=order.case)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url(order.case))
    assert len(response.json()["incidents"]) == 62
