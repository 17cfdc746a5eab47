import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from orderwatch.accounts.tests.factories import authenticator_code, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.exports.models import Export
from orderwatch.orders.models import OrderChange
from orderwatch.orders.tests.factories import PDF_BYTES, ConditionFactory, OrderFactory

pytestmark = pytest.mark.django_db
ADDRESS = "1 Test Street, Testtown, TT1 1TT"


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def _url(name, order, **extra):
    return reverse(name, kwargs={"case_id": order.case_id, "order_id": order.pk, **extra})


def test_order_page_shows_restrictions_and_asks_for_the_copy_to_be_checked(signed_in, order):
    response = signed_in.get(_url("orders:detail", order))
    text = response.text
    assert "Restrictions at a glance" in text
    assert "The respondent must not contact the applicant directly." in text
    assert "as reported, not verified" in text
    assert "The conditions have not been checked against the copy yet" in text
    assert "If anyone is in immediate danger, call 999" in text
    assert AuditEvent.objects.filter(verb=Verb.ORDER_VIEWED).exists()


def test_order_without_a_copy_says_ask_to_see_a_copy(signed_in, case):
    order = OrderFactory(case=case)
    assert "Ask to see a copy of the order" in signed_in.get(_url("orders:detail", order)).text


def test_order_page_queries_do_not_grow_with_conditions_or_changes(
    signed_in, order, django_assert_num_queries
):
    url = _url("orders:detail", order)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    for day in range(10):
        ConditionFactory(order=order, wording=f"Condition {day}")
        OrderChange.objects.create(
            order=order,
            kind=OrderChange.Kind.VARIED,
            made_on=order.made_on + dt.timedelta(days=day),
            what_changed=f"Variation {day}",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(url)
    assert "Variation 9" in response.text


def test_my_cases_shows_days_to_expiry_with_a_fixed_number_of_queries(
    signed_in, practitioner, order, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as few:
        response = signed_in.get(reverse("cases:list"))
    days = (order.ends_on - timezone.localdate()).days
    assert f"in {days} days" in response.text
    for _ in range(5):
        OrderFactory(case=order.case)
    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(reverse("cases:list"))


def test_case_page_lists_the_order_with_its_status(signed_in, order):
    response = signed_in.get(reverse("cases:detail", kwargs={"case_id": order.case_id}))
    assert "Non-molestation order" in response.text
    assert "In force" in response.text


def test_copy_download_streams_the_original_and_is_audited(signed_in, order):
    copy = order.copies.get()
    response = signed_in.get(_url("orders:copy-download", order, copy_id=copy.pk))
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "sealed-order" not in response["Content-Disposition"]  # the upload name is not kept
    assert AuditEvent.objects.filter(verb=Verb.COPY_VIEWED, object_id=str(copy.pk)).exists()


def _prepared_pdf_text(client, response) -> str:
    """Follow the summary's redirect to its prepared document; download it; return its text."""
    export = Export.objects.get()
    assert response.url == export.get_absolute_url()
    assert "Your document is ready" in client.get(response.url).text
    download = client.get(
        reverse("exports:download", kwargs={"case_id": export.case_id, "export_id": export.pk})
    )
    assert download["Content-Type"] == "application/pdf"
    assert (
        f'filename="order-summary-{export.case.reference}.pdf"' in (download["Content-Disposition"])
    )
    pdf = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged, for screen readers
    return "\n".join(p.extract_text() for p in pdf.pages)


def test_summary_pdf_has_the_restrictions_and_advice_but_not_the_address(
    signed_in, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(_url("orders:summary", order))
    text = _prepared_pdf_text(signed_in, response)
    assert "The respondent must not contact the applicant directly." in text
    assert "call 999" in text
    assert ADDRESS not in text
    assert AuditEvent.objects.get(verb=Verb.SUMMARY_SHARED).payload == {"include_address": False}


def test_summary_with_the_address_chosen_with_reason_and_code_holds_it(
    signed_in, practitioner, order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            _url("orders:summary", order),
            {
                "include_address": "on",
                "reason": "For the school's safeguarding lead",
                "code": authenticator_code(practitioner),
            },
        )
    assert ADDRESS in _prepared_pdf_text(signed_in, response)
    assert AuditEvent.objects.get(verb=Verb.SUMMARY_SHARED).fields == ["protected_address"]


def test_summary_with_address_but_no_reason_or_code_explains_and_makes_no_pdf(signed_in, order):
    response = signed_in.post(_url("orders:summary", order), {"include_address": "on"})
    assert response["Content-Type"].startswith("text/html")
    assert "Enter why the summary needs the address" in response.text
    assert "Enter the 6-digit code" in response.text
    assert not AuditEvent.objects.filter(verb=Verb.SUMMARY_SHARED).exists()
    assert not Export.objects.exists()


def test_ending_soon_lists_orders_within_eight_weeks_only(signed_in, case):
    soon = OrderFactory(case=case, ends_on=timezone.localdate() + dt.timedelta(days=20))
    later = OrderFactory(case=case, ends_on=timezone.localdate() + dt.timedelta(days=120))
    response = signed_in.get(reverse("orders:ending-soon"))
    assert soon.get_absolute_url() in response.text
    assert later.get_absolute_url() not in response.text
    assert "In 20 days" in response.text


def test_recording_an_order_with_missing_answers_saves_nothing(signed_in, case):
    response = signed_in.post(reverse("orders:new", kwargs={"case_id": case.pk}), {})
    assert "Select the type of order" in response.text
    assert "Select who the order protects" in response.text
    assert 'href="#id_made_on-day">Enter the date the order was made</a>' in response.text
    assert "Enter the date it starts" in response.text
    assert not case.orders.exists()


def test_ending_soon_queries_do_not_grow_with_the_number_of_orders(
    signed_in, case, django_assert_num_queries
):
    OrderFactory(case=case, ends_on=timezone.localdate() + dt.timedelta(days=10))
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("orders:ending-soon"))
    for days in range(11, 21):
        OrderFactory(case=case, ends_on=timezone.localdate() + dt.timedelta(days=days))
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(reverse("orders:ending-soon"))
    assert response.text.count("In 1") >= 10
