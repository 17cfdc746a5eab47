"""Every breach on a case, a page at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.breaches.views import BREACHES_PER_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def list_url(case) -> str:
    return reverse("breaches:list", kwargs={"case_id": case.pk})


def test_the_case_page_links_to_every_breach(signed_in, case):
    BreachFactory(case=case)
    response = signed_in.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert f'href="{list_url(case)}"' in response.text


def test_breaches_are_listed_latest_first_a_page_at_a_time(signed_in, case):
    breaches = BreachFactory.create_batch(BREACHES_PER_PAGE + 3, case=case)
    breaches[0].matches_no_condition = False  # one breach of a condition, the rest incidents
    breaches[0].save()
    latest_first = sorted(breaches, key=lambda b: (b.happened_on, b.created_at), reverse=True)
    first = signed_in.get(list_url(case))
    assert f"1 breach and {BREACHES_PER_PAGE + 2} incidents recorded, latest first" in first.text
    assert first.text.count("/breaches/") - first.text.count("/breaches/new/") >= 50
    assert latest_first[0].get_absolute_url() in first.text
    assert "Page 1 of 2" in first.text
    second = signed_in.get(list_url(case) + "?page=2")
    assert latest_first[-1].get_absolute_url() in second.text
    assert latest_first[0].get_absolute_url() not in second.text


def test_the_list_never_shows_what_happened_or_witnesses(signed_in, case):
    BreachFactory(case=case, what_happened="He shouted at the door at night.")
    assert "shouted at the door" not in signed_in.get(list_url(case)).text


def test_viewing_the_list_is_audited_like_the_case_page(signed_in, practitioner, case):
    signed_in.get(list_url(case))
    event = AuditEvent.objects.get(verb=Verb.CASE_VIEWED)
    assert (event.actor, event.case_id) == (practitioner, case.pk)


def test_someone_outside_the_case_team_gets_404(client, outsider, case):
    BreachFactory(case=case)
    sign_in_with_two_factor(client, outsider)
    assert client.get(list_url(case)).status_code == 404
    assert not AuditEvent.objects.filter(verb=Verb.CASE_VIEWED).exists()


def test_queries_stay_fixed_from_3_to_300_breaches(signed_in, case, django_assert_num_queries):
    BreachFactory.create_batch(3, case=case)
    signed_in.get(list_url(case))  # the case's first audit event starts its chain: 2 queries more
    with CaptureQueriesContext(connection) as few:
        signed_in.get(list_url(case))
    BreachFactory.create_batch(297, case=case)
    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(list_url(case) + "?page=3")
