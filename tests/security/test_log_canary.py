"""A canary sent every way a request can carry it is in no log line (issue 19, ADR 0033).

One unique token goes into the path, the query string, the headers (User-Agent, Referer,
X-Forwarded-For, X-Request-ID), the cookies and the form body of requests to several pages:
sign-in failures up to a lockout, unknown pages and a secret link that does not exist (404), a
refused form post (CSRF, 403), an unknown host (400), a form with bad input, and a page that
fails (500) with an error message quoting what was sent. Every line the configured handler
writes, with every logger at DEBUG and SQL logged, must be JSON and hold no trace of the token.
"""

import logging
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.core.tests.log_lines import emitted_log_lines

pytestmark = [pytest.mark.django_db, pytest.mark.urls("orderwatch.core.tests.fault_urls")]


def _carrying(token: str, **kwargs) -> Client:
    """A client whose every request carries `token` in its headers and cookies."""
    client = Client(
        raise_request_exception=False,
        headers={
            "User-Agent": f"Browser/1.0 ({token})",
            "Referer": f"https://elsewhere.example/{token}/",
            "X-Forwarded-For": f"{token}, 203.0.113.9",
            "X-Request-ID": token,
        },
        **kwargs,
    )
    for name in ("sessionid", "csrftoken", "preferences"):
        client.cookies[name] = token
    return client


def _requests_carrying(token: str, practitioner) -> list:
    query = f"?q={token}&next=/{token}/"
    email = f"{token.lower()}@example.org"
    anonymous = _carrying(token)
    responses = [anonymous.get(f"{reverse('accounts:sign-in')}{query}")]
    # Sign-in failures until the account is locked (axes logs each failure and the lockout).
    responses += [
        anonymous.post(
            f"{reverse('accounts:sign-in')}{query}", {"username": email, "password": token}
        )
        for _ in range(6)
    ]
    responses += [
        anonymous.get(f"/cases/{token}/{query}"),
        anonymous.get(f"{reverse('calendar_feed:feed', kwargs={'token': token})}{query}"),
        anonymous.get(f"/fails/{token}/{query}"),
        anonymous.get(f"/{query}", headers={"Host": f"{token.lower()}.example"}),
        _carrying(token, enforce_csrf_checks=True).post(
            f"{reverse('accounts:sign-in')}{query}", {"username": email}, secure=True
        ),
    ]
    signed_in = sign_in_with_two_factor(_carrying(token), practitioner)
    responses += [
        signed_in.post(
            f"{reverse('cases:new')}{query}",
            {"victim_given_name": "", "victim_family_name": token, "lead_capacity": token},
        ),
        signed_in.get(f"{reverse('cases:detail', kwargs={'case_id': uuid.uuid4()})}{query}"),
    ]
    return responses


def test_a_canary_planted_in_requests_is_in_no_log_line(practitioner):
    token = f"CANARY-{uuid.uuid4().hex}"
    with emitted_log_lines() as emitted:
        responses = _requests_carrying(token, practitioner)
        # Positive control: the search finds the token where it really is.
        logging.getLogger("orderwatch.canary").warning("Planted %s", token)

    statuses = [response.status_code for response in responses]
    assert statuses == [200, 200, 200, 200, 200, 429, 429, 404, 404, 500, 400, 403, 200, 404]
    lines = emitted.parsed()  # every line is one JSON object
    planted = [line for line in emitted.lines if token.lower() in line.lower()]
    assert len(planted) == 1
    assert '"orderwatch.canary"' in planted[0]
    # The lines that would have quoted it were written, without it.
    request_lines = [(line["logger"], line.get("status")) for line in lines]
    for expected in [
        ("django.request", 404),
        ("django.request", 500),
        ("django.security.csrf", 403),
        ("django.security.DisallowedHost", 400),
    ]:
        assert expected in request_lines
    assert any(line["logger"] == "axes.handlers.database" for line in lines)
    assert any(line["logger"] == "django.db.backends" for line in lines)
    failed = next(line for line in lines if line.get("status") == 500)
    assert "ValueError" in failed["exception"]
    assert failed["request_id"] == responses[9]["X-Request-ID"] != token
