"""Writing an evidence bundle: originals intact, manifest complete and signed, changes refused."""

import dataclasses
import hashlib
import io
import tracemalloc
import zipfile

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from orderwatch.evidence import chain, signing
from orderwatch.evidence.bundle import BundleRefused, bundle_write
from orderwatch.evidence.tests.bundle_support import (
    ITEM_IDS,
    PLACEHOLDER_PDF,
    SAMPLE_CASE,
    SAMPLE_CHRONOLOGY,
    chain_for,
    generated_bytes,
    manifest_of,
    members,
    sample_items,
    write_bundle,
)

LARGE = 5 * 1024 * 1024 + 123


@pytest.fixture(scope="module")
def large_bundle() -> bytes:
    return write_bundle(sample_items(large_size=LARGE))


def test_originals_are_byte_identical_under_item_and_number(large_bundle):
    contents = members(large_bundle)

    assert contents[f"files/{ITEM_IDS[0]}/1.jpg"].startswith(b"\xff\xd8\xff")
    assert contents[f"files/{ITEM_IDS[0]}/2.png"] == b"\x89PNG\r\n\x1a\n screenshot of the messages"
    assert contents[f"files/{ITEM_IDS[0]}/3.mp4"] == generated_bytes(LARGE)


def test_manifest_lists_every_file_with_its_sha256_size_and_uploaded_name(large_bundle):
    contents = members(large_bundle)
    manifest = manifest_of(large_bundle)
    files = [file for item in manifest["items"] for file in item["files"]]

    assert {file["path"] for file in files} == {n for n in contents if n.startswith("files/")}
    for file in files:
        assert file["sha256"] == hashlib.sha256(contents[file["path"]]).hexdigest()
        assert file["size"] == len(contents[file["path"]])
    assert [f["id"] for f in files] == ["photo-1", "shot-1", "video-1"]
    assert [f["original_name"] for f in files] == [
        "IMG_0042.jpeg",
        "../../Screenshot: messages 1 March?.png",
        "Doorbell camera 2 March.mp4",
    ]
    assert manifest["index"] == {
        "path": "index.pdf",
        "sha256": hashlib.sha256(PLACEHOLDER_PDF).hexdigest(),
        "size": len(PLACEHOLDER_PDF),
    }


def test_manifest_records_case_items_removal_correction_and_chain(large_bundle):
    manifest = manifest_of(large_bundle)

    assert manifest["case_reference"] == "OW-2026-0042"
    assert manifest["exported_at"] == "2026-03-02T14:30:00Z"
    assert manifest["signing_key_fingerprint"] == signing.public_key_fingerprint()
    assert [item["id"] for item in manifest["items"]] == list(ITEM_IDS)
    assert manifest["items"][1]["removed"] == {
        "reason": "Entered with the wrong date",
        "at": "2026-03-01T09:00:00Z",
        "by": "Pat Lead, Test IDVA Service",
    }
    assert manifest["items"][2]["content"]["corrects"] == ITEM_IDS[1]
    assert manifest["items"][0]["content"]["file_hashes"] == [
        file["sha256"] for file in manifest["items"][0]["files"]
    ]
    assert manifest["items"][0]["linked_breaches"] == [
        "Breach on 1 March 2026: condition 2, no contact direct or indirect"
    ]
    assert [(e["sequence"], e["kind"], e["item_id"]) for e in manifest["chain"]] == [
        (1, "added", ITEM_IDS[0]),
        (2, "added", ITEM_IDS[1]),
        (3, "added", ITEM_IDS[2]),
        (4, "removed", ITEM_IDS[1]),
    ]
    assert manifest["chain"][3]["removal_hash"] == chain.removal_hash("Entered with the wrong date")


def test_signature_over_the_exact_manifest_bytes_verifies_with_the_published_key(large_bundle):
    contents = members(large_bundle)
    key = load_pem_public_key(signing.public_key_pem())

    key.verify(contents["manifest.sig"], contents["manifest.json"])  # raises if it does not
    assert contents["public-key.pem"] == signing.public_key_pem()


def test_file_that_changed_in_storage_is_refused():
    items = sample_items()
    photo = items[0].files[0]
    altered = dataclasses.replace(photo, chunks=lambda: [b"\xff\xd8\xff altered"])
    items[0] = dataclasses.replace(items[0], files=(altered, *items[0].files[1:]))

    with pytest.raises(BundleRefused, match=r"IMG_0042\.jpeg.*has changed in storage"):
        write_bundle(items)


