"""Request bodies over their page's limit are refused with a calm 413 page before any of them is
read, signed in or not; a page that takes no files writes none."""

import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.confidential import uploads
from orderwatch.core.tests.streamed_body import StreamedBody, bytes_on_disk, post_through_wsgi

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def watched(settings, tmp_path):
    """Django's upload temporary folder and the media folder, both watched during requests."""
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.MEDIA_ROOT = tmp_path / "media"
    for folder in (settings.FILE_UPLOAD_TEMP_DIR, settings.MEDIA_ROOT):
        folder.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR, settings.MEDIA_ROOT


def _body(size: int, watched, **fields) -> StreamedBody:
    return StreamedBody(size, fields=fields, file_field="file", watched=watched)


def test_200_mb_posted_to_the_sign_in_page_is_refused_before_1_mb_is_on_disk(client, watched):
    body = _body(200 * MB, watched, email="someone@example.org", password="x")
    status, content = post_through_wsgi(client, reverse("accounts:sign-in"), body)

    assert status == 413
    assert body.sent < MB
    assert body.most_on_disk < MB
    assert bytes_on_disk(*watched) == 0
    page = content.decode()
    assert "What you sent is too large" in page
    assert "Nothing has been saved." in page
    assert f'href="{reverse("accounts:sign-in")}">Go back to the page</a>' in page


def test_a_signed_in_page_that_takes_no_files_refuses_a_large_body(client, practitioner, watched):
    signed_in = sign_in_with_two_factor(client, practitioner)
    body = _body(50 * MB, watched, title="x")
    status, content = post_through_wsgi(signed_in, reverse("cases:new"), body)
    assert status == 413
    assert body.sent < MB
    assert b"This page takes up to 2.5\xc2\xa0MB at a time." in content


def _sign_in_attempt(client, watched, size: int) -> StreamedBody:
    client.get(reverse("accounts:sign-in"))  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    return _body(
        size, watched, csrfmiddlewaretoken=token, username="someone@example.org", password="x"
    )


def test_a_body_within_the_limit_is_read_as_usual(client, watched):
    body = _sign_in_attempt(client, watched, MB)
    status, content = post_through_wsgi(client, reverse("accounts:sign-in"), body)
    assert status == 200
    assert body.sent == body.length
    assert b"What you sent is too large" not in content


def test_a_file_sent_to_a_page_that_takes_none_is_never_written(client, watched, monkeypatch):
    made = []
    monkeypatch.setattr(uploads, "EncryptedUpload", lambda *a: made.append(a))
    body = _sign_in_attempt(client, watched, MB)
    status, _ = post_through_wsgi(client, reverse("accounts:sign-in"), body)
    assert status == 200
    assert body.sent == body.length  # the whole body read: the file was skipped, not stored
    assert made == []
    assert body.most_on_disk == 0


def test_the_diary_answers_with_its_own_neutral_page(client, watched):
    body = _body(200 * MB, watched)
    status, content = post_through_wsgi(client, reverse("diary:sign-in"), body)
    assert status == 413
    assert b"That is too large to send" in content
    assert b"OrderWatch" not in content


def test_the_api_answers_in_json(client, watched):
    body = _body(200 * MB, watched)
    status, content = post_through_wsgi(client, reverse("api:case-list"), body)
    assert status == 413
    assert content.startswith(b'{"detail": "The request body is larger than')


def test_an_evidence_upload_over_its_total_limit_is_refused_unread(
    client, practitioner, case, watched, settings
):
    settings.ORDERWATCH_EVIDENCE_MAX_REQUEST_BYTES = 10 * MB
    signed_in = sign_in_with_two_factor(client, practitioner)
    url = reverse("evidence:new", kwargs={"case_id": case.pk})
    body = StreamedBody(20 * MB, fields={"kind": "video"}, file_field="files", watched=watched)
    status, _ = post_through_wsgi(signed_in, url, body)
    assert status == 413
    assert body.sent == 0
