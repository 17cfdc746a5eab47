"""Every log line is one JSON object with its time, level, logger, event and the request's id;
the id comes from nginx's header only when it is a safe token, and goes back in the response."""

import json
import logging
import uuid

import pytest
import structlog
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.urls import reverse

from orderwatch.accounts.lockout import client_for_logs
from orderwatch.core import logs
from orderwatch.core.request_id import request_id_for
from orderwatch.core.tests.log_lines import emitted_log_lines

pytestmark = pytest.mark.django_db


def _lines_with(emitted, **expected) -> list[dict]:
    return [
        line
        for line in emitted.parsed()
        if all(line.get(key) == value for key, value in expected.items())
    ]


def test_a_request_is_logged_as_json_with_its_id_which_the_response_names(client):
    with emitted_log_lines() as emitted:
        response = client.get("/no-such-page/")

    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    (line,) = _lines_with(emitted, logger="django.request")
    assert line["request_id"] == request_id
    assert line["event"] == "Not Found"
    assert (line["level"], line["status"], line["method"]) == ("warning", 404, "GET")
    assert line["timestamp"].endswith("Z")
    # SQL (at DEBUG) and everything else written for the request carry the same id.
    assert all(line.get("request_id") == request_id for line in emitted.parsed())


def test_the_id_nginx_sends_is_used(client):
    nginx_id = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    with emitted_log_lines() as emitted:
        response = client.get("/no-such-page/", headers={"X-Request-ID": nginx_id})

    assert response["X-Request-ID"] == nginx_id
    assert _lines_with(emitted, logger="django.request")[0]["request_id"] == nginx_id


@pytest.mark.parametrize(
    "sent",
    [
        "0123abcd",
        "name-of-someone-0123",
        "x" * 65,
        "abc def ghi jkl",
        'abcdefgh"}, "level": "info',
        "abcdefgh\nforged line",
        "abcdefgh/../../etc",
        "someone@example.org",
    ],
)
def test_an_unsafe_id_is_replaced_by_a_new_one(client, sent):
    with emitted_log_lines() as emitted:
        response = client.get("/no-such-page/", headers={"X-Request-ID": sent})

    made = response["X-Request-ID"]
    assert made != sent
    assert len(made) == 32
    assert int(made, 16) >= 0
    assert _lines_with(emitted, logger="django.request")[0]["request_id"] == made
    assert sent not in emitted.stream.getvalue()


def test_two_requests_get_different_ids_and_the_id_is_forgotten_after(client):
    with emitted_log_lines() as emitted:
        first = client.get("/no-such-page/")["X-Request-ID"]
        second = client.get("/no-such-page/")["X-Request-ID"]
        logging.getLogger("orderwatch.after").warning("Between requests")

    assert first != second
    assert [line["request_id"] for line in _lines_with(emitted, logger="django.request")] == [
        first,
        second,
    ]
    (after,) = _lines_with(emitted, logger="orderwatch.after")
    assert "request_id" not in after


def test_a_response_logged_after_every_middleware_keeps_the_request_id(client, settings):
    # Django logs a 4xx response returned by a middleware (here 413, before the body is read)
    # once every middleware has finished.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10
    with emitted_log_lines() as emitted:
        response = client.post(reverse("accounts:sign-in"), {"username": "x" * 3_000_000})

    assert response.status_code == 413
    (line,) = _lines_with(emitted, logger="django.request")
    assert line["request_id"] == response["X-Request-ID"]
    assert line["route"] == "accounts:sign-in"


def test_a_status_without_a_name_is_still_logged(rf):
    request = rf.get("/cases/?q=someone@example.org")
    with emitted_log_lines() as emitted:
        logging.getLogger("django.request").warning(
            "Closed: %s", request.get_full_path(), extra={"status_code": 499, "request": request}
        )

    (line,) = emitted.parsed()
    assert (line["event"], line["status"], line["route"]) == ("HTTP 499", 499, "cases:list")
    assert "someone" not in emitted.stream.getvalue()


