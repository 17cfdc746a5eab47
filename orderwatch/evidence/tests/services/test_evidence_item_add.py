import hashlib
import io
from collections.abc import Iterator

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.confidential.files import encrypted_file_chunks
from orderwatch.core.tests.clock import NOW
from orderwatch.evidence import chain
from orderwatch.evidence.models import ChainEntry, EvidenceFile, EvidenceItem
from orderwatch.evidence.selectors import chain_problem
from orderwatch.evidence.tests.factories import (
    EXECUTABLE,
    PDF,
    PNG,
    item_added,
    png_upload,
    sha256,
)
from orderwatch.evidence.tests.services.conftest import stored_files

pytestmark = pytest.mark.django_db


def _nothing_kept(media) -> None:
    assert not EvidenceItem.objects.exists()
    assert not EvidenceFile.objects.exists()
    assert not ChainEntry.objects.exists()
    assert stored_files(media) == []


def test_an_item_is_stored_encrypted_hashed_chained_and_audited(practitioner, case, media):
    item = item_added(actor=practitioner, case=case, uploads=[png_upload("IMG_0042.png")])

    file = item.files.get()
    assert (file.original_name, file.size, file.content_type) == (
        "IMG_0042.png",
        len(PNG),
        "image/png",
    )
    assert file.sha256 == sha256(PNG)
    assert b"".join(encrypted_file_chunks(name=file.stored_name)) == PNG
    assert item.content_sha256 == chain.item_hash(item.chain_content([sha256(PNG)]))
    entry = ChainEntry.objects.get()
    assert (entry.sequence, entry.kind, entry.item, entry.author) == (
        1,
        "added",
        item,
        practitioner,
    )
    assert entry.previous_hash == chain.GENESIS_HASH
    assert entry.item_hash == item.content_sha256
    event = AuditEvent.objects.get(verb=Verb.EVIDENCE_ITEM_ADDED)
    assert event.payload["files"] == [sha256(PNG)]
    assert chain_problem(case=case) is None


def test_the_stored_bytes_do_not_contain_the_original(practitioner, case, media):
    marker = b"He said he would be waiting outside the school at three. " * 50
    content = PDF + marker
    item = item_added(
        actor=practitioner,
        case=case,
        kind=EvidenceItem.Kind.DOCUMENT,
        uploads=[File(_bytes_file(content), name="statement.pdf")],
    )
    raw = (media / item.files.get().stored_name).read_bytes()
    assert marker[:40] not in raw
    assert PDF[:16] not in raw


def _bytes_file(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


def test_each_item_follows_on_from_the_one_before(practitioner, case):
    first = item_added(actor=practitioner, case=case)
    second = item_added(actor=practitioner, case=case, kind=EvidenceItem.Kind.NOTE, uploads=[])
    entries = list(ChainEntry.objects.order_by("sequence"))
    assert [e.item for e in entries] == [first, second]
    assert entries[1].previous_hash == entries[0].entry_hash
    assert chain_problem(case=case) is None


def test_several_files_are_kept_in_order(practitioner, case):
    item = item_added(
        actor=practitioner,
        case=case,
        kind=EvidenceItem.Kind.MESSAGE_LOG,
        uploads=[png_upload("one.png"), File(_bytes_file(PDF), name="two.pdf")],
    )
    assert [(f.position, f.original_name, f.content_type) for f in item.files.all()] == [
        (1, "one.png", "image/png"),
        (2, "two.pdf", "application/pdf"),
    ]


def test_a_correction_refers_to_the_earlier_item(practitioner, case):
    earlier = item_added(actor=practitioner, case=case)
    correction = item_added(
        actor=practitioner,
        case=case,
        kind=EvidenceItem.Kind.NOTE,
        uploads=[],
        description="The photo was taken on Tuesday, not Wednesday.",
        corrects=earlier,
    )
    earlier.refresh_from_db()
    assert correction.corrects == earlier
    assert earlier.description == "Photo of the car parked outside the house."
    assert chain.item_canonical(correction.chain_content([])).count(str(earlier.pk).encode()) == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            png_upload("holiday.jpg", EXECUTABLE),
            "holiday.jpg: The selected file must be a JPG, PNG, GIF, WebP, HEIC, MP3, M4A, WAV, "
            "OGG, MP4, MOV, WebM or PDF",
        ),
        (png_upload("empty.png", b""), "empty.png: The selected file is empty"),
        (
            png_upload("large.png", PNG + bytes(2048)),
            "large.png: The selected file must be smaller than 1 KB",
        ),
    ],
    ids=["executable-renamed-jpg", "zero-bytes", "over-the-limit"],
)
def test_a_refused_file_is_explained_and_nothing_is_kept(
    practitioner, case, media, settings, upload, message
):
    settings.ORDERWATCH_EVIDENCE_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refused:
        item_added(actor=practitioner, case=case, uploads=[png_upload("fine.png"), upload])
    assert refused.value.message_dict == {"files": [message]}
    _nothing_kept(media)


