"""`verify-bundle`: passes a bundle as exported, fails it after one byte of one file changes."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from orderwatch.evidence import signing
from orderwatch.evidence.tests.bundle_support import (
    ITEM_IDS,
    members,
    other_public_key_pem,
    rezipped,
    write_bundle,
)

PHOTO = f"files/{ITEM_IDS[0]}/1.jpg"


@pytest.fixture
def key_file(tmp_path) -> Path:
    path = tmp_path / "orderwatch-evidence-signing-key.pem"
    path.write_bytes(signing.public_key_pem())
    return path


@pytest.fixture
def bundle_file(tmp_path) -> Path:
    path = tmp_path / "bundle.zip"
    path.write_bytes(write_bundle())
    return path


def one_byte_changed(bundle_file: Path) -> Path:
    contents = members(bundle_file.read_bytes())
    photo = bytearray(contents[PHOTO])
    photo[5] ^= 0xFF
    bundle_file.write_bytes(rezipped({**contents, PHOTO: bytes(photo)}))
    return bundle_file


def run(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_bundle", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_bundle_as_exported_is_verified_with_files_chain_and_key(bundle_file, key_file):
    out, err = run(bundle_file, "--public-key", key_file)

    assert out == (
        f"Bundle verified: 2 files, chain of 4 entries, signed by key "
        f"{signing.public_key_fingerprint()}.\n"
    )
    assert err == ""


def test_one_byte_changed_fails_and_names_the_file(bundle_file, key_file):
    err = io.StringIO()

    with pytest.raises(CommandError, match="Bundle NOT verified") as raised:
        call_command(
            "verify_bundle",
            str(one_byte_changed(bundle_file)),
            "--public-key",
            str(key_file),
            stderr=err,
        )

    assert raised.value.returncode == 1
    assert err.getvalue() == (
        f"{PHOTO}: SHA-256 does not match the manifest (the file was changed after export).\n"
    )


def test_another_key_fails_the_signature(bundle_file, tmp_path):
    other = tmp_path / "other.pem"
    other.write_bytes(other_public_key_pem())

    with pytest.raises(CommandError, match="Bundle NOT verified"):
        run(bundle_file, "--public-key", other)


def test_missing_files_are_reported_plainly(bundle_file, key_file, tmp_path):
    with pytest.raises(CommandError, match="Cannot read the public key"):
        run(bundle_file, "--public-key", tmp_path / "none.pem")
    with pytest.raises(CommandError, match="There is no bundle file at"):
        run(tmp_path / "none.zip", "--public-key", key_file)


def verify_bundle_process(bundle_file: Path, key_file: Path) -> subprocess.CompletedProcess:
    """Run `python -m orderwatch verify-bundle` with a database that cannot be reached."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable",
    }
    command = ["-m", "orderwatch", "verify-bundle", bundle_file, "--public-key", key_file]
    return subprocess.run(  # noqa: S603
        [sys.executable, *command],
        capture_output=True,
        text=True,
        env=environment,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_python_m_orderwatch_verify_bundle_needs_no_database(bundle_file, key_file):
    passed = verify_bundle_process(bundle_file, key_file)
    failed = verify_bundle_process(one_byte_changed(bundle_file), key_file)

    assert (passed.returncode, failed.returncode) == (0, 1)
    assert passed.stdout.startswith("Bundle verified: 2 files, chain of 4 entries")
    assert f"{PHOTO}: SHA-256 does not match the manifest" in failed.stderr
