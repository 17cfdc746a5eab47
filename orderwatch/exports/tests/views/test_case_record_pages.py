"""Asking for the case record from the case page, and downloading both documents."""

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from orderwatch.accounts.tests.factories import authenticator_code, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.exports.models import Export

pytestmark = pytest.mark.django_db
ADDRESS = "1 Test Street, Testtown, TT1 1TT"


def request_url(case) -> str:
    return reverse("exports:case-record", kwargs={"case_id": case.pk})


def download(client, export) -> tuple[str, bytes, str]:
    response = client.get(
        reverse("exports:download", kwargs={"case_id": export.case_id, "export_id": export.pk})
    )
    return (
        response["Content-Type"],
        b"".join(response.streaming_content),
        response["Content-Disposition"],
    )


def test_the_case_page_links_to_the_case_record_for_those_who_may_export_it(
    signed_in, client, case, auditor
):
    assert request_url(case) in signed_in.get(case.get_absolute_url()).text
    CaseTeamMembershipFactory(case=case, user=auditor)
    client.logout()
    auditor_page = sign_in_with_two_factor(client, auditor).get(case.get_absolute_url())
    assert request_url(case) not in auditor_page.text
    assert auditor_page.client.get(request_url(case)).status_code == 403


def test_the_page_offers_formats_and_the_confidential_details_to_the_lead(signed_in, case):
    text = signed_in.get(request_url(case)).text
    assert "<title>Export the case record – case" in text
    assert 'value="pdf"' in text
    assert 'value="json"' in text
    assert "Include the protected address" in text
    assert "Include witness details" in text


def test_choosing_nothing_or_a_detail_without_reason_and_code_explains_and_saves_nothing(
    signed_in, case
):
    text = signed_in.post(request_url(case), {}).text
    assert "<title>Error: Export the case record" in text
    assert "Select the formats you need" in text
    text = signed_in.post(request_url(case), {"formats": ["pdf"], "include_address": "on"}).text
    assert "Enter why the record needs these details" in text
    assert "Enter the 6-digit code from your authenticator app" in text
    text = signed_in.post(
        request_url(case),
        {"formats": ["pdf"], "include_address": "on", "reason": "Transfer", "code": "000000"},
    ).text
    assert "The code is not right" in text
    assert not Export.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CASE_RECORD_REQUESTED).exists()


def test_both_formats_with_the_address_are_prepared_and_downloaded_audited(
    signed_in, practitioner, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            request_url(case),
            {
                "formats": ["pdf", "json"],
                "include_address": "on",
                "reason": "Moving to another area",
                "code": authenticator_code(practitioner),
            },
        )
    exports = {e.parameters["format"]: e for e in Export.objects.all()}
    assert set(exports) == {"pdf", "json"}
    assert all(e.status == Export.Status.READY for e in exports.values())
    first = Export.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    page = signed_in.get(response.url).text
    other = exports["pdf" if first.parameters["format"] == "json" else "json"]
    assert "Case record (" in page
    assert "with the protected address" in page
    assert f'href="{other.get_absolute_url()}"' in page

    content_type, body, disposition = download(signed_in, exports["json"])
    assert content_type == "application/json"
    assert f'filename="case-record-{case.reference}.json"' in disposition
    assert json.loads(body)["case"]["protected_address"] == ADDRESS
    content_type, body, disposition = download(signed_in, exports["pdf"])
    assert content_type == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(body)).pages[0].extract_text().split())
    assert f"Case record: case {case.reference}" in text
    downloads = AuditEvent.objects.filter(verb=Verb.EXPORT_DOWNLOADED)
    assert [event.fields for event in downloads] == [["contact_details", "protected_address"]] * 2


def test_the_request_page_reads_a_fixed_number_of_queries(
    signed_in, case, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        signed_in.get(request_url(case))
