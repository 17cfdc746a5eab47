import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.chronology.selectors import CHRONOLOGY_PAGE_SIZE
from orderwatch.chronology.tests.conftest import (
    MOVE_REASON,
    NEW_ADDRESS,
    OLD_ADDRESS,
    REVIEW_CHANGE,
    RISK_REASON,
    WHAT_HAPPENED,
    WITNESSES,
    record_breach,
)
from orderwatch.exports.models import Export

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def timeline_url(case) -> str:
    return reverse("chronology:timeline", kwargs={"case_id": case.pk})


def pdf_url(case) -> str:
    return reverse("chronology:pdf", kwargs={"case_id": case.pk})


@pytest.fixture
def pdf_text(signed_in, case, django_capture_on_commit_callbacks):
    """Return `pdf_text(data)`: ask for the PDF, follow the redirect to the prepared document
    (built at once here), download it and return its text."""

    def ask_and_download(data=None) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = signed_in.post(pdf_url(case), data or {})
        export = Export.objects.latest("created_at")
        assert response.url == export.get_absolute_url()
        assert "Your document is ready" in signed_in.get(response.url).text
        download = signed_in.get(
            reverse("exports:download", kwargs={"case_id": case.pk, "export_id": export.pk})
        )
        assert download["Content-Type"] == "application/pdf"
        assert f'filename="chronology-{case.reference}.pdf"' in download["Content-Disposition"]
        content = b"".join(download.streaming_content)
        assert content.startswith(b"%PDF-")
        reader = PdfReader(io.BytesIO(content))
        assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged, for screen readers
        # Collapse line wrapping so phrases can be found whole.
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    return ask_and_download


def test_page_shows_every_kind_newest_first_and_is_audited_as_a_case_view(signed_in, case, story):
    response = signed_in.get(timeline_url(case))
    text = response.text
    assert f"<title>Chronology – case {case.reference} – OrderWatch</title>" in text
    assert "moj-timeline__item" in text
    for words in (
        "Move recorded",
        "Risk level set to high",
        REVIEW_CHANGE,
        "Safety plan review opened",
        "Breach of the non-molestation order",
        "3 March 2026 at about 9pm",
        "Non-molestation order made",
    ):
        assert words in text
    assert text.index("Move recorded") < text.index("Breach of the non-molestation order")
    assert text.index("Breach of the non-molestation order") < text.index(
        "Non-molestation order made"
    )
    assert story.breach.get_absolute_url() in text
    event = AuditEvent.objects.filter(verb=Verb.CASE_VIEWED, case_id=case.pk).get()
    assert event.payload == {"page": "chronology"}


def test_page_never_shows_an_address_or_witnesses(signed_in, case, story):
    text = signed_in.get(timeline_url(case)).text
    for secret in (NEW_ADDRESS, OLD_ADDRESS, WITNESSES, MOVE_REASON):
        assert secret not in text


def test_filter_to_breaches_shows_only_breaches(signed_in, case, story):
    response = signed_in.get(timeline_url(case), {"kind": "breach"})
    text = response.text
    assert "Breach of the non-molestation order" in text
    assert "Risk level set to high" not in text
    assert "Move recorded" not in text
    assert text.count('class="moj-timeline__item"') == 1
    assert 'value="breach" checked' in text
    # The PDF asked for from here holds the same kinds.
    assert f'<form method="post" action="{pdf_url(case)}" novalidate>' in text
    assert '<input type="hidden" name="kind" value="breach">' in text


def test_filter_with_several_kinds(signed_in, case, story):
    text = signed_in.get(timeline_url(case), {"kind": ["risk", "move"]}).text
    assert text.count('class="moj-timeline__item"') == 3
    assert "Breach of" not in text


def test_an_unknown_kind_explains_and_shows_everything(signed_in, case, story):
    response = signed_in.get(timeline_url(case), {"kind": "gossip"})
    assert "Select what to show from the list" in response.text
    assert "<title>Error: Chronology" in response.text
    assert "Move recorded" in response.text
    assert "Breach of the non-molestation order" in response.text


def test_an_empty_case_says_nothing_is_recorded_yet(signed_in, case):
    assert "Nothing has been recorded on this case yet." in signed_in.get(timeline_url(case)).text


def test_outsider_gets_404_and_nothing_is_audited(client, outsider, case, story):
    sign_in_with_two_factor(client, outsider)
    before = AuditEvent.objects.count()
    for response in (client.get(timeline_url(case)), client.post(pdf_url(case))):
        assert response.status_code == 404
        assert case.reference.encode() not in response.content
    assert AuditEvent.objects.count() == before
    assert not Export.objects.exists()


