"""`manage.py backup`: a dump and the stored files that agree, and no key in either."""

import base64
import hashlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from orderwatch.backup import services
from orderwatch.backup.manifest import MANIFEST_NAME, backup_problems, manifest_read
from orderwatch.backup.tests.conftest import dump_contents
from orderwatch.confidential.stored_files import STORED_FILES
from orderwatch.evidence.services import evidence_item_remove

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def backup(destination: Path) -> str:
    out = io.StringIO()
    call_command("backup", str(destination), stdout=out)
    return out.getvalue()


def stored_sha256(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_the_backup_holds_the_dump_and_every_stored_file_the_records_name(recorded, tmp_path):
    evidence_file = recorded.item.files.get()
    named = {recorded.copy.file_name, evidence_file.stored_name, recorded.export.file_name}
    default_storage.save("evidence/not-referenced", io.BytesIO(b"left by a crash"))

    output = backup(tmp_path / "backup")

    folder = tmp_path / "backup"
    manifest = manifest_read(folder)
    assert {entry.name for entry in manifest.files} == named
    for entry in manifest.files:
        assert entry.sha256 == stored_sha256(entry.name)  # copied as stored, still encrypted
    assert backup_problems(folder, manifest) == []
    assert recorded.case.reference.encode() in dump_contents(folder)
    assert str(recorded.breach.pk).encode() in dump_contents(folder)
    manifest_sha256 = hashlib.sha256((folder / MANIFEST_NAME).read_bytes()).hexdigest()
    assert f"Manifest SHA-256 (keep it apart from the backup): {manifest_sha256}" in output


def key_material() -> dict[str, bytes]:
    """Every key in the settings, as configured and as the raw bytes it decodes to."""
    keys = {"SECRET_KEY": settings.SECRET_KEY.encode()}
    for number, key in enumerate(settings.ORDERWATCH_FIELD_KEYS):
        raw = base64.urlsafe_b64decode(key)
        keys |= {f"field key {number}": key.encode(), f"field key {number} (raw)": raw}
        keys |= {f"field key {number} (signing half)": raw[:16]}
        keys |= {f"field key {number} (encryption half)": raw[16:]}
    for name in ("ORDERWATCH_EVIDENCE_SIGNING_KEY", "ORDERWATCH_AUDIT_SIGNING_KEY"):
        key = getattr(settings, name)
        keys |= {name: key.encode(), f"{name} (raw)": base64.urlsafe_b64decode(key)}
    return keys


def test_the_backup_holds_no_key(recorded, tmp_path):
    backup(tmp_path / "backup")

    folder = tmp_path / "backup"
    contents = {
        str(path.relative_to(folder)): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }
    contents["the dump, readable"] = dump_contents(folder)

    # The check can fail: the encrypted address and the audit signatures are in what was read.
    assert recorded.case.protected_address.token.encode() in contents["the dump, readable"]
    assert len(contents) == 2 + 3 + 1  # manifest, dump, three stored files, the readable dump
    found = [
        f"{key} in {where}"
        for key, material in key_material().items()
        for where, data in contents.items()
        if material in data
    ]
    assert found == []


def test_a_removed_evidence_file_is_not_expected(recorded, practitioner, tmp_path):
    evidence_file = recorded.item.files.get()
    evidence_item_remove(actor=practitioner, item=recorded.item, reason="Added to the wrong case.")

    backup(tmp_path / "backup")

    names = {entry.name for entry in manifest_read(tmp_path / "backup").files}
    assert names == {recorded.copy.file_name, recorded.export.file_name}
    assert evidence_file.stored_name not in names


def test_a_file_deleted_after_the_snapshot_starts_the_backup_again(
    recorded, practitioner, tmp_path, monkeypatch
):
    evidence_file = recorded.item.files.get()
    dumps = []

    def dump_then_remove(path):
        names = real_dump(path)
        dumps.append(names)
        if len(dumps) == 1:  # someone removes the item just after the first snapshot
            evidence_item_remove(actor=practitioner, item=recorded.item, reason="Wrong case.")
        return names

    real_dump = services.database_dump
    monkeypatch.setattr(services, "database_dump", dump_then_remove)

    backup(tmp_path / "backup")

    assert len(dumps) == 2
    assert evidence_file.stored_name in dumps[0]
    assert evidence_file.stored_name not in dumps[1]
    folder = tmp_path / "backup"
    manifest = manifest_read(folder)
    assert evidence_file.stored_name not in {entry.name for entry in manifest.files}
    assert backup_problems(folder, manifest) == []
    assert not (folder / "files" / evidence_file.stored_name).exists()


def test_a_stored_file_missing_from_storage_fails_the_backup_naming_it(recorded, tmp_path):
    default_storage.delete(recorded.copy.file_name)

    with pytest.raises(CommandError, match="not in storage") as refused:
        backup(tmp_path / "backup")

    assert recorded.copy.file_name in str(refused.value)
    assert list((tmp_path / "backup").iterdir()) == []  # no dump left behind


def test_a_backup_whose_files_keep_being_deleted_gives_up_leaving_nothing(
    recorded, tmp_path, monkeypatch
):
    default_storage.delete(recorded.copy.file_name)
    monkeypatch.setattr(services, "database_file_names", set)  # "deleted since the snapshot"
    dumps = []

    def counted_dump(path):
        dumps.append(path)
        return real_dump(path)

    real_dump = services.database_dump
    monkeypatch.setattr(services, "database_dump", counted_dump)

    with pytest.raises(CommandError, match="deleted during each of 3 attempts"):
        backup(tmp_path / "backup")

    assert len(dumps) == 3
    assert list((tmp_path / "backup").iterdir()) == []


def test_the_backup_goes_only_into_a_new_or_empty_folder(recorded, tmp_path):
    folder = tmp_path / "backup"
    folder.mkdir()
    (folder / "yesterday.txt").write_text("an older backup")

    with pytest.raises(CommandError, match="is not an empty folder"):
        backup(folder)

    assert [path.name for path in folder.iterdir()] == ["yesterday.txt"]


def test_every_kind_of_stored_file_is_backed_up():
    """A service that stores files for a model not in STORED_FILES would leave them out."""
    root = Path(__file__).resolve().parents[2]
    storing_apps = {
        path.relative_to(root).parts[0]
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.parts[-2:] != ("confidential", "files.py")
        and re.search(r"\bencrypted_file_store\(", path.read_text())
    }
    assert storing_apps == {"orders", "evidence", "exports"}
    assert {kind.model.split(".")[0] for kind in STORED_FILES} == storing_apps
