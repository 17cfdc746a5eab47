"""A prepared document's page in each state, in Chromium, checked with axe-core (WCAG 2.2 A/AA).

Downloading a ready one is part of the order-summary and chronology journeys.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from orderwatch.exports.models import Export
from orderwatch.exports.tests.factories import ExportFactory
from tests.browser.pages import expect_heading


@pytest.mark.browser
def test_a_document_being_prepared_failed_or_gone_says_what_to_do(
    page, live_server, practitioner, case, sign_in, assert_accessible
):
    export = ExportFactory(case=case, created_by=practitioner, parameters={"kinds": ["breach"]})
    sign_in(page, live_server, practitioner)

    page.goto(export.get_absolute_url())
    expect_heading(page, "Preparing your document")
    expect(page).to_have_title(f"Preparing your document – case {case.reference} – OrderWatch")
    assert_accessible(page)
    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.BUILDING, progress_done=3, progress_total=12
    )
    page.get_by_role("link", name="Check again").click()
    expect(page.get_by_role("progressbar", name="3 of 12 done")).to_be_visible()
    assert_accessible(page)

    Export.objects.filter(pk=export.pk).update(
        status=Export.Status.FAILED, attempts=3, last_error="OSError"
    )
    page.reload()
    expect_heading(page, "Your document could not be prepared")
    assert_accessible(page)
    page.get_by_role("link", name="Try again").click()
    expect_heading(page, "Chronology")
    expect(page).to_have_url(re.compile(r"\?kind=breach$"))

    gone = ExportFactory(
        case=case,
        created_by=practitioner,
        ready=True,
        ready_at=timezone.now() - dt.timedelta(hours=24),
    )
    page.goto(gone.get_absolute_url())
    expect_heading(page, "This document is no longer available")
    assert_accessible(page)
    page.get_by_role("link", name="Prepare it again").click()
    expect_heading(page, "Chronology")
