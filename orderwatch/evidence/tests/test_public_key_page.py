"""The public signing-key page: anyone can fetch the key that checks bundles, signed in or not.

The page is not wired into the real URLs yet, so this module is its own URLConf: the URLs the
page layout and sign-in need, with the two key pages in the `core` namespace, where they go.
"""

import base64

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.urls import include, path, reverse

from orderwatch.core import urls as core_urls
from orderwatch.evidence import public_key
from orderwatch.evidence.bundle_check import key_fingerprint

urlpatterns = [
    path(
        "",
        include(
            (
                [
                    *core_urls.urlpatterns,
                    path(
                        "evidence-signing-key/",
                        public_key.evidence_public_key,
                        name="evidence-signing-key",
                    ),
                    path(
                        "evidence-signing-key.pem",
                        public_key.evidence_public_key_pem,
                        name="evidence-signing-key-pem",
                    ),
                ],
                "core",
            )
        ),
    ),
    path("accounts/", include("orderwatch.accounts.urls")),
]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def expected_pem(settings) -> bytes:
    """Return the public key derived here from the settings' seed, not by the code under test."""
    seed = base64.urlsafe_b64decode(settings.ORDERWATCH_EVIDENCE_SIGNING_KEY)
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    )


def test_anyone_sees_the_key_its_fingerprint_and_how_to_check_a_bundle(client, expected_pem):
    response = client.get(reverse("core:evidence-signing-key"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Evidence bundle signing key – OrderWatch</title>" in html
    assert f'data-testid="public-key-pem">{expected_pem.decode()}</pre>' in html
    assert f'data-testid="key-fingerprint">{key_fingerprint(expected_pem)}</code>' in html
    assert "python -m orderwatch verify-bundle BUNDLE.zip --public-key" in html


def test_anyone_downloads_the_key_as_a_pem_file(client, expected_pem):
    response = client.get(reverse("core:evidence-signing-key-pem"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert response["Content-Disposition"] == (
        'attachment; filename="orderwatch-evidence-signing-key.pem"'
    )
    assert response.content == expected_pem


def test_signed_in_pages_still_need_sign_in_under_this_urlconf(client):
    assert client.get(reverse("accounts:mfa-setup")).status_code == 302


@pytest.mark.django_db
def test_user_between_password_and_two_factor_code_sees_the_key_too(client, practitioner):
    client.force_login(practitioner)

    assert client.get(reverse("core:evidence-signing-key")).status_code == 200
    assert client.get(reverse("core:evidence-signing-key-pem")).status_code == 200


def test_key_pages_only_answer_reads(client):
    assert client.post(reverse("core:evidence-signing-key")).status_code == 405
    assert client.post(reverse("core:evidence-signing-key-pem")).status_code == 405
