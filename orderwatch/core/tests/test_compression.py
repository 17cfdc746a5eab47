"""Pages are gzipped; a page that shows a secret never is (BREACH, ADR 0013)."""

import gzip
import uuid

import pytest
from django.test import Client
from django.urls import resolve, reverse

from orderwatch.accounts.tests.factories import (
    TEST_PASSWORD,
    UserFactory,
    authenticator_code,
    sign_in_with_two_factor,
)

pytestmark = pytest.mark.django_db

ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's protected address
ANY = uuid.uuid4()

# Every page that can show a secret: a one-time link, an authenticator secret or recovery codes,
# a revealed confidential value (or one typed into a form that comes back with an error).
SHOWS_A_SECRET = [
    ("accounts:mfa-setup", {}),
    ("diary:second-step", {}),
    ("diary-case:invite", {"case_id": ANY}),
    ("calendar_feed:create", {}),
    ("cases:address-reveal", {"case_id": ANY}),
    ("cases:address-record", {"case_id": ANY}),
    ("orders:address-change-new", {"case_id": ANY}),
    ("breaches:witnesses-reveal", {"case_id": ANY, "breach_id": ANY}),
    ("sharing:party-edit", {"case_id": ANY, "party_id": ANY}),
    ("sharing:party-contact", {"case_id": ANY, "party_id": ANY}),
]


@pytest.fixture
def browser(practitioner):
    client = Client(HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    return sign_in_with_two_factor(client, practitioner)


def test_pages_are_gzipped_for_browsers_that_accept_it(browser, case):
    response = browser.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert case.reference in gzip.decompress(response.content).decode()


def test_pages_are_sent_plain_to_clients_that_do_not_accept_gzip(client, practitioner, case):
    sign_in_with_two_factor(client, practitioner)
    response = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert not response.has_header("Content-Encoding")
    assert case.reference in response.text


@pytest.mark.parametrize(("name", "kwargs"), SHOWS_A_SECRET)
def test_every_page_that_shows_a_secret_is_marked_not_compressed(name, kwargs):
    assert resolve(reverse(name, kwargs=kwargs)).func.compressed is False


def test_a_revealed_address_is_sent_uncompressed(browser, practitioner, case):
    response = browser.post(
        reverse("cases:address-reveal", kwargs={"case_id": case.pk}),
        {"reason": "Arranging a home visit", "code": authenticator_code(practitioner)},
    )
    assert not response.has_header("Content-Encoding")
    assert ADDRESS in response.text


def test_the_authenticator_secret_is_sent_uncompressed(idva_service):
    user = UserFactory(agency=idva_service, authenticator=False)
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    client.post(reverse("accounts:sign-in"), {"username": user.email, "password": TEST_PASSWORD})
    response = client.get(reverse("accounts:mfa-setup"))
    assert not response.has_header("Content-Encoding")
    assert 'src="data:image/svg+xml' in response.text


def test_a_new_calendar_link_is_sent_uncompressed(browser):
    response = browser.post(reverse("calendar_feed:create"))
    assert not response.has_header("Content-Encoding")
    assert "/calendar/feed/" in response.text


def test_files_are_sent_as_they_are(browser):
    response = browser.get(reverse("core:evidence-signing-key-pem"))
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
