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
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CasePersonFactory
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


@pytest.fixture
def named_order(order):
    """`order` with a respondent known by another name and a child it also protects."""
    respondent = order.respondent
    respondent.given_name, respondent.family_name = "Rory", "Respondsworth"
    respondent.aliases = ["Roz Arlington"]
    respondent.date_of_birth = dt.date(1988, 3, 14)
    respondent.save()
    victim = order.case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
    victim.given_name, victim.family_name = "Vera", "Protecterton"
    victim.save()
    child = CasePersonFactory(
        case=order.case,
        role=CasePerson.Role.CHILD,
        given_name="Kit",
        family_name="Protecterton",
        date_of_birth=dt.date(2017, 9, 2),
    )
    order.protected_people.add(child)
    return order


def _assert_names_the_people(text: str) -> None:
    assert "Rory Respondsworth" in text
    assert "Also known as Roz Arlington" in text
    assert "Born 14 March 1988" in text
    assert "Vera Protecterton" in text
    assert "Kit Protecterton" in text
    assert "Born 2 September 2017" in text


def test_summary_page_names_the_respondent_and_protected_people_not_the_address(
    signed_in, named_order
):
    response = signed_in.get(_url("orders:summary", named_order))
    _assert_names_the_people(response.text)
    assert "Protected: child" in response.text
    assert ADDRESS not in response.text
    assert "Respondsworth" not in response.text.split("</title>")[0]  # not in the page title
    assert AuditEvent.objects.filter(verb=Verb.ORDER_VIEWED, object_id=str(named_order.pk)).exists()


def test_summary_page_says_when_no_respondent_is_recorded(signed_in, order):
    order.respondent = None
    order.save()
    response = signed_in.get(_url("orders:summary", order))
    assert "Respondent (must keep to the order)" in response.text
    assert "Not recorded" in response.text


def test_summary_pdf_has_the_people_restrictions_and_advice_but_not_the_address(
    signed_in, named_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(_url("orders:summary", named_order))
    text = _prepared_pdf_text(signed_in, response)
    _assert_names_the_people(text)
    assert "The respondent must not contact the applicant directly." in text
    assert "call 999" in text
    assert ADDRESS not in text
    assert AuditEvent.objects.get(verb=Verb.SUMMARY_SHARED).payload == {"include_address": False}


def test_summary_with_the_address_chosen_with_reason_and_code_holds_it(
    signed_in, practitioner, named_order, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            _url("orders:summary", named_order),
            {
                "include_address": "on",
                "reason": "For the school's safeguarding lead",
                "code": authenticator_code(practitioner),
            },
        )
    text = _prepared_pdf_text(signed_in, response)
    assert ADDRESS in text
    _assert_names_the_people(text)
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
