"""The production check's own parts that need no stack: the phone's codes, the photo it
uploads, the ports it takes and the environment it gives every process."""

import base64
import socket
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django_otp.oath import TOTP

from deploy.production_check import journey
from deploy.production_check.processes import free_ports
from deploy.production_check.run import production_environment

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("moment", [0, 59, 1_765_000_000, 1_765_000_029])
def test_the_code_is_the_one_the_service_expects(moment):
    key = bytes(range(20))
    setup_key = base64.b32encode(key).decode()
    totp = TOTP(key, step=30, digits=6)
    totp.time = moment

    assert journey.authenticator_code(setup_key, at=moment) == f"{totp.token():06d}"


def test_the_photo_is_a_whole_png_and_differs_each_run():
    first, second = journey.photo(b"one"), journey.photo(b"two")

    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert first != second
    position, kinds = 8, []
    while position < len(first):
        (length,) = struct.unpack(">I", first[position : position + 4])
        kind, data = first[position + 4 : position + 8], first[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", first[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + data)
        kinds.append(kind)
        if kind == b"IDAT":
            assert len(zlib.decompress(data)) == 16 * (1 + 16 * 3)
        position += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]


def test_ports_in_use_are_passed_over():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ports = free_ports(2, first=port, last=port + 60)

    assert port not in ports
    assert len(ports) == 2


def test_too_few_free_ports_is_said_plainly():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(RuntimeError, match=f"Fewer than 1 free ports between {port}"):
            free_ports(1, first=port, last=port)


def test_the_environment_passes_the_production_settings_deployment_checks():
    """A setting production comes to require would otherwise fail only in CI's last step."""
    environment = production_environment(
        database_url="postgres://orderwatch@127.0.0.1:5432/orderwatch",
        base_url="https://localhost:18404",
        s3_port=18401,
    )

    checked = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert checked.returncode == 0, checked.stderr
    assert environment["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    assert environment["ORDERWATCH_TRUSTED_PROXIES"] == "127.0.0.1"
