"""`manage.py restore` refuses, changing nothing, a backup that does not match its manifest and
a database that is not empty. (The whole restore, into a fresh database: test_restore_drill.)"""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from orderwatch.backup.manifest import DUMP_NAMES, MANIFEST_NAME, stored_file_path

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def backup_folder(recorded, tmp_path):
    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=io.StringIO())
    return folder


@pytest.fixture
def empty_media(settings, tmp_path):
    """The restore's storage: a new, empty folder."""
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    return settings.MEDIA_ROOT


def restore(folder) -> None:
    call_command("restore", str(folder), stdout=io.StringIO())


def flip_last_byte(path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01
    path.write_bytes(bytes(data))


def test_a_backup_with_an_altered_file_is_refused_before_anything_changes(
    recorded, backup_folder, empty_media
):
    flip_last_byte(stored_file_path(backup_folder, recorded.copy.file_name))

    with pytest.raises(CommandError, match="does not match its manifest") as refused:
        restore(backup_folder)

    assert f"{recorded.copy.file_name}: does not match" in str(refused.value)
    assert not empty_media.exists()


def test_a_backup_with_an_altered_dump_is_refused(backup_folder, empty_media):
    manifest = json.loads((backup_folder / MANIFEST_NAME).read_text())
    flip_last_byte(backup_folder / manifest["database"]["name"])

    with pytest.raises(CommandError, match="does not match its manifest") as refused:
        restore(backup_folder)

    assert f"{manifest['database']['name']}: does not match" in str(refused.value)
    assert not empty_media.exists()


def test_a_backup_missing_a_file_is_refused(recorded, backup_folder, empty_media):
    stored_file_path(backup_folder, recorded.export.file_name).unlink()

    with pytest.raises(CommandError, match=f"{recorded.export.file_name}: missing"):
        restore(backup_folder)

    assert not empty_media.exists()


def test_a_restore_into_a_database_that_is_not_empty_changes_nothing(backup_folder, empty_media):
    with pytest.raises(CommandError, match="The database is not empty"):
        restore(backup_folder)  # this test's own database, with the recorded case in it

    assert not empty_media.exists()


def test_a_backup_of_the_other_kind_of_database_is_refused(backup_folder, empty_media):
    manifest = json.loads((backup_folder / MANIFEST_NAME).read_text())
    this, other = sorted(DUMP_NAMES, key=lambda engine: engine != manifest["database"]["engine"])
    (backup_folder / DUMP_NAMES[this]).rename(backup_folder / DUMP_NAMES[other])
    manifest["database"] |= {"engine": other, "name": DUMP_NAMES[other]}
    (backup_folder / MANIFEST_NAME).write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=f"This backup is of a {other} database"):
        restore(backup_folder)

    assert not empty_media.exists()


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path, empty_media):
    with pytest.raises(CommandError, match="Nothing was restored"):
        restore(tmp_path)