def test_pdf_has_the_case_who_made_it_and_the_entries_and_is_audited(
    pdf_text, case, story, practitioner
):
    text = pdf_text()
    assert f"Chronology: case {case.reference}" in text
    assert "made 5 March 2026 at 10am by Pat Lead, Test IDVA Service" in text
    for words in (
        "Breach of the non-molestation order",
        "3 March 2026 at about 9pm",
        REVIEW_CHANGE,
        RISK_REASON,
        "Agreed next step for the orders: Do not vary the order",
    ):
        assert words in text
    for secret in (NEW_ADDRESS, OLD_ADDRESS, WITNESSES, MOVE_REASON):
        assert secret not in text
    event = AuditEvent.objects.get(verb=Verb.CHRONOLOGY_EXPORTED)
    assert (event.case_id, event.actor, event.payload) == (case.pk, practitioner, {"kinds": []})


def test_pdf_respects_the_filter(pdf_text, case, story):
    text = pdf_text({"kind": "breach"})
    assert "Showing: Breaches." in text
    assert "Breach of the non-molestation order" in text
    assert "Risk level set" not in text
    assert AuditEvent.objects.get(verb=Verb.CHRONOLOGY_EXPORTED).payload == {"kinds": ["breach"]}


def test_pdf_ends_with_the_pattern_its_prompts_chart_and_table(pdf_text, case, story, practitioner):
    second = "She saw him at the bus stop by the surgery."
    record_breach(practitioner, case, story.order.conditions.get(), what_happened=second)
    text = pdf_text()
    pattern = text[text.index("Pattern of incidents") :]
    assert "Counted: 2 breaches." in pattern
    assert "Prompts for the case team, not findings" in pattern
    assert "May be a course of conduct (harassment)" in pattern
    assert "may amount to harassment" in pattern
    assert "Breach: 3 March 2026 at about 9pm" in pattern  # incidents named by their labels
    # The chart's text is drawn as text: its severity axis (no incident is severe or unrated,
    # so these words come from the chart alone).
    assert "Severe" in pattern
    assert "Not rated" in pattern
    assert "Incidents and order dates, earliest first" in pattern  # the table, not folded away
    for secret in (WHAT_HAPPENED, second, WITNESSES):
        assert secret not in text


def test_pdf_of_a_case_with_no_incidents_says_so_in_one_sentence(pdf_text, order):
    text = pdf_text()
    assert "Pattern of incidents No incidents have been recorded on this case" in text
    assert "Not rated" not in text


def test_pdf_without_breaches_or_evidence_leaves_the_pattern_out(pdf_text, story):
    text = pdf_text({"kind": ["risk", "move"]})
    assert "Risk level set to high" in text
    assert "Pattern of incidents" not in text


def test_pdf_of_breaches_alone_leaves_the_pattern_out_as_it_counts_evidence_too(pdf_text, story):
    text = pdf_text({"kind": ["breach"]})
    assert "Breach of the non-molestation order" in text
    assert "Pattern of incidents" not in text


def test_page_queries_are_the_same_with_5_and_500_breaches(
    signed_in, case, story, practitioner, django_assert_num_queries
):
    BreachFactory.create_batch(4, case=case, created_by=practitioner)  # five with the story's
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(timeline_url(case)).status_code == 200
    BreachFactory.create_batch(495, case=case, created_by=practitioner)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(timeline_url(case))
    assert response.text.count('class="moj-timeline__item') == CHRONOLOGY_PAGE_SIZE
    assert "Events 1 to 50" in response.text
    assert 'href="?page=2"' in response.text


def test_a_long_chronology_is_shown_a_page_at_a_time_keeping_the_filter(
    signed_in, case, story, practitioner
):
    BreachFactory.create_batch(120, case=case, created_by=practitioner)
    url = timeline_url(case) + "?kind=breach&page=3"
    response = signed_in.get(url)
    assert "Matching events 101 to 121" in response.text
    assert response.text.count('data-kind="breach"') == 21
    assert 'href="?kind=breach&amp;page=2"' in response.text
    assert "Page 3" in response.text
    assert 'rel="next"' not in response.text


def test_preparing_the_pdf_takes_the_same_queries_with_5_and_500_breaches(
    signed_in,
    case,
    story,
    practitioner,
    django_assert_num_queries,
    django_capture_on_commit_callbacks,
):
    """The request and the build it queues (run at once here, as the request commits)."""
    BreachFactory.create_batch(4, case=case, created_by=practitioner)  # five with the story's
    with CaptureQueriesContext(connection) as few, django_capture_on_commit_callbacks(execute=True):
        assert signed_in.post(pdf_url(case)).status_code == 302
    BreachFactory.create_batch(495, case=case, created_by=practitioner)
    with (
        django_assert_num_queries(len(few.captured_queries)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        signed_in.post(pdf_url(case))
    assert Export.objects.filter(status=Export.Status.READY).count() == 2
