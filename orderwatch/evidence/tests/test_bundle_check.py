"""Checking a bundle offline: a good bundle passes; any change after export is named."""

import dataclasses
import functools
import hashlib
import io
import json
import struct
import subprocess
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderwatch.evidence import signing
from orderwatch.evidence.bundle import BundleRemoval
from orderwatch.evidence.bundle_check import (
    bundle_problems,
    bundle_report,
    key_fingerprint,
)
from orderwatch.evidence.tests.bundle_support import (
    ITEM_IDS,
    members,
    other_public_key_pem,
    rezipped,
    sample_items,
    with_manifest,
    write_bundle,
)

PHOTO = f"files/{ITEM_IDS[0]}/1.jpg"


@functools.cache
def good_bundle() -> bytes:
    return write_bundle()


def problems(bundle: bytes) -> list[str]:
    return bundle_problems(io.BytesIO(bundle), signing.public_key_pem())


def with_member(bundle: bytes, name: str, data: bytes) -> bytes:
    return rezipped({**members(bundle), name: data})


def test_good_bundle_has_no_problems_and_reports_files_chain_and_key():
    report = bundle_report(io.BytesIO(good_bundle()), signing.public_key_pem())

    assert report.problems == []
    assert (report.file_count, report.chain_length) == (2, 4)
    assert report.key_fingerprint == signing.public_key_fingerprint()


