"""Browser fixtures: Debian's Chromium driven by Playwright, a live server, sign-in and axe.

Every browser test gets a fresh browser context and page against pytest-django's
`live_server` (a transactional database). Sign-in happens in one place, `sign_in`, so that
adding a step to it (multi-factor authentication) changes every journey at once.
"""

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connections
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.tests.factories import TEST_PASSWORD
from orderwatch.cases.models import CaseTeamChange, CaseTeamMembership
from orderwatch.confidential.fields import Confidential, EncryptedTextField, SealedTextField
from tests.browser.pages import enter_authenticator_code
from tests.security.raw_database import contains, raw_database_bytes

# Sync Playwright runs an event loop in this thread; the test code's own ORM calls (factories)
# are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# WCAG 2.2 A and AA, as axe-core tags them.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Shorter values (a first name, "Yes") could match unrelated bytes; the canaries cover them.
SEALED_TEXT_CHECKED_FROM = 8
TIMEOUT_MS = 10_000

SignIn = Callable[..., None]
AssertAccessible = Callable[[Page], None]


@pytest.fixture(autouse=True)
def _database_as_migrated(django_db_serialized_rollback: None) -> None:
    """Give each browser test the database as migrations left it (the audit chain's head row).

    A live-server test is transactional: tables are flushed afterwards, which would also
    remove rows that data migrations made. Serialized rollback restores them before each test.
    """


@pytest.fixture(autouse=True)
def _typed_text_sealed_at_rest(request, transactional_db: None) -> Iterator[None]:
    """After each journey, nothing typed into an encrypted field is in the raw database.

    Torn down after the browser contexts close and before the database is flushed, so the
    check reads everything the journey saved (ADR 0023, 0024).
    """
    yield
    if "browser" in request.fixturenames:
        # A second person's context a journey opened and left open would keep its connections
        # to the live server, and every later test would wait for them (5s each).
        for context in request.getfixturevalue("browser").contexts:
            context.close()
    _wait_for_live_server_requests()
    typed = _encrypted_plaintexts() - _plain_by_design()
    if typed:
        raw = raw_database_bytes()
        leaked = sorted(text for text in typed if contains(raw, text))
        assert not leaked, f"Stored in plain text in the raw database: {leaked}"


def _plain_by_design() -> set[str]:
    """Agency and staff names are plain by design; a party's organisation may repeat one. So
    are case team change reasons and passkey names (ADR 0023), which a sealed audit note may
    repeat (ADR 0039)."""
    agencies = Agency.objects.values_list("name", flat=True)
    staff = User.objects.values_list("display_name", flat=True)
    team_reasons = CaseTeamChange.objects.values_list("reason", flat=True)
    left_reasons = CaseTeamMembership.objects.values_list("left_reason", flat=True)
    passkeys = WebAuthnCredential.objects.values_list("name", flat=True)
    texts = [*agencies, *staff, *team_reasons, *left_reasons, *passkeys]
    return {text.strip() for text in texts}


def _encrypted_plaintexts() -> set[str]:
    """Return the plaintext of every encrypted value in the database, long enough to search."""
    found = set()
    for model in apps.get_models():
        names = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, SealedTextField | EncryptedTextField)
        ]
        for row in model._base_manager.values_list(*names) if names else ():
            for stored in row:
                value = stored.reveal() if isinstance(stored, Confidential) else stored
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str) and len(text.strip()) >= SEALED_TEXT_CHECKED_FROM:
                        found.add(text.strip())
    return found


def _wait_for_live_server_requests(timeout: float = 5.0) -> None:
    """Wait until the live server's request threads (kept open by keep-alive) have finished.

    Each one closes the shared database connection as it ends, which must happen before the
    live server stops sharing that connection between threads.
    """
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture(scope="session")
def browser(live_server) -> Iterator[Browser]:
    """Launch Debian's Chromium once per test run; Playwright never downloads a browser.

    It depends on `live_server` so that it closes first, ending its connections to it.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is not installed at {CHROMIUM} (run `make browser-deps`).")
    # Between its calls, sync Playwright marks an event loop as running in this thread, and
    # Django then keeps database connections per async context, not per thread: the test code
    # would get new connection objects, not the ones the test database (with its serialized
    # contents) and the live server were set up with. Keep using those.
    thread_connections = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    _wait_for_live_server_requests()


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    """Return a fresh context (no cookies, no storage); CSP is bypassed so axe can be injected."""
    context = browser.new_context(bypass_csp=True, base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    expect.set_options(timeout=TIMEOUT_MS)
    return context.new_page()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser: Browser, live_server) -> Iterator[Page]:
    """Return a page in a phone-sized context of its own: the victim-survivor's diary."""
    context = browser.new_context(
        bypass_csp=True,
        base_url=live_server.url,
        locale="en-GB",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    # The everyday site "Exit this page" leads to, served here: tests never reach the internet.
    context.route(
        re.compile(r"^https://www\.bbc\.co\.uk/.*"),
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title><h1>Weather</h1>"
        ),
    )
    yield context.new_page()
    context.close()


def submit_sign_in_form(page: Page, live_server, *, email: str, password: str) -> None:
    """Fill in and send the sign-in form, whatever the outcome."""
    page.goto(live_server.url + reverse("accounts:sign-in"))
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def _sign_in(page: Page, live_server, user: User, *, password: str = TEST_PASSWORD) -> str:
    """Sign `user` in through the real forms, password then two-factor code; wait until the
    service shows them signed in, and return the code used."""
    submit_sign_in_form(page, live_server, email=user.email, password=password)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    code = enter_authenticator_code(page, user)
    page.get_by_role("button", name="Continue").click()
    # The two-factor page already says "Signed in as": wait until it has been left.
    expect(page.get_by_role("heading", level=1)).not_to_have_text(
        "Enter the code from your authenticator app"
    )
    expect(page.get_by_text(f"Signed in as {user.display_name}")).to_be_visible()
    return code


@pytest.fixture
def sign_in_attempt() -> SignIn:
    """Return `sign_in_attempt(page, live_server, email=..., password=...)`, for failed sign-ins."""
    return submit_sign_in_form


@pytest.fixture
def sign_in() -> SignIn:
    """Return `sign_in(page, live_server, user)`: the one place browser tests sign in.

    It returns the two-factor code it used, so a test can show that code is not accepted again.
    """
    return _sign_in


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:200]}")
    return "\n".join(lines)


def _assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every WCAG 2.2 A/AA violation."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = results["violations"]
    if violations:
        pytest.fail(_format_violations(page.url, violations), pytrace=False)


@pytest.fixture
def assert_accessible() -> AssertAccessible:
    """Return `assert_accessible(page)`: fail on any axe-core WCAG 2.2 A/AA violation."""
    return _assert_accessible
