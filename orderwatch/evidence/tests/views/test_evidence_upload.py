"""Uploading evidence through the real request path: streamed to disk, limited, never partial."""

import datetime as dt
import hashlib
import io
import random
import resource
import tracemalloc

import pytest
from django.test import Client
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.confidential.tests.full_disk import disk_fills_after
from orderwatch.confidential.uploads import EncryptedUploadHandler
from orderwatch.core.tests.dates import date_parts
from orderwatch.core.tests.streamed_body import BOUNDARY, post_through_wsgi
from orderwatch.evidence.models import ChainEntry, EvidenceFile, EvidenceItem
from orderwatch.evidence.tests.factories import EXECUTABLE, PDF, PNG

pytestmark = pytest.mark.django_db


def _fields(**values: str) -> bytes:
    return b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in values.items()
    )


def _file_head(name: str) -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


END = f"\r\n--{BOUNDARY}--\r\n".encode()
ANSWERS = {
    "kind": "video",
    "happened_precision": "date",
    **date_parts("happened_on", dt.date(2026, 3, 4)),
    "description": "Doorbell camera video of him at the door.",
}


class MultipartStream(io.RawIOBase):
    """A request body made on the fly: the form's answers, then a file of `size` bytes that is
    never held in memory whole (its SHA-256 is worked out as it is made)."""

    def __init__(self, fields: bytes, size: int, *, cut_short_at: int | None = None):
        super().__init__()
        self.head = fields + _file_head("doorbell.mp4")
        self.size, self.sent, self.digest = size, 0, hashlib.sha256()
        self.length = len(self.head) + size + len(END)
        self.cut_short_at = cut_short_at
        self.block = random.Random(7).randbytes(1024 * 1024)  # noqa: S311
        self.file_head = PDF  # a PDF's signature: sniffed as an allowed type

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._next(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _next(self, wanted: int) -> bytes:
        if self.cut_short_at is not None and self.sent >= self.cut_short_at:
            return b""
        position, out = self.sent, b""
        if position < len(self.head):
            out = self.head[position : position + wanted]
        elif position < len(self.head) + self.size:
            offset = position - len(self.head)
            if offset < len(self.file_head):
                out = self.file_head[offset:]
            else:
                start = (offset - len(self.file_head)) % len(self.block)
                out = self.block[start : start + wanted]
            out = out[: min(wanted, self.size - offset)]
            self.digest.update(out)
        else:
            offset = position - len(self.head) - self.size
            out = END[offset : offset + wanted]
        self.sent += len(out)
        return out


def _post_through_wsgi(client, url: str, body: MultipartStream) -> tuple[int, bytes]:
    """Post `body` through Django's WSGI handler, as a server would, with the client's cookies."""
    client.get(url)  # the form sets the CSRF cookie
    return post_through_wsgi(client, url, body)


def _answers_with_token(client) -> bytes:
    return _fields(csrfmiddlewaretoken=client.cookies["csrftoken"].value, **ANSWERS)


def _new_url(case) -> str:
    return reverse("evidence:new", kwargs={"case_id": case.pk})


def test_a_file_far_larger_than_the_memory_budget_streams_through(signed_in, case, settings):
    """The issue's bar: a 256 MB upload, end to end, with peak Python memory under 30 MB."""
    size = 256 * 1024 * 1024
    settings.ORDERWATCH_EVIDENCE_MAX_BYTES = size
    url = _new_url(case)
    signed_in.get(url)
    body = MultipartStream(_answers_with_token(signed_in), size)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    try:
        status, _ = _post_through_wsgi(signed_in, url, body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before

    assert status == 302
    file = EvidenceFile.objects.get()
    assert file.size == size
    assert file.sha256 == body.digest.hexdigest()
    assert file.content_type == "application/pdf"
    assert peak < 30 * 1024 * 1024
    assert rss_growth_kb < 64 * 1024


def test_a_file_over_the_limit_is_stopped_and_nothing_is_kept(signed_in, case, settings, media):
    settings.ORDERWATCH_EVIDENCE_MAX_BYTES = 1024 * 1024
    url = _new_url(case)
    signed_in.get(url)
    body = MultipartStream(_answers_with_token(signed_in), 64 * 1024 * 1024)
    status, content = _post_through_wsgi(signed_in, url, body)
    assert status == 200
    assert b"The selected file is too large, so nothing was saved" in content
    assert body.sent < 4 * 1024 * 1024  # stopped without reading the rest
    assert b"Doorbell camera video of him at the door." in content  # answers kept
    assert not EvidenceItem.objects.exists()
    assert not (media / "evidence").exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # nor anything part-written


def test_an_upload_cut_short_keeps_nothing(signed_in, case, media):
    url = _new_url(case)
    signed_in.get(url)
    body = MultipartStream(_answers_with_token(signed_in), 1024 * 1024, cut_short_at=600_000)
    status, content = _post_through_wsgi(signed_in, url, body)
    assert status == 200
    assert b"The upload did not finish, so nothing was saved" in content
    assert not EvidenceItem.objects.exists()
    assert not ChainEntry.objects.exists()
    assert not (media / "evidence").exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # nor anything part-written


def _post(client, case, *files, **answers):
    data = {**ANSWERS, "kind": "photo", **answers, "files": list(files)}
    return client.post(_new_url(case), data)


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_a_photo_is_added_and_shown(signed_in, case):
    response = _post(signed_in, case, _upload("IMG_0042.png", PNG))
    item = EvidenceItem.objects.get()
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    page = signed_in.get(response.url).text
    assert "IMG_0042.png" in page
    assert "<title>Evidence item – OrderWatch</title>" in page


def test_an_executable_named_as_a_photo_is_refused_on_the_form(signed_in, case, media):
    response = _post(signed_in, case, _upload("photo.jpg", EXECUTABLE))
    assert response.status_code == 200
    assert "photo.jpg: The selected file must be a JPG, PNG" in response.text
    assert 'href="#id_files"' in response.text
    assert "Doorbell camera video of him at the door." in response.text
    assert not EvidenceItem.objects.exists()
    assert not (media / "evidence").exists()
    assert not [p for p in media.rglob("*") if p.is_file()]  # nor anything part-written


def test_an_empty_file_is_refused_on_the_form(signed_in, case):
    response = _post(signed_in, case, _upload("photo.png", b""))
    assert "The selected file is empty" in response.text
    assert not EvidenceItem.objects.exists()


def test_a_correction_of_an_item_from_another_case_is_404(signed_in, case, outsider):
    from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
    from orderwatch.evidence.tests.factories import item_added

    other = CaseFactory()
    CaseTeamMembershipFactory(case=other, user=outsider, is_lead=True)
    theirs = item_added(actor=outsider, case=other)
    url = reverse("evidence:correct", kwargs={"case_id": case.pk, "item_id": theirs.pk})
    response = signed_in.post(url, {**ANSWERS, "kind": "note"})
    assert response.status_code == 404
    assert EvidenceItem.objects.filter(case=case).count() == 0


def test_an_upload_to_a_case_outside_the_team_never_reaches_the_disk(outsider, case, monkeypatch):
    def must_not_store(*args, **kwargs):
        raise AssertionError("an outsider's upload reached the disk")

    monkeypatch.setattr(EncryptedUploadHandler, "new_file", must_not_store)
    checked = sign_in_with_two_factor(Client(enforce_csrf_checks=True), outsider)
    response = checked.post(
        _new_url(case), {**ANSWERS, "files": io.BytesIO(PNG)}, format="multipart"
    )
    assert response.status_code == 404


def test_a_full_disk_part_way_saves_nothing_and_leaves_nothing(signed_in, case, media, monkeypatch):
    disk_fills_after(monkeypatch, 256 * 1024)
    video = _upload("doorbell.mp4", PDF + bytes(3 * 1024 * 1024))

    response = _post(signed_in, case, _upload("IMG_0042.png", PNG), video)

    assert response.status_code == 503  # the outage page, with the answers to send again
    assert "Nothing has been saved yet" in response.text
    assert not EvidenceItem.objects.exists()
    assert not ChainEntry.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
