"""The manifest and the check of a backup folder against it (pure: no database)."""

import json

import pytest

from orderwatch.backup.manifest import (
    MANIFEST_NAME,
    Entry,
    Manifest,
    ManifestError,
    backup_problems,
    copy_with_entry,
    main,
    manifest_read,
    stored_file_path,
)


@pytest.fixture
def folder(tmp_path):
    """A backup of one stored file and a (pretend) SQLite dump, with its manifest."""
    dump = copy_with_entry([b"SQLite format 3\x00"], tmp_path / "database.sqlite3", name="x")
    stored = copy_with_entry(
        [b"OWEF", b"ciphertext"],
        stored_file_path(tmp_path, "evidence/0f1e"),
        name="evidence/0f1e",
    )
    manifest = Manifest(
        made_at="2026-03-05T10:00:00+00:00",
        engine="sqlite",
        dump=Entry(name="database.sqlite3", size=dump.size, sha256=dump.sha256),
        files=(stored,),
    )
    (tmp_path / MANIFEST_NAME).write_text(manifest.to_json())
    return tmp_path


def test_a_whole_backup_matches_its_manifest(folder, capsys):
    manifest = manifest_read(folder)

    assert [entry.name for entry in manifest.files] == ["evidence/0f1e"]
    assert manifest.files[0].size == len(b"OWEFciphertext")
    assert backup_problems(folder, manifest) == []
    assert main([str(folder)]) == 0
    assert "matches its manifest" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda f: stored_file_path(f, "evidence/0f1e").write_bytes(b"OWEFciphertexT"), "0f1e"),
        (lambda f: stored_file_path(f, "evidence/0f1e").unlink(), "evidence/0f1e: missing"),
        (lambda f: (f / "database.sqlite3").write_bytes(b"SQLite format 3\x01"), "database"),
    ],
    ids=["file-altered", "file-missing", "dump-altered"],
)
def test_a_damaged_backup_is_named(folder, damage, named, capsys):
    damage(folder)

    problems = backup_problems(folder, manifest_read(folder))

    assert len(problems) == 1
    assert named in problems[0]
    assert main([str(folder)]) == 1
    assert named in capsys.readouterr().err


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "/etc/passwd", "evidence/../../x", ".partial/x", "a\\b", ""]
)
def test_a_manifest_naming_a_file_outside_the_backup_is_refused(folder, name):
    data = json.loads((folder / MANIFEST_NAME).read_text())
    data["files"][0]["name"] = name
    (folder / MANIFEST_NAME).write_text(json.dumps(data))

    with pytest.raises(ManifestError, match="unsafe file name"):
        manifest_read(folder)


@pytest.mark.parametrize(
    "change",
    [
        lambda data: data.update(format="something-else"),
        lambda data: data.update(version=2),
        lambda data: data["database"].update(name="../elsewhere"),
        lambda data: data["files"].append(dict(data["files"][0])),
        lambda data: data["files"][0].update(sha256="not-a-hash"),
        lambda data: data.pop("files"),
    ],
    ids=["format", "version", "dump-name", "listed-twice", "bad-hash", "no-files"],
)
def test_a_manifest_this_version_did_not_write_is_refused(folder, change):
    data = json.loads((folder / MANIFEST_NAME).read_text())
    change(data)
    (folder / MANIFEST_NAME).write_text(json.dumps(data))

    with pytest.raises(ManifestError):
        manifest_read(folder)


def test_a_folder_without_a_manifest_is_refused(tmp_path, capsys):
    with pytest.raises(ManifestError, match=r"Cannot read manifest\.json"):
        manifest_read(tmp_path)
    assert main([str(tmp_path)]) == 1