def test_bundle_on_disk_is_checked_by_path(tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(good_bundle())

    assert bundle_problems(path, signing.public_key_pem()) == []


def test_one_byte_changed_in_one_file_names_that_file():
    photo = bytearray(members(good_bundle())[PHOTO])
    photo[10] ^= 0x01

    assert problems(with_member(good_bundle(), PHOTO, bytes(photo))) == [
        f"{PHOTO}: SHA-256 does not match the manifest (the file was changed after export)."
    ]


def test_file_replaced_by_a_longer_one_names_the_size_too():
    photo = members(good_bundle())[PHOTO]

    found = problems(with_member(good_bundle(), PHOTO, photo + b"x"))

    assert found == [
        f"{PHOTO}: SHA-256 does not match the manifest (the file was changed after export).",
        f"{PHOTO}: {len(photo) + 1} bytes, but the manifest records {len(photo)}.",
    ]


def test_changed_index_is_named():
    index = members(good_bundle())["index.pdf"]
    found = problems(with_member(good_bundle(), "index.pdf", index.replace(b"1.7", b"1.6")))

    assert found == [
        "index.pdf: SHA-256 does not match the manifest (the file was changed after export)."
    ]


def test_edited_manifest_fails_the_signature():
    def edit(manifest):
        manifest["items"][0]["recorded_by"] = "Someone else"

    found = problems(with_manifest(good_bundle(), edit, resign=False))

    assert found == [
        "manifest.json: the signature does not verify with this public key (the manifest was "
        "changed after export, or the bundle was not signed with this key)."
    ]


def test_wrong_public_key_fails_the_signature():
    found = bundle_problems(io.BytesIO(good_bundle()), other_public_key_pem())

    assert len(found) == 1
    assert found[0].startswith("manifest.json: the signature does not verify with this public key")


def test_key_inside_the_bundle_is_not_trusted_and_a_swapped_copy_is_named():
    other_key = other_public_key_pem()
    bundle = with_member(good_bundle(), "public-key.pem", other_key)

    assert bundle_problems(io.BytesIO(bundle), other_key)[0].startswith(
        "manifest.json: the signature does not verify"
    )
    assert problems(bundle) == [
        "public-key.pem is not the key that signed the manifest: use the key the service "
        "publishes, never this copy alone."
    ]


def test_file_added_after_export_is_named():
    extra = f"files/{ITEM_IDS[0]}/3.jpg"

    assert problems(with_member(good_bundle(), extra, b"\xff\xd8\xff added")) == [
        f"{extra} is in the bundle but not in the manifest (it was added after export)."
    ]


def test_file_removed_after_export_is_named():
    contents = members(good_bundle())
    del contents[PHOTO]

    assert problems(rezipped(contents)) == [
        f"{PHOTO} is listed in the manifest but missing from the bundle."
    ]


def test_second_copy_of_a_member_is_named():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members(good_bundle()).items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr(PHOTO, b"\xff\xd8\xff a different photo")

    found = problems(out.getvalue())

    assert f"{PHOTO} is in the bundle more than once." in found


def test_broken_chain_link_is_named_even_when_re_signed():
    def edit(manifest):
        manifest["chain"][2]["previous_hash"] = "f" * 64

    found = problems(with_manifest(good_bundle(), edit, resign=True))

    assert found == [
        "The evidence chain is broken: Entry 3 does not follow on from the entry before it."
    ]


def test_item_text_changed_in_the_manifest_no_longer_matches_its_hash():
    def edit(manifest):
        manifest["items"][2]["content"]["description"] = "Something else."

    found = problems(with_manifest(good_bundle(), edit, resign=True))

    assert f"Item {ITEM_IDS[2]}: its recorded hash does not match its contents." in found


def test_removal_reason_changed_in_the_manifest_breaks_the_chain():
    def edit(manifest):
        manifest["items"][1]["removed"]["reason"] = "Not relevant"

    found = problems(with_manifest(good_bundle(), edit, resign=True))

    assert found == [
        "The evidence chain is broken: Entry 4: the reason item "
        f"{ITEM_IDS[1]} was removed has changed since it was recorded."
    ]


def test_missing_signature_says_the_bundle_is_incomplete():
    contents = members(good_bundle())
    del contents["manifest.sig"]

    assert problems(rezipped(contents)) == [
        "manifest.sig is missing: this is not a complete evidence bundle."
    ]


def test_not_a_zip_and_not_a_key_are_reported_not_raised():
    assert problems(b"not a zip")[0].startswith("The bundle cannot be opened as a ZIP file")
    assert bundle_problems(io.BytesIO(good_bundle()), b"not a key") == [
        "The public key is not a PEM public key."
    ]


def test_fingerprint_is_the_public_keys_sha256_in_groups_of_four():
    fingerprint = key_fingerprint(signing.public_key_pem())

    assert len(fingerprint.split(" ")) == 16
    assert all(len(group) == 4 for group in fingerprint.split(" "))
    assert fingerprint != key_fingerprint(other_public_key_pem())


@settings(max_examples=150, deadline=None)
@given(member=st.integers(min_value=0), offset=st.integers(min_value=0), bit=st.integers(0, 7))
def test_flipping_any_bit_of_any_member_is_caught(member, offset, bit):
    bundle = bytearray(good_bundle())
    with zipfile.ZipFile(io.BytesIO(good_bundle())) as archive:
        infos = [info for info in archive.infolist() if info.compress_size]
    info = infos[member % len(infos)]
    # A member's data follows its local header: 30 bytes, then its name and extra field.
    name_length, extra_length = struct.unpack_from("<HH", bundle, info.header_offset + 26)
    data_start = info.header_offset + 30 + name_length + extra_length
    bundle[data_start + offset % info.compress_size] ^= 1 << bit

    assert problems(bytes(bundle))


def test_checker_loads_without_django_so_it_runs_anywhere():
    script = (
        "import sys, orderwatch.evidence.bundle_check; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )

    result = subprocess.run([sys.executable, "-c", script], check=False)  # noqa: S603

    assert result.returncode == 0


def documented_sha256(value) -> str:
    """Hash as the how-to tells an expert to: sorted keys, no spaces, UTF-8."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_hashes_can_be_recomputed_from_the_manifest_as_the_how_to_says():
    manifest = json.loads(members(good_bundle())["manifest.json"])

    previous = "0" * 64
    for entry in manifest["chain"]:
        body = {k: v for k, v in entry.items() if k not in {"previous_hash", "entry_hash"}}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert entry["previous_hash"] == previous
        previous = hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()
        assert previous == entry["entry_hash"]
    for item in manifest["items"]:
        content = dict(item["content"])
        content["files"] = content.pop("file_hashes")
        assert documented_sha256(content) == item["item_hash"]
    removal = manifest["chain"][-1]
    assert removal["removal_hash"] == documented_sha256({"reason": "Entered with the wrong date"})


def test_removed_item_may_leave_its_files_out():
    items = sample_items()
    removal = BundleRemoval("Belongs to another case", items[1].removed.at, "Pat Lead")
    withheld = [dataclasses.replace(items[0], removed=removal, files=()), *items[1:]]

    assert problems(write_bundle(withheld)) == []


def test_kept_item_listed_without_its_files_is_named_even_when_re_signed():
    def edit(manifest):
        manifest["items"][0]["files"] = []

    found = problems(with_manifest(good_bundle(), edit, resign=True))

    assert f"Item {ITEM_IDS[0]}: its files are not the ones its hash covers." in found