def test_file_cut_short_in_storage_is_refused():
    items = sample_items()
    photo = items[0].files[0]
    short = dataclasses.replace(photo, chunks=lambda: [b"\xff\xd8\xff\xe0"])
    items[0] = dataclasses.replace(items[0], files=(short, *items[0].files[1:]))

    with pytest.raises(BundleRefused, match="has changed in storage"):
        write_bundle(items)


def test_item_missing_one_of_its_files_is_refused():
    items = sample_items()
    items[0] = dataclasses.replace(items[0], files=items[0].files[:1])

    with pytest.raises(BundleRefused, match="its files are not the ones its hash covers"):
        write_bundle(items)


def test_broken_chain_is_refused():
    items = sample_items()
    entries = chain_for(items)
    entries[1] = dataclasses.replace(entries[1], author_id="someone-else")

    with pytest.raises(BundleRefused, match="Entry 2 has been altered"):
        write_bundle_with_chain(items, entries)


def test_item_whose_content_no_longer_matches_its_hash_is_refused():
    items = sample_items()
    content = dataclasses.replace(items[2].content, description="Rewritten afterwards.")
    items[2] = dataclasses.replace(items[2], content=content)

    with pytest.raises(BundleRefused, match=f"Item {ITEM_IDS[2]}: its recorded hash does not"):
        write_bundle(items)


def test_item_missing_from_the_chain_is_refused():
    items = sample_items()

    with pytest.raises(BundleRefused, match=f"Item {ITEM_IDS[2]} is not on the chain"):
        write_bundle_with_chain(items, chain_for(items[:2]))


def write_bundle_with_chain(items, entries) -> None:
    bundle_write(
        io.BytesIO(),
        case=SAMPLE_CASE,
        items=items,
        chain_entries=entries,
        chronology=SAMPLE_CHRONOLOGY,
        index_pdf=PLACEHOLDER_PDF,
    )


def test_item_id_that_could_escape_the_files_folder_is_refused():
    items = [dataclasses.replace(sample_items()[0], id="../../etc")]

    with pytest.raises(ValueError, match="letters, digits and hyphens"):
        write_bundle(items)


def test_progress_rises_to_the_total_bytes_of_the_originals():
    items = sample_items(large_size=LARGE)
    calls = []

    write_bundle(items, progress=lambda done, total: calls.append((done, total)))

    total = sum(file.size for item in items for file in item.files)
    assert calls[0] == (0, total)
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert len(calls) > LARGE // (64 * 1024)  # reported chunk by chunk, not once at the end


def test_members_are_stored_and_manifest_written_last_so_a_refusal_leaves_nothing_signed():
    with zipfile.ZipFile(io.BytesIO(write_bundle())) as archive:
        names = archive.namelist()
        compressions = {info.compress_type for info in archive.infolist()}

    assert names[-4:] == ["index.pdf", "manifest.json", "manifest.sig", "public-key.pem"]
    assert compressions == {zipfile.ZIP_STORED}


def test_extension_comes_from_the_checked_content_type_then_a_safe_uploaded_suffix():
    photo = sample_items()[0].files[0]

    assert dataclasses.replace(photo, content_type="application/x-unknown").extension() == ".jpeg"
    unsafe = dataclasses.replace(photo, content_type="application/x-unknown", original_name="a.x/y")
    assert unsafe.extension() == ".bin"
    assert dataclasses.replace(photo, original_name="photo.exe").extension() == ".jpg"


def test_large_file_is_streamed_to_disk_never_held_in_memory_whole(tmp_path):
    size = 32 * 1024 * 1024
    items = sample_items(large_size=size)
    tracemalloc.start()
    try:
        with (tmp_path / "bundle.zip").open("wb") as out:
            bundle_write(
                out,
                case=SAMPLE_CASE,
                items=items,
                chain_entries=chain_for(items),
                chronology=SAMPLE_CHRONOLOGY,
                index_pdf=PLACEHOLDER_PDF,
            )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < size // 8
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        assert archive.getinfo(f"files/{ITEM_IDS[0]}/3.mp4").file_size == size
