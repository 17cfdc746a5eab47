import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.tests.factories import (
    authenticator_code,
    sign_in_with_two_factor,
)
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Breach, Known
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.breaches.tests.flow import question_url
from orderwatch.core.tests.dates import date_parts
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.safety.services import risk_level_set

pytestmark = pytest.mark.django_db

CASE_PAGE_BYTES = 300 * 1024
# The case page's queries whatever the case holds: the session, user and second factor (3),
# opening the case and auditing the view (4), the unread count (1), the page's own sections
# (19, in `cases.selectors.case_page`) and keeping its records (2: holds and the retention
# review, ADR 0038): 29, of which the two savepoints around the view's transaction are the
# test's own (27 in production). It was 52 when every request saved the
# session and orders, people and permissions were read again by each section
# (benchmarks/bench_pages.py).
CASE_PAGE_QUERIES = 29
IN_THE_MOMENT = (
    "If anyone is in immediate danger, call 999. Otherwise report to the police on 101 or online."
)


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def new_url(case):
    return reverse("breaches:new", kwargs={"case_id": case.pk})


def test_the_999_guidance_comes_before_anything_else_on_the_form(signed_in, order):
    text = signed_in.get(new_url(order.case)).text
    main = text[text.index('id="main-content"') :]
    assert main.index(IN_THE_MOMENT) < main.index("<h1")
    assert "responses vary" in text or "people respond in different ways" in text
    conditions = signed_in.get(question_url(order.case, "conditions")).text
    assert "The respondent must not contact the applicant directly." in conditions


def test_an_unreported_breach_stays_flagged_until_the_report_is_recorded(
    signed_in, practitioner, order
):
    breach = breach_record(
        actor=practitioner,
        case=order.case,
        account=breach_account(
            police_reported=False, not_reported_reason="She wants to talk to her IDVA first."
        ),
    )
    page = signed_in.get(breach.get_absolute_url()).text
    # It matches no condition: an incident, and said so.
    assert "This incident has not been reported to the police." in page
    assert f'<h1 class="govuk-heading-l">Incident: {breach.occurrence.label()}</h1>' in page
    assert "<title>Incident – case" in page
    assert "not yet reported to the police" in signed_in.get(order.case.get_absolute_url()).text

    url = reverse(
        "breaches:police-report", kwargs={"case_id": order.case_id, "breach_id": breach.pk}
    )
    response = signed_in.post(url, {"now_reported": "yes", "police_method": "online"})
    assert "Enter the date it was reported to the police" in response.text
    response = signed_in.post(
        url,
        {
            "now_reported": "yes",
            **date_parts("police_reported_on", timezone.localdate()),
            "police_method": "online",
            "police_reference": "ONLINE-881",
            "police_officer": "PC Rowe",
        },
        follow=True,
    )
    assert "Police report recorded" in response.text
    assert "ONLINE-881" in response.text
    assert "This breach has not been reported to the police." not in response.text


def test_witness_details_are_hidden_until_revealed_with_a_reason_and_code(
    signed_in, practitioner, order
):
    breach = breach_record(
        actor=practitioner,
        case=order.case,
        account=breach_account(
            witnesses=Known.GIVEN, witness_details="Sam Neighbour, 07700 900555"
        ),
    )
    assert "07700 900555" not in signed_in.get(breach.get_absolute_url()).text
    url = reverse(
        "breaches:witnesses-reveal", kwargs={"case_id": order.case_id, "breach_id": breach.pk}
    )
    response = signed_in.post(
        url,
        {"reason": "To pass to the officer in the case", "code": authenticator_code(practitioner)},
    )
    assert "07700 900555" in response.text
    assert AuditEvent.objects.filter(verb=Verb.WITNESSES_REVEALED).count() == 1


def test_someone_not_on_the_team_gets_404_for_every_breach_page(client, outsider, order):
    breach = BreachFactory(case=order.case)
    sign_in_with_two_factor(client, outsider)
    kwargs = {"case_id": order.case_id, "breach_id": breach.pk}
    for name, args in [
        ("breaches:new", {"case_id": order.case_id}),
        ("breaches:detail", kwargs),
        ("breaches:police-report", kwargs),
        ("breaches:witnesses-reveal", kwargs),
    ]:
        assert client.get(reverse(name, kwargs=args)).status_code == 404
        assert client.post(reverse(name, kwargs=args), {"witnesses": "none"}).status_code == 404
    assert Breach.objects.count() == 1


def test_a_breach_id_from_another_case_is_404(signed_in, case):
    other = BreachFactory()
    url = reverse("breaches:detail", kwargs={"case_id": case.pk, "breach_id": other.pk})
    assert signed_in.get(url).status_code == 404


def test_case_page_queries_stay_fixed_from_5_to_500_breaches(
    signed_in, practitioner, order, django_assert_num_queries
):
    # Something of every kind the page shows, so no lookup is skipped for want of rows.
    breach_record(
        actor=practitioner, case=order.case, account=breach_account(order.conditions.get())
    )
    risk_level_set(actor=practitioner, case=order.case, level="medium", reason="After a breach")
    BreachFactory.create_batch(4, case=order.case)
    url = reverse("cases:detail", kwargs={"case_id": order.case_id})
    with CaptureQueriesContext(connection) as few:
        response = signed_in.get(url)
    assert (
        "1 breach and 4 incidents recorded; <strong>4 not yet reported to the police</strong>"
        in response.text
    )
    BreachFactory.create_batch(495, case=order.case)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(url)
    assert "1 breach and 499 incidents recorded" in response.text


def test_a_case_with_10000_breaches_is_summarised_in_under_300_kb_with_the_same_queries(
    signed_in, practitioner, order, django_assert_num_queries
):
    breach_record(
        actor=practitioner, case=order.case, account=breach_account(order.conditions.get())
    )
    BreachFactory.create_batch(4, case=order.case)
    url = reverse("cases:detail", kwargs={"case_id": order.case_id})
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        signed_in.get(url)
    Breach.objects.bulk_create(
        [BreachFactory.build(case=order.case) for _ in range(9_995)], batch_size=1_000
    )
    with django_assert_num_queries(CASE_PAGE_QUERIES):
        response = signed_in.get(url)
    assert len(response.content) < CASE_PAGE_BYTES
    assert "1 breach and 9999 incidents recorded" in response.text
    assert response.text.count('data-testid="pattern-flag"') >= 1
    assert "Incidents by month, and order dates" in response.text  # the table, grouped
    assert 'data-testid="all-breaches"' in response.text


def test_a_new_order_condition_appears_grouped_under_its_order(signed_in, case):
    order = OrderFactory(case=case)
    ConditionFactory(order=order, wording="Not to go within 100 metres of the school.")
    text = signed_in.get(question_url(case, "conditions")).text
    assert "Not to go within 100 metres of the school." in text
    assert "Non-molestation order" in text
