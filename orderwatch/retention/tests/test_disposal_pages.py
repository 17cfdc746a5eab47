"""The disposal pages: choose a batch, check it, confirm it, see what was kept (ADR 0041)."""

import uuid

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.cases.models import Case
from orderwatch.retention.models import LegalHold
from orderwatch.retention.tests.factories import LegalHoldFactory
from orderwatch.retention.tests.test_disposal import closed_case, dispose, later

pytestmark = pytest.mark.django_db
DUE_URL = "/disposal/"


def test_the_due_page_lists_cases_to_choose_and_those_kept_by_a_hold(
    client, practitioner, agency_admin
):
    free, held = closed_case(practitioner), closed_case(practitioner)
    LegalHoldFactory(case=held, kind=LegalHold.Kind.COMPLAINT)
    sign_in_with_two_factor(client, agency_admin)
    assert "No case's records are due for disposal." in client.get(DUE_URL).text
    with later():
        sign_in_with_two_factor(client, agency_admin)  # six years on: signed out long ago
        text = client.get(DUE_URL).text
    choices, kept = text.split("Kept under legal hold")
    assert f'value="{free.pk}"' in choices
    assert f'value="{held.pk}"' not in text  # a held case is never a choice
    assert held.reference in kept
    assert free.reference not in kept


def test_choosing_checking_and_confirming_disposes_and_shows_what_is_kept(
    client, practitioner, agency_admin
):
    first, second, left = (closed_case(practitioner) for _ in range(3))
    with later():
        sign_in_with_two_factor(client, agency_admin)
        check = client.post(DUE_URL, {"cases": [str(first.pk), str(second.pk)]})
        assert "Check before disposing of records" in check.text
        assert "This cannot be undone." in check.text
        assert first.reference in check.text
        assert left.reference not in check.text
        assert Case.objects.filter(status=Case.Status.DISPOSED).count() == 0  # not yet
        key = check.context["form"]["submission_key"].value()
        with TestCase.captureOnCommitCallbacks(execute=True):
            done = client.post(
                reverse("retention:disposal-check"),
                {"cases": [str(first.pk), str(second.pk)], "submission_key": key},
            )
        assert done.status_code == 302
        page = client.get(done.url).text
        batches = client.get(DUE_URL).text.split("Disposals confirmed")[1]
    assert "2 cases" in batches
    assert "Records disposed of" in page
    assert "2 cases" in page
    assert first.reference in page
    assert "Adult case record" in page
    statuses = dict(Case.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[left.pk]) == (
        "disposed",
        "disposed",
        "closed",
    )


def test_choosing_nothing_says_what_to_do(client, practitioner, agency_admin):
    closed_case(practitioner)
    with later():
        sign_in_with_two_factor(client, agency_admin)
        response = client.post(DUE_URL, {})
    assert response.status_code == 200
    assert "Select the cases whose records are to be disposed of" in response.text
    assert "There is a problem" in response.text


def test_a_case_held_after_the_check_page_stops_the_batch_with_a_message(
    client, practitioner, agency_admin
):
    case = closed_case(practitioner)
    with later():
        sign_in_with_two_factor(client, agency_admin)
        check = client.post(DUE_URL, {"cases": [str(case.pk)]})
        LegalHoldFactory(case=case)  # placed by someone else meanwhile
        response = client.post(
            reverse("retention:disposal-check"),
            {
                "cases": [str(case.pk)],
                "submission_key": check.context["form"]["submission_key"].value(),
            },
        )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


@pytest.mark.parametrize("cases", [1, 4])
def test_the_due_page_asks_the_database_the_same_number_of_times_however_many_cases(
    client, practitioner, agency_admin, cases
):
    for _ in range(cases):
        closed_case(practitioner)
    with later():
        sign_in_with_two_factor(client, agency_admin)
        client.get(DUE_URL)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(DUE_URL).status_code == 200
    assert len(queries) == EXPECTED_DUE_PAGE_QUERIES


EXPECTED_DUE_PAGE_QUERIES = 6  # session, user, due cases, batches, and the nav's reads


def test_a_case_that_is_not_listed_is_refused_with_a_message(client, practitioner, agency_admin):
    listed = closed_case(practitioner)
    with later():
        sign_in_with_two_factor(client, agency_admin)
        response = client.post(DUE_URL, {"cases": [str(listed.pk), str(uuid.uuid4())]})
    assert response.status_code == 200
    assert "Select cases from the list" in response.text
    assert "Check before disposing of records" not in response.text
    assert Case.objects.get(pk=listed.pk).status == Case.Status.CLOSED


@pytest.mark.parametrize("cases", [1, 3])
def test_the_batch_page_asks_the_database_the_same_number_of_times_however_many_cases(
    client, practitioner, agency_admin, cases
):
    chosen = [closed_case(practitioner) for _ in range(cases)]
    with later():
        batch = dispose(agency_admin, chosen)
        sign_in_with_two_factor(client, agency_admin)
        url = reverse("retention:disposal-batch", kwargs={"batch_id": batch.pk})
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
    assert len(queries) == EXPECTED_BATCH_PAGE_QUERIES


EXPECTED_BATCH_PAGE_QUERIES = 6  # session, user, the batch, its tombstones, the nav's reads
