"""A database or storage outage during a save: a calm 503 that keeps what was typed."""

import datetime as dt
import errno
import re
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.breaches.models import Breach
from orderwatch.breaches.tests.flow import answer_every_page, check_url, page_answers, question_url
from orderwatch.core.outage import RETRY_AFTER_SECONDS
from orderwatch.core.tests.dates import date_parts
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.tests.factories import png_upload

pytestmark = pytest.mark.django_db
NOTHING_SAVED = "Nothing has been saved yet. Your answers are below – try again in a few minutes."
ACCOUNT = "He stood at the end of the road for an hour, then followed her to the bus stop."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def signed_in(practitioner):
    # Errors answered as a browser sees them, not raised into the test.
    return sign_in_with_two_factor(Client(raise_request_exception=False), practitioner)


def database_stopped(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


def textarea(response, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', response.text, re.S)
    return found.group(1) if found else ""


def assert_outage(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert "Traceback" not in response.text


def test_a_stopped_database_gives_back_the_typed_breach(signed_in, order):
    url = question_url(order.case, "what-happened")
    with connection.execute_wrapper(database_stopped):
        response = signed_in.post(url, {"what_happened": ACCOUNT})
    assert_outage(response)
    assert NOTHING_SAVED in response.text
    assert textarea(response, "what_happened") == ACCOUNT
    assert f'action="{url}"' in response.text
    assert response.text.index("call 999") < response.text.index("Nothing has been saved")


def test_a_stopped_database_on_saving_keeps_the_key_for_one_save(signed_in, order):
    with connection.execute_wrapper(database_stopped):
        response = signed_in.post(check_url(order.case), {"submission_key": "1" * 32})
    assert_outage(response)
    assert "Nothing has been saved yet – try again in a few minutes." in response.text
    assert 'name="submission_key" value="1111' in response.text  # the retry is still one save
    assert not Breach.objects.exists()


def test_the_database_failing_in_the_save_keeps_the_typed_breach(signed_in, order):
    answers = page_answers(order.conditions.first())
    answers["what-happened"] = {"what_happened": ACCOUNT}
    answer_every_page(signed_in, order.case, answers)
    key = str(signed_in.get(check_url(order.case)).context["submission_key"])
    with mock.patch(
        "orderwatch.breaches.services.audit_record", side_effect=OperationalError("gone away")
    ):
        response = signed_in.post(check_url(order.case), {"submission_key": key})
    assert_outage(response)
    assert not Breach.objects.exists()
    assert ACCOUNT in signed_in.get(check_url(order.case)).text  # kept in the session's draft


def test_a_full_disk_gives_back_the_evidence_answers_and_stores_nothing(signed_in, case, media):
    url = reverse("evidence:new", kwargs={"case_id": case.pk})
    answers = {
        "kind": "screenshot",
        "happened_precision": "date",
        **date_parts("happened_on", dt.date(2026, 3, 4)),
        "description": "Screenshots of the messages he sent on Sunday night.",
        "files": png_upload(),
    }
    full = OSError(errno.ENOSPC, "No space left on device")
    with mock.patch("orderwatch.evidence.services._item_record", side_effect=full):
        response = signed_in.post(url, answers)
    assert_outage(response)
    assert textarea(response, "description") == answers["description"]
    assert "Choose the files again" in response.text
    assert not EvidenceItem.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_a_page_asked_for_while_the_database_is_stopped_is_a_plain_503(signed_in, case):
    with connection.execute_wrapper(database_stopped):
        response = signed_in.get(case.get_absolute_url())
    assert_outage(response)
    assert "Try again in a few minutes." in response.text
    assert "<textarea" not in response.text


def test_passwords_and_codes_are_asked_for_again_never_shown():
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_stopped):
        response = client.post(
            reverse("accounts:sign-in"), {"username": "lee@idva.example", "password": "hunter2!"}
        )
    assert_outage(response)
    assert "hunter2!" not in response.text
    assert textarea(response, "username") == "lee@idva.example"
    assert 'name="password" type="password"' in response.text


def test_the_diarys_outage_page_is_neutral(case):
    client = Client(raise_request_exception=False)
    client.force_login(DiaryAccessFactory(case=case).user)
    with connection.execute_wrapper(database_stopped):
        response = client.post("/notes/add/", {"description": "He was outside again."})
    assert_outage(response)
    assert re.search(r"<title>\s*Notes\s*</title>", response.text)
    assert "OrderWatch" not in response.text
    assert textarea(response, "description") == "He was outside again."


def test_any_other_error_is_still_the_plain_error_page(signed_in, order):
    answer_every_page(signed_in, order.case, page_answers(order.conditions.first()))
    key = str(signed_in.get(check_url(order.case)).context["submission_key"])
    with mock.patch("orderwatch.breaches.services.audit_record", side_effect=RuntimeError):
        response = signed_in.post(check_url(order.case), {"submission_key": key})
    assert response.status_code == 500
    assert "Nothing you entered has been saved" in response.text


def test_the_api_says_so_in_json(signed_in, case):
    with connection.execute_wrapper(database_stopped):
        response = signed_in.get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Service Unavailable"
    assert "Nothing has been saved yet" in response.json()["detail"]
