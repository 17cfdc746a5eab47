"""Error reports go to Sentry only when a DSN is set, and carry nothing a person sent or is."""

import copy
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sentry_sdk

from orderwatch.core import error_reports
from orderwatch.core.error_reports import error_report_scrubbed

CANARY = "CANARY-4f1d2c"


def _event() -> dict:
    """An event as sentry-sdk's Django and logging integrations build one, canary everywhere."""
    frame = {"filename": "orderwatch/cases/views.py", "lineno": 12, "vars": {"email": CANARY}}
    return {
        "level": "error",
        "transaction": "/cases/{case_id}/",
        "request": {
            "url": f"https://orderwatch.example/calendar/feed/{CANARY}.ics",
            "method": "POST",
            "query_string": f"q={CANARY}",
            "cookies": {"__Host-sessionid": CANARY},
            "data": {"username": CANARY},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {
                "Authorization": f"Bearer {CANARY}",
                "Cookie": f"__Host-sessionid={CANARY}",
                "X-Forwarded-For": f"{CANARY}, 203.0.113.9",
                "User-Agent": CANARY,
                "Referer": f"https://orderwatch.example/?q={CANARY}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        },
        "user": {"id": "7", "email": f"{CANARY}@example.org", "ip_address": "203.0.113.9"},
        "extra": {"sys.argv": ["manage.py", "create_service_admin", CANARY]},
        "breadcrumbs": {"values": [{"category": "query", "message": f"SELECT '{CANARY}'"}]},
        "logentry": {"message": "Not Found: %s", "params": [f"/cases/{CANARY}/"]},
        "message": f"Not Found: /cases/{CANARY}/",
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "value": f"invalid literal: {CANARY}",
                    "stacktrace": {"frames": [copy.deepcopy(frame)]},
                }
            ]
        },
        "threads": {"values": [{"stacktrace": {"frames": [copy.deepcopy(frame)]}}]},
    }


def test_a_report_keeps_where_it_failed_and_nothing_that_was_sent():
    scrubbed = error_report_scrubbed(_event(), {})

    assert CANARY not in repr(scrubbed)
    assert "203.0.113.9" not in repr(scrubbed)
    assert scrubbed["request"] == {
        "method": "POST",
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }
    for gone in ("user", "extra", "breadcrumbs", "message"):
        assert gone not in scrubbed
    assert scrubbed["logentry"] == {"message": "Not Found: %s", "params": []}
    (exception,) = scrubbed["exception"]["values"]
    assert exception["type"] == "ValueError"
    assert exception["stacktrace"]["frames"] == [
        {"filename": "orderwatch/cases/views.py", "lineno": 12}
    ]
    assert scrubbed["transaction"] == "/cases/{case_id}/"


def test_an_event_without_a_request_or_exception_is_left_whole():
    event = {"level": "error", "logentry": {"message": "Sweep failed"}}
    assert error_report_scrubbed(copy.deepcopy(event)) == {
        "level": "error",
        "logentry": {"message": "Sweep failed", "params": []},
    }


def test_no_reports_are_set_up_without_a_dsn(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    settings.ORDERWATCH_SENTRY_DSN = ""

    assert error_reports.error_reports_start() is False
    assert calls == []


def test_with_a_dsn_reports_are_set_up_without_personal_data(settings, monkeypatch):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    settings.ORDERWATCH_SENTRY_DSN = "https://public@sentry.example/1"
    settings.ORDERWATCH_SENTRY_ENVIRONMENT = "staging"
    settings.ORDERWATCH_RELEASE = "2026.12.1"

    assert error_reports.error_reports_start() is True

    (options,) = calls
    assert options["dsn"] == "https://public@sentry.example/1"
    assert (options["environment"], options["release"]) == ("staging", "2026.12.1")
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert options["max_breadcrumbs"] == 0
    assert options["before_send"] is error_report_scrubbed


@pytest.mark.parametrize("release", ["", "v1"])
def test_an_unset_release_is_left_to_sentry(settings, monkeypatch, release):
    calls = []
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: calls.append(options))
    settings.ORDERWATCH_SENTRY_DSN = "https://public@sentry.example/1"
    settings.ORDERWATCH_RELEASE = release
    error_reports.error_reports_start()
    assert calls[0]["release"] == (release or None)


_REPORTING_PROCESS = """
import json
import sentry_sdk
from sentry_sdk.transport import Transport

sent = []


class Kept(Transport):
    def capture_envelope(self, envelope):
        sent.extend(item.payload.json for item in envelope.items if item.payload.json)


real_init = sentry_sdk.init
sentry_sdk.init = lambda **options: real_init(transport=Kept(options), **options)

import io
from urllib.parse import urlencode

import django
django.setup()
from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "orderwatch.core.tests.fault_urls"
canary = {canary!r}
body = urlencode({{"username": canary + "@example.org"}}).encode()
environ = {{
    "REQUEST_METHOD": "POST",
    "PATH_INFO": "/fails/" + canary + "/",
    "QUERY_STRING": "q=" + canary,
    "SERVER_NAME": "testserver",
    "SERVER_PORT": "80",
    "REMOTE_ADDR": "203.0.113.9",
    "CONTENT_TYPE": "application/x-www-form-urlencoded",
    "CONTENT_LENGTH": str(len(body)),
    "HTTP_USER_AGENT": canary,
    "HTTP_REFERER": "https://x.example/" + canary,
    "HTTP_X_FORWARDED_FOR": canary,
    "HTTP_AUTHORIZATION": "Bearer " + canary,
    "HTTP_COOKIE": "preferences=" + canary,
    "wsgi.input": io.BytesIO(body),
    "wsgi.url_scheme": "http",
    "wsgi.errors": io.StringIO(),
}}
statuses = []
get_wsgi_application()(environ, lambda status, headers, *args: statuses.append(status))
status = int(statuses[0].split()[0])
sentry_sdk.flush()
print(json.dumps({{"status": status, "sent": sent}}))
"""


def test_a_real_report_of_a_server_error_carries_nothing_that_was_sent():
    canary = f"CANARY-{uuid.uuid4().hex}"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ORDERWATCH_SENTRY_DSN": "https://public@sentry.invalid/1",
        "DATABASE_URL": "sqlite:///:memory:",
    }
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [sys.executable, "-c", _REPORTING_PROCESS.format(canary=canary)],
        cwd=Path(__file__).resolve().parents[3],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    assert answer["status"] == 500
    events = [event for event in answer["sent"] if event.get("exception")]
    assert events, "the error was reported"
    assert events[0]["exception"]["values"][-1]["type"] == "ValueError"
    assert canary.lower() not in json.dumps(answer["sent"]).lower()