def test_a_traceback_keeps_the_type_and_frames_but_not_the_message():
    typed = uuid.uuid4().hex
    with emitted_log_lines() as emitted:
        try:
            try:
                raise KeyError(typed)
            except KeyError as error:
                raise ValueError(f"Also {typed}") from error
        except ValueError:
            logging.getLogger("orderwatch.test").exception("Saving failed")

    (line,) = _lines_with(emitted, logger="orderwatch.test")
    assert line["event"] == "Saving failed"
    assert "KeyError" in line["exception"]
    assert line["exception"].rstrip().endswith("ValueError")
    assert "test_logs.py" in line["exception"]
    assert typed not in json.dumps(line)


def test_sql_is_logged_by_its_duration_not_its_statement():
    with emitted_log_lines() as emitted, connection.cursor() as cursor:
        cursor.execute("SELECT %s", ["someone@example.org"])

    sql = _lines_with(emitted, logger="django.db.backends")
    assert sql
    assert sql[0]["event"] == "SQL statement"
    assert isinstance(sql[0]["duration"], float)
    assert "someone@example.org" not in emitted.stream.getvalue()


def test_the_development_servers_access_line_names_the_route_not_the_path():
    with emitted_log_lines() as emitted:
        logging.getLogger("django.server").info(
            '"%s" %s %s',
            "GET /cases/?q=someone@example.org HTTP/1.1",
            "200",
            "512",
            extra={"status_code": 200},
        )
        logging.getLogger("django.server").info("- Broken pipe from %s", ("192.0.2.1", 5555))

    line, broken_pipe = emitted.parsed()
    assert (line["method"], line["route"], line["event"]) == ("GET", "cases:list", "OK")
    assert broken_pipe["event"] == "- Broken pipe from %s"
    assert "someone" not in emitted.stream.getvalue()
    assert "192.0.2.1" not in emitted.stream.getvalue()


def test_a_template_lookup_at_debug_keeps_its_template_not_the_context():
    # django.template stays at INFO (it logs whole contexts at DEBUG); if it were ever lowered.
    with emitted_log_lines() as emitted:
        logging.getLogger("django.template").debug(
            "Exception while resolving variable %r in template %r.",
            "form",
            "someone@example.org",
            exc_info=KeyError("someone@example.org"),
        )

    (line,) = emitted.parsed()
    assert line["event"] == "Exception while resolving variable %r in template %r."
    assert "someone" not in emitted.stream.getvalue()


def test_structlogs_own_loggers_write_the_same_json():
    with emitted_log_lines() as emitted:
        structlog.stdlib.get_logger("orderwatch.structured").info("Sweep done", cases=3)

    (line,) = emitted.parsed()
    assert (line["event"], line["cases"], line["logger"]) == (
        "Sweep done",
        3,
        "orderwatch.structured",
    )


def test_a_developer_can_have_readable_lines():
    record = logging.LogRecord(
        "orderwatch.x", logging.INFO, __file__, 1, "Hello %s", ("you",), None
    )
    line = logs.formatter("console").format(record)
    assert "Hello you" in line
    assert not line.startswith("{")


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ImproperlyConfigured, match="ORDERWATCH_LOG_FORMAT"):
        logs.formatter("xml")


def test_request_ids_from_the_header():
    assert request_id_for("abcdef0123456789") == "abcdef0123456789"
    assert request_id_for(None) != request_id_for(None)


def test_sign_in_throttling_logs_name_no_email(client):
    line = client_for_logs("someone@example.org", "2001:db8::1", "Firefox", "/", None)
    assert "someone" not in line
    assert line == client_for_logs("someone@example.org", "other", "", "/", None)
    assert line != client_for_logs("another@example.org", "2001:db8::1", "Firefox", "/", None)
