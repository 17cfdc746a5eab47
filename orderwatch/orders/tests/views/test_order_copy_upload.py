"""Uploading a copy of the order: encrypted as it arrives (never a plain-text temporary file),
stopped over its limit, and nothing left behind when the disk fills."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.confidential.files import EncryptedUpload
from orderwatch.confidential.tests.full_disk import disk_fills_after
from orderwatch.core.tests.streamed_body import StreamedBody, post_through_wsgi
from orderwatch.orders import services
from orderwatch.orders.models import OrderCopy

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
MARKER = b"Sealed at Hidden Town Family Court: the respondent must not attend 4 Elm Row. "


@pytest.fixture
def watched(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.MEDIA_ROOT = tmp_path / "media"
    for folder in (settings.FILE_UPLOAD_TEMP_DIR, settings.MEDIA_ROOT):
        folder.mkdir()
    return settings.FILE_UPLOAD_TEMP_DIR, settings.MEDIA_ROOT


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def _url(order) -> str:
    return reverse("orders:copy-upload", kwargs={"case_id": order.case_id, "order_id": order.pk})


def _files(*folders) -> list:
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def _big_pdf() -> SimpleUploadedFile:
    # Larger than FILE_UPLOAD_MAX_MEMORY_SIZE: Django's own handlers would write it to a
    # temporary file in plain text.
    return SimpleUploadedFile("order.pdf", b"%PDF-1.7\n" + MARKER * (3 * MB // len(MARKER)))


def test_a_copy_is_never_on_disk_in_plain_text(signed_in, order, watched, monkeypatch):
    seen = {}
    real = services.order_copy_add

    def order_copy_add(*, upload, **kwargs):
        # While the request's files are open, as the service stores the copy.
        seen["upload"] = upload
        seen["plain"] = [p for p in _files(*watched) if MARKER in p.read_bytes()]
        return real(upload=upload, **kwargs)

    monkeypatch.setattr(services, "order_copy_add", order_copy_add)
    response = signed_in.post(_url(order), {"file": _big_pdf()})

    assert response.status_code == 302
    assert isinstance(seen["upload"], EncryptedUpload)
    assert seen["plain"] == []
    assert order.copies.count() == 2


def _streamed(signed_in, order, size: int, watched) -> StreamedBody:
    signed_in.get(_url(order))  # sets the CSRF cookie
    token = signed_in.cookies["csrftoken"].value
    return StreamedBody(
        size, fields={"csrfmiddlewaretoken": token}, file_field="file", watched=watched
    )


def test_a_copy_over_its_limit_is_stopped_and_nothing_is_kept(signed_in, order, watched, settings):
    settings.ORDERWATCH_ORDER_COPY_MAX_BYTES = MB
    before = set(_files(*watched))
    body = _streamed(signed_in, order, 2 * MB, watched)
    status, content = post_through_wsgi(signed_in, _url(order), body)

    assert status == 200
    assert b"The selected file is too large, so nothing was saved" in content
    assert body.sent < 2 * MB  # stopped without reading the rest
    assert order.copies.count() == 1
    assert set(_files(*watched)) == before


def test_a_copy_far_over_its_limit_is_refused_unread(signed_in, order, watched):
    body = _streamed(signed_in, order, 200 * MB, watched)
    status, content = post_through_wsgi(signed_in, _url(order), body)
    assert status == 413
    assert body.sent == 0
    assert b"Nothing has been saved." in content


def test_a_full_disk_part_way_saves_nothing_and_leaves_nothing(
    signed_in, order, watched, monkeypatch
):
    before = set(_files(*watched))
    disk_fills_after(monkeypatch, MB)

    response = signed_in.post(_url(order), {"file": _big_pdf()})

    assert response.status_code == 503  # the outage page: try again in a few minutes
    assert "Nothing has been saved yet" in response.text
    assert OrderCopy.objects.filter(order=order).count() == 1
    assert set(_files(*watched)) == before
