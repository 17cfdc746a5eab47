"""deploy/gunicorn.conf.py: every name is a gunicorn setting, and the ones an operator sets
come from the environment."""

import json
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from gunicorn.config import KNOWN_SETTINGS

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def settings_with(monkeypatch, **environment: str) -> dict:
    for name in (
        "ORDERWATCH_GUNICORN_BIND",
        "ORDERWATCH_GUNICORN_WORKERS",
        "ORDERWATCH_GUNICORN_THREADS",
        "ORDERWATCH_GUNICORN_MAX_REQUESTS",
        "ORDERWATCH_TRUSTED_PROXIES",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return {
        name: value
        for name, value in runpy.run_path(str(CONFIG)).items()
        if not name.startswith("_") and name != "os"
    }


def test_every_name_is_a_gunicorn_setting(monkeypatch):
    """gunicorn ignores a misspelt name in its configuration file without a word."""
    known = {setting.name for setting in KNOWN_SETTINGS}

    assert set(settings_with(monkeypatch)) <= known


def test_defaults_serve_on_loopback_trust_only_loopback_and_log_no_requests(monkeypatch):
    config = settings_with(monkeypatch)

    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"
    assert config["accesslog"] is None
    assert config["worker_class"] == "gthread"
    assert config["worker_tmp_dir"] == "/dev/shm"  # noqa: S108 (a tmpfs)
    assert config["control_socket_disable"] is True
    assert config["wsgi_app"] == "config.wsgi:application"


def test_the_environment_sizes_the_instance_and_names_the_proxies(monkeypatch):
    config = settings_with(
        monkeypatch,
        ORDERWATCH_GUNICORN_BIND="10.0.1.11:8000",
        ORDERWATCH_GUNICORN_WORKERS="3",
        ORDERWATCH_GUNICORN_THREADS="8",
        ORDERWATCH_GUNICORN_MAX_REQUESTS="500",
        ORDERWATCH_TRUSTED_PROXIES="10.0.0.5,10.1.0.0/16",
    )

    assert config["bind"] == ["10.0.1.11:8000"]
    assert (config["workers"], config["threads"]) == (3, 8)
    assert (config["max_requests"], config["max_requests_jitter"]) == (500, 50)
    # The same list the app believes X-Forwarded-For from (ADR 0026).
    assert config["forwarded_allow_ips"] == "10.0.0.5,10.1.0.0/16"


def test_a_number_that_is_not_one_stops_it_starting(monkeypatch):
    with pytest.raises(ValueError, match="invalid literal"):
        settings_with(monkeypatch, ORDERWATCH_GUNICORN_WORKERS="two")


GUNICORN_LOGGING = f"""
import logging
from gunicorn.config import Config
from gunicorn.glogging import Logger
config = Config()
config.set("logconfig_dict", __import__("runpy").run_path({str(CONFIG)!r})["logconfig_dict"])
log = Logger(config)
log.info("Booting worker with pid: %s", 4242)
log.access_log.info("GET /calendar/feed/secret-token.ics?x=1 from 203.0.113.9")
"""


def test_gunicorn_writes_its_own_lines_as_json_and_no_access_lines():
    """Its lines join the app's JSON logs (ADR 0033); the access log a logging configuration
    would switch on stays off (nginx logs each request, naming no one)."""
    result = subprocess.run(  # noqa: S603 (the test's own snippet in a fresh interpreter)
        [sys.executable, "-c", GUNICORN_LOGGING],
        cwd=CONFIG.parents[1],
        capture_output=True,
        text=True,
        check=True,
    )

    lines = [json.loads(line) for line in (result.stdout + result.stderr).splitlines()]
    assert [(line["logger"], line["event"]) for line in lines] == [
        ("gunicorn.error", "Booting worker with pid: 4242")
    ]
