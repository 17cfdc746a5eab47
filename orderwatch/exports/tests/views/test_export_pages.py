"""The prepared document's page: preparing, ready, failed or gone; for its requester only."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.exports.models import Export
from orderwatch.exports.tests.factories import ExportFactory
from orderwatch.orders.tests.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def page_url(export: Export) -> str:
    return export.get_absolute_url()


def download_url(export: Export) -> str:
    return reverse("exports:download", kwargs={"case_id": export.case_id, "export_id": export.pk})


@pytest.fixture
def waiting(practitioner, case):
    return ExportFactory(case=case, created_by=practitioner, parameters={"kinds": ["breach"]})


def test_while_it_is_prepared_the_page_says_so_and_offers_to_check_again(signed_in, waiting):
    text = signed_in.get(page_url(waiting)).text
    assert "<title>Preparing your document – case" in text
    assert "This usually takes less than a minute." in text
    assert f'href="{page_url(waiting)}">Check again</a>' in text
    assert "taking longer than usual" not in text
    assert "<progress" not in text


def test_a_long_build_shows_how_far_it_has_got(signed_in, waiting):
    Export.objects.filter(pk=waiting.pk).update(
        status=Export.Status.BUILDING, progress_done=3, progress_total=12
    )
    text = signed_in.get(page_url(waiting)).text
    assert '<label for="export-progress">3 of 12 done</label>' in text
    assert 'value="3" max="12"' in text


def test_a_build_being_retried_says_it_is_taking_longer(signed_in, waiting):
    Export.objects.filter(pk=waiting.pk).update(attempts=1, last_error="OSError")
    text = signed_in.get(page_url(waiting)).text
    assert "It is taking longer than usual. OrderWatch will try again in a few minutes." in text
    assert "OSError" not in text


def test_a_failed_build_says_so_and_leads_back_to_try_again(signed_in, waiting, case):
    Export.objects.filter(pk=waiting.pk).update(
        status=Export.Status.FAILED, attempts=3, last_error="OSError"
    )
    text = signed_in.get(page_url(waiting)).text
    assert "Your document could not be prepared" in text
    source = reverse("chronology:timeline", kwargs={"case_id": case.pk}) + "?kind=breach"
    assert f'<a class="govuk-link" href="{source}">Try again</a>' in text


def test_a_ready_document_downloads_as_a_pdf_and_the_download_is_audited(
    signed_in, practitioner, case
):
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    text = signed_in.get(page_url(export)).text
    assert "Your document is ready" in text
    assert "6 March 2026 at 10am" in text  # available until
    assert f'href="{download_url(export)}"' in text

    response = signed_in.get(download_url(export))

    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="chronology-{case.reference}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb=Verb.EXPORT_DOWNLOADED)
    assert (event.actor, event.object_id, event.case_id) == (practitioner, str(export.pk), case.pk)
    assert event.payload == {"kind": "chronology", "sha256": export.sha256}


def test_a_real_chronology_is_prepared_and_downloaded(
    signed_in, case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(reverse("chronology:pdf", kwargs={"case_id": case.pk}))
    export = Export.objects.get()
    assert response.url == page_url(export)
    download = signed_in.get(download_url(export))
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert f"Chronology: case {case.reference}" in reader.pages[0].extract_text()


def test_a_document_past_its_time_is_no_longer_available(signed_in, practitioner, case):
    export = ExportFactory(
        case=case,
        created_by=practitioner,
        ready=True,
        ready_at=timezone.now() - dt.timedelta(hours=24),
    )

    text = signed_in.get(page_url(export)).text
    assert "This document is no longer available" in text
    source = reverse("chronology:timeline", kwargs={"case_id": case.pk})
    assert f'<a class="govuk-link" href="{source}">Prepare it again</a>' in text
    assert download_url(export) not in text
    response = signed_in.get(download_url(export))
    assert response.url == page_url(export)
    assert not AuditEvent.objects.filter(verb=Verb.EXPORT_DOWNLOADED).exists()


def test_a_document_not_ready_yet_is_not_downloaded(signed_in, waiting):
    assert signed_in.get(download_url(waiting)).url == page_url(waiting)
    assert not AuditEvent.objects.filter(verb=Verb.EXPORT_DOWNLOADED).exists()


@pytest.mark.parametrize("url", [page_url, download_url], ids=["page", "download"])
def test_someone_else_on_the_team_gets_404(client, practitioner, case, url):
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    colleague = UserFactory()
    CaseTeamMembershipFactory(case=case, user=colleague)
    sign_in_with_two_factor(client, colleague)
    response = client.get(url(export))
    assert response.status_code == 404
    assert case.reference.encode() not in response.content


@pytest.mark.parametrize("url", [page_url, download_url], ids=["page", "download"])
def test_the_requester_taken_off_the_team_gets_404(signed_in, practitioner, case, url):
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    case.team_memberships.filter(user=practitioner).update(left_at=timezone.now())
    assert signed_in.get(url(export)).status_code == 404


def test_a_document_on_another_case_gets_404(signed_in, practitioner, case):
    other = CaseTeamMembershipFactory(user=practitioner).case
    export = ExportFactory(case=other, created_by=practitioner, ready=True)
    url = reverse("exports:detail", kwargs={"case_id": case.pk, "export_id": export.pk})
    assert signed_in.get(url).status_code == 404


def test_page_queries_do_not_grow_with_the_documents_on_the_case(
    signed_in, practitioner, case, django_assert_num_queries
):
    export = ExportFactory(case=case, created_by=practitioner, ready=True)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(page_url(export))
    ExportFactory.create_batch(10, case=case, created_by=practitioner, ready=True)
    with django_assert_num_queries(len(few.captured_queries)):
        assert signed_in.get(page_url(export)).status_code == 200