class _Interrupted(File):
    """An upload whose connection drops after the first chunk."""

    def chunks(self, chunk_size=None) -> Iterator[bytes]:
        yield PNG
        raise OSError("Connection reset by peer")


def test_an_interrupted_upload_keeps_nothing(practitioner, case, media):
    with pytest.raises(OSError, match="Connection reset"):
        item_added(
            actor=practitioner,
            case=case,
            uploads=[png_upload(), _Interrupted(_bytes_file(PNG), name="cut.png")],
        )
    _nothing_kept(media)


def test_a_failure_after_the_files_are_stored_removes_them(practitioner, case, media, monkeypatch):
    def audit_down(**kwargs):
        raise RuntimeError("audit unavailable")

    monkeypatch.setattr("orderwatch.evidence.services.audit_record", audit_down)
    with pytest.raises(RuntimeError):
        item_added(actor=practitioner, case=case)
    _nothing_kept(media)


def test_correcting_an_item_of_another_case_is_a_404(
    practitioner, case, outsider, other_case, media
):
    theirs = item_added(actor=outsider, case=other_case)
    with pytest.raises(Http404):
        item_added(actor=practitioner, case=case, corrects=theirs)
    assert EvidenceItem.objects.filter(case=case).count() == 0
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"description": "  "}, {"description": ["Enter a description of the evidence"]}),
        ({"uploads": []}, {"files": ["Select at least one file"]}),
        ({"kind": "rumour"}, {"kind": ["Select what kind of evidence it is"]}),
        (
            {"occurrence": Occurrence(Precision.DATE, NOW.date().replace(day=6))},
            {"happened_on": ["The date it happened cannot be in the future"]},
        ),
        (
            {"occurrence": Occurrence(Precision.RANGE, NOW.date().replace(day=1))},
            {"happened_until": ["Enter the last date it could have happened"]},
        ),
    ],
    ids=["no-description", "photo-without-file", "unknown-kind", "future", "open-range"],
)
def test_an_incomplete_item_is_refused_before_anything_is_stored(
    practitioner, case, media, overrides, errors
):
    with pytest.raises(ValidationError) as refused:
        item_added(actor=practitioner, case=case, **overrides)
    assert refused.value.message_dict == errors
    _nothing_kept(media)


def test_a_note_needs_no_file(practitioner, case):
    item = item_added(
        actor=practitioner, case=case, kind=EvidenceItem.Kind.NOTE, uploads=[], description="Call"
    )
    assert item.files.count() == 0
    assert item.content_sha256 == chain.item_hash(item.chain_content([]))


def test_someone_outside_the_case_team_gets_404_and_nothing_is_stored(outsider, case, media):
    with pytest.raises(Http404):
        item_added(actor=outsider, case=case)
    _nothing_kept(media)


def test_an_auditor_on_the_team_may_not_add(auditor, case, media):
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        item_added(actor=auditor, case=case)
    _nothing_kept(media)


def test_the_hash_recorded_is_the_originals(practitioner, case):
    content = PNG + bytes(range(256)) * 1000
    item = item_added(actor=practitioner, case=case, uploads=[png_upload("big.png", content)])
    assert item.files.get().sha256 == hashlib.sha256(content).hexdigest()
