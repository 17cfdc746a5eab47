"""The confidentiality canary: a protected address nobody without address rights ever sees.

A unique string is recorded as a case's protected address through the real service. Then
every kind of visitor who may not see it crawls the whole service: every URL in the access
matrix (GET, JSON and the route's own POST), the extra requests below, and every same-site
link and redirect found on the way. The canary must appear in no response body or header, no
email (locmem outbox), no log record (every logger, DEBUG, SQL included), no stored session
and no raw database bytes (the SQLite image, or `pg_dump` on PostgreSQL). Positive controls
show each detector finds the canary where it really is (a permitted reveal, planted copies).

Free text about people and incidents (diary entries, breach accounts, evidence descriptions,
safety plans, parties, case people's names) is shown to the team, not withheld, but sealed at
rest: after the demo data, a canary planted in each must not be in the raw database bytes, nor
the demo's own free text (ADR 0023).

Extending it, as later issues must:
- a new page or API endpoint is picked up automatically: it has to have a row in the access
  matrix (`orderwatch.access.tests.test_access_matrix.MATRIX`), and this crawl walks the matrix;
- an export, download or other request the matrix does not express (a query string, a
  format, a POST with real data, an action that sends an email) goes in `EXTRA_REQUESTS`;
- emails are checked for whatever the crawl caused to be sent; an email sent by a background
  job rather than a request is triggered in `seed_canary_case` so the check sees it;
- background tasks queued by a request (a prepared PDF) run as it commits, as a worker would,
  so the crawl follows the redirect to the prepared document and downloads it.
"""

import datetime as dt
import io
import logging
import uuid
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.http import HttpResponse
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from orderwatch.access.tests.test_access_matrix import MATRIX, case_kwargs, order_kwargs
from orderwatch.accounts.mfa import StepUp, mfa_step_up
from orderwatch.accounts.models import User
from orderwatch.accounts.services.passwords import password_reset_request
from orderwatch.accounts.tests.factories import (
    UserFactory,
    authenticator_code,
    sign_in_with_two_factor,
)
from orderwatch.breaches.models import Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import Case, CasePerson
from orderwatch.cases.services import (
    case_address_access_set,
    case_open,
    case_person_add,
    case_protected_address_record,
    case_protected_address_reveal,
    case_reopen,
    case_team_member_add,
    case_team_member_remove,
)
from orderwatch.cases.tests.closing import closed
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.demo import data as demo_data
from orderwatch.demo.data import DEMO_PASSWORD
from orderwatch.diary.services import (
    diary_entry_add,
    diary_invite_create,
    diary_setup_confirm,
    diary_setup_request,
    diary_setup_token,
)
from orderwatch.evidence.models import EvidenceItem
from orderwatch.evidence.services import evidence_item_add
from orderwatch.exports.models import Export
from orderwatch.orders.services import (
    condition_add,
    order_copy_add,
    order_copy_mark_checked,
    order_create,
)
from orderwatch.orders.tests.factories import order_type, pdf_upload
from orderwatch.people.services import (
    person_authenticator_reset,
    person_create,
    person_deactivate,
)
from orderwatch.safety.services import safety_action_add
from orderwatch.sharing.services import party_add, share_record
from tests.security.raw_database import contains, raw_database_bytes

# Enough for every page today with room to grow; the crawl fails, not stops, if it runs out.
MAX_REQUESTS_PER_VISITOR = 650
REVEAL_REASON = "To arrange a safe home visit"


@dataclass(frozen=True)
class Extra:
    """A request the access matrix does not express: an export, a format, a POST with data."""

    name: str
    kwargs: Callable[[Case], dict] = lambda case: {}
    method: str = "get"
    data: dict = field(default_factory=dict)
    query: str = ""


EXTRA_REQUESTS = [
    Extra("api:schema", query="format=json"),
    # A member who may reveal, with a reason but a wrong code: the form comes back, no address.
    Extra(
        "cases:address-reveal",
        case_kwargs,
        method="post",
        data={"reason": REVEAL_REASON, "code": "000000"},
    ),
    # The same for an order summary with the address: the form comes back, nothing prepared.
    Extra(
        "orders:summary",
        order_kwargs,
        method="post",
        data={"include_address": "on", "reason": REVEAL_REASON, "code": "000000"},
    ),
    # The case record in both formats, confidential details left out: prepared and downloaded.
    Extra("exports:case-record", case_kwargs, method="post", data={"formats": ("pdf", "json")}),
    # The same with the address and witness details, but a wrong code: the form comes back.
    Extra(
        "exports:case-record",
        case_kwargs,
        method="post",
        data={
            "formats": ("json",),
            "include_address": "on",
            "include_witnesses": "on",
            "reason": REVEAL_REASON,
            "code": "000000",
        },
    ),
    # The chronology PDF of breaches only (their witness details hold the canary).
    Extra("chronology:pdf", case_kwargs, method="post", data={"kind": "breach"}),
    # Agency administration: an account made (its set-up email goes as the request commits)
    # and an authenticator reset with a wrong code (the form comes back, nothing changes).
    Extra(
        "people:new",
        method="post",
        data={
            "display_name": "Crawl Starter",
            "email": "crawl.starter@agency.example",
            "role": "practitioner",
        },
    ),
    Extra(
        "people:authenticator-reset",
        lambda case: {
            "person_id": case.team_memberships.get(is_lead=True, left_at__isnull=True).user_id
        },
        method="post",
        data={"reason": "Lost their phone", "code": "000000"},
    ),
]


# -- Detection ---------------------------------------------------------------------------


def response_bytes(response: HttpResponse) -> bytes:
    """The whole response as sent: status line, headers, cookies and body (streamed or not).

    A PDF's text is compressed inside it, so its extracted text is added for the search; so is
    every member of a ZIP (an evidence bundle), and the text of any PDF in it.
    """
    body = b"".join(response.streaming_content) if response.streaming else response.content
    head = "".join(f"{key}: {value}\n" for key, value in response.items())
    if response.get("Content-Type", "").startswith("application/pdf") and body.startswith(b"%PDF"):
        body += pdf_text(body).encode()
    if response.get("Content-Type", "").startswith("application/zip"):
        body += zip_text(body)
    return f"{response.status_code}\n{head}{response.cookies.output()}\n".encode() + body


def pdf_text(pdf: bytes) -> str:
    try:
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    except PdfReadError:
        return ""  # not a PDF we made (e.g. an uploaded test file): searched as raw bytes


def zip_text(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as bundle:
        members = [bundle.read(name) for name in bundle.namelist()]
    return b"\n".join(m + pdf_text(m).encode() if m.startswith(b"%PDF") else m for m in members)


def email_text(message: mail.EmailMessage) -> str:
    """Subject, addresses, headers, body, alternatives and attachments of an outbox email."""
    parts = [message.subject, message.body, *message.to, *message.cc, *message.bcc]
    parts += [f"{key}: {value}" for key, value in message.extra_headers.items()]
    parts += [str(content) for content, _ in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload()
        parts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
    return "\n".join(str(part) for part in parts)


def sessions_containing(needle: str) -> list[str]:
    """Stored sessions (signed and encoded, so invisible in raw bytes) that contain `needle`."""
    return [
        session.session_key
        for session in Session.objects.all()
        if contains(repr(session.get_decoded()), needle)
    ]


def emails_containing(needle: str) -> list[str]:
    return [message.subject for message in mail.outbox if contains(email_text(message), needle)]


_LOG_FORMAT = logging.Formatter("%(name)s %(levelname)s %(message)s")


def log_lines_containing(records: list[logging.LogRecord], needle: str) -> list[str]:
    """Formatted records (message, arguments, traceback) that contain `needle`."""
    lines = [_LOG_FORMAT.format(record) for record in records]
    return [line[:200] for line in lines if contains(line, needle)]


# -- The crawler -------------------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def same_site_links(base_url: str, response: HttpResponse) -> Iterator[str]:
    """Same-site URLs a visitor would go to next: <a href> on an HTML page, and redirects."""
    hrefs = []
    if response.has_header("Location"):
        hrefs.append(response["Location"])
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        parser = _Links()
        parser.feed(response.content.decode("utf-8", "replace"))
        hrefs += parser.hrefs
    for href in hrefs:
        scheme, netloc, path, query, _fragment = urlsplit(urljoin(base_url, href))
        same_site = scheme in {"", "http", "https"} and netloc in {"", "testserver"}
        if same_site and not path.startswith(settings.STATIC_URL):
            yield urlunsplit(("", "", path, query, ""))


@dataclass
class Crawler:
    """Walks the service as one visitor and keeps every response, to search them afterwards.

    `sign_in` puts the visitor's session back whenever it has gone (after "Sign out"), so one
    request's side effects do not hide the rest of the service from the crawl.
    """

    client: Client
    sign_in: Callable[[Client], object] | None
    responses: list[tuple[str, bytes]] = field(default_factory=list)
    seen: set[tuple] = field(default_factory=set)
    to_visit: deque[str] = field(default_factory=deque)

    def fetch(self, method: str, url: str, data: dict | None = None, accept: str = "") -> None:
        key = (method, url, accept, tuple(sorted((data or {}).items())))
        if key in self.seen:
            return
        self.seen.add(key)
        if self.sign_in is not None and SESSION_KEY not in self.client.session:
            self.sign_in(self.client)
        headers = {"accept": accept} if accept else {}
        # Tasks queued by the request (a prepared PDF) run as it commits, as a worker would.
        with TestCase.captureOnCommitCallbacks(execute=True):
            response = getattr(self.client, method)(url, data, headers=headers)
        label = (
            f"{method.upper()} {url}{f' [{accept}]' if accept else ''} -> {response.status_code}"
        )
        self.responses.append((label, response_bytes(response)))
        self.to_visit.extend(same_site_links(url, response))

    def crawl(self, case: Case) -> None:
        """Every matrix route and extra request for `case`, then every link found, to the end."""
        for route in MATRIX:
            url = reverse(route.name, kwargs=route.kwargs(case))
            self.fetch("get", url)
            self.fetch("get", url, accept="application/json")
            if route.method != "get":
                self.fetch(route.method, url, route.data)
        for extra in EXTRA_REQUESTS:
            url = reverse(extra.name, kwargs=extra.kwargs(case))
            self.fetch(extra.method, f"{url}?{extra.query}" if extra.query else url, extra.data)
        while self.to_visit and len(self.seen) < MAX_REQUESTS_PER_VISITOR:
            self.fetch("get", self.to_visit.popleft())
        unvisited = {url for url in self.to_visit if ("get", url, "", ()) not in self.seen}
        assert not unvisited, f"Raise MAX_REQUESTS_PER_VISITOR: {len(unvisited)} links not crawled"

    def where(self, needle: str) -> list[str]:
        """The requests whose response contains `needle`."""
        return [label for label, content in self.responses if contains(content, needle)]


# -- Fixtures ----------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def log_records() -> Iterator[list[logging.LogRecord]]:
    """Every log record from every logger at DEBUG, SQL statements included, for the test.

    pytest's caplog hears only what reaches the root logger; this also listens on loggers that
    do not propagate, and turns on Django's SQL logging so a plaintext write would be seen.
    """
    handler = _Collect()
    root = logging.getLogger()
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    listening = [logger for logger in loggers if logger is root or not logger.propagate]
    debug_cursors = [(conn, conn.force_debug_cursor) for conn in connections.all()]
    for logger in loggers:
        if logger is root or logger.level:
            logger.setLevel(logging.DEBUG)
    for logger in listening:
        logger.addHandler(handler)
    for conn, _ in debug_cursors:
        conn.force_debug_cursor = True
    yield handler.records
    for conn, was in debug_cursors:
        conn.force_debug_cursor = was
    for logger in listening:
        logger.removeHandler(handler)
    for logger, level in saved:
        logger.setLevel(level)


def new_canary() -> tuple[str, str]:
    """Return (token, address): a unique token inside something that looks like an address."""
    token = f"CANARY-{uuid.uuid4().hex}"
    return token, f"Flat 4\n{token} House\n12 Harbour Lane\nTesttown TT1 4AB"


def seed_canary_case(case: Case, lead: User) -> str:
    """Record the canary as `case`'s protected address, with the usual work around it.

    The lead records it, opens the case, adds a respondent, records an order and a breach whose
    witness details also hold it, is emailed a password reset link, and reveals the address once
    (so the audit log holds a reveal and its reason). Returns the canary token to search for.
    """
    token, address = new_canary()
    Case.objects.filter(pk=case.pk).update(protected_address="")  # recorded below, first
    case_protected_address_record(
        actor=lead,
        case=case,
        address=address,
        reason="Recorded with the victim-survivor",
        step_up=StepUp(user_id=lead.pk, verified_at=timezone.now()),
    )
    case_open(actor=lead, case_id=case.pk)
    case_person_add(
        actor=lead,
        case=case,
        role=CasePerson.Role.RESPONDENT,
        given_name="Res",
        family_name="Pondent",
    )
    # An order whose exclusion condition names the address (kept as a confidential place),
    # with a checked copy, so every order page and the summary PDF are crawled too.
    order = order_create(
        actor=lead,
        case=case,
        order_type=order_type("non_molestation_order"),
        made_on=timezone.localdate() - dt.timedelta(days=7),
        starts_on=timezone.localdate() - dt.timedelta(days=7),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        until_further_order=False,
        protected_people=list(case.people.filter(role=CasePerson.Role.VICTIM_SURVIVOR)),
    )
    condition_add(
        actor=lead,
        order=order,
        kind="exclusion",
        wording="Must not go within 100 metres of the address",
        place=address,
    )
    order_copy_add(actor=lead, order=order, upload=pdf_upload())
    order_copy_mark_checked(actor=lead, order=order)
    # A breach of that condition whose witness details (confidential, like the address) hold
    # the canary too, so every breach page, the chronology and its PDF are crawled for it.
    breach_record(
        actor=lead,
        case=case,
        account=breach_account(
            order.conditions.get(),
            witnesses=Known.GIVEN,
            witness_details=f"A neighbour at {address}",
            police_reported=False,
            not_reported_reason="Thinking about it",
        ),
    )
    # A password reset email (sent by a background task) for the lead, who holds the canary.
    with TestCase.captureOnCommitCallbacks(execute=True):
        password_reset_request(email=lead.email, client_address="192.0.2.1")
    # The agency administrator's emails: a new account's set-up link, and the email telling a
    # colleague that their authenticator was reset (both sent by background tasks).
    admin = UserFactory(agency=lead.agency, role=User.Role.AGENCY_ADMIN)
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_create(
            actor=admin,
            display_name="New Starter",
            email="new.starter@agency.example",
            role=User.Role.PRACTITIONER,
        )
    colleague = UserFactory(agency=lead.agency)
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_authenticator_reset(
            actor=admin,
            person_id=colleague.pk,
            reason="Lost their phone and recovery codes",
            step_up=mfa_step_up(user=admin, code=authenticator_code(admin)),
        )
    assert len(mail.outbox) == 3
    step_up = mfa_step_up(user=lead, code=authenticator_code(lead))
    revealed = case_protected_address_reveal(
        actor=lead, case_id=case.pk, reason=REVEAL_REASON, step_up=step_up
    )
    assert token in revealed  # the canary really is the protected address
    return token


# Everyone who may not see the address, and how each signs in.
VISITORS = {
    "anonymous": "not signed in",
    "password_only_lead": "the case lead, password entered but no two-factor code yet",
    "team_practitioner": "practitioner on the case team, not allowed to see the address",
    "team_practitioner_allowed": "practitioner the lead allowed to see it: may reveal, has not",
    "team_manager": "team manager on the case team, not allowed to see the address",
    "team_auditor": "auditor on the case team: reads the case, may never reveal",
    "team_agency_admin": "agency administrator on the case team: may never reveal",
    "removed_practitioner": "practitioner taken off the case team",
    "practitioner_elsewhere": "practitioner in another agency, on their own case only",
    "manager_off_team": "team manager in the lead's agency, not on the case team",
    "agency_admin_off_team": "agency administrator in the lead's agency, not on the team",
    "auditor_off_team": "auditor in the lead's agency: reads its audit log, not the case",
}
ON_THE_TEAM = {
    "team_practitioner",
    "team_practitioner_allowed",
    "team_manager",
    "team_auditor",
    "team_agency_admin",
}


def make_visitor(name: str, case: Case, lead: User, police) -> tuple[User | None, bool]:
    """Return (user, passed two-factor) for visitor `name` of `case`."""
    if name == "anonymous":
        return None, False
    if name == "password_only_lead":
        return lead, False
    role = {
        "team_practitioner": User.Role.PRACTITIONER,
        "team_practitioner_allowed": User.Role.PRACTITIONER,
        "team_manager": User.Role.TEAM_MANAGER,
        "team_auditor": User.Role.AUDITOR,
        "team_agency_admin": User.Role.AGENCY_ADMIN,
        "removed_practitioner": User.Role.PRACTITIONER,
        "practitioner_elsewhere": User.Role.PRACTITIONER,
        "manager_off_team": User.Role.TEAM_MANAGER,
        "agency_admin_off_team": User.Role.AGENCY_ADMIN,
        "auditor_off_team": User.Role.AUDITOR,
    }[name]
    agency = police if name == "practitioner_elsewhere" else lead.agency
    user = UserFactory(agency=agency, role=role)
    if name in ON_THE_TEAM or name == "removed_practitioner":
        case_team_member_add(actor=lead, case=case, user=user, capacity="Case worker")
    if name == "team_practitioner_allowed":
        case_address_access_set(
            actor=lead, case=case, user=user, allowed=True, reason="Arranging a home visit"
        )
    if name == "removed_practitioner":
        case_team_member_remove(actor=lead, case=case, user=user, reason="Moved to another team")
    if name == "practitioner_elsewhere":
        # A case of their own, so "no cases" is not why they see nothing.
        CaseTeamMembershipFactory(user=user, is_lead=True)
    return user, True


def crawler_for(client: Client, user: User | None, two_factor: bool) -> Crawler:
    if user is None:
        return Crawler(client, sign_in=None)

    def current(user: User) -> User:
        # Read afresh: "Sign out everywhere else" changes the account's security stamp, and a
        # session signed in with the old one would be signed out at once.
        return User.objects.get(pk=user.pk)

    if two_factor:
        return Crawler(client, sign_in=lambda c: sign_in_with_two_factor(c, current(user)))
    return Crawler(client, sign_in=lambda c: c.force_login(current(user)))


# -- Tests -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("visitor", VISITORS)
def test_no_visitor_without_address_rights_finds_the_canary_anywhere(
    client, case, practitioner, police, log_records, visitor
):
    token = seed_canary_case(case, practitioner)
    user, two_factor = make_visitor(visitor, case, practitioner, police)
    crawler = crawler_for(client, user, two_factor)

    crawler.crawl(case)

    assert crawler.where(token) == [], f"{visitor} ({VISITORS[visitor]}) saw the address"
    assert emails_containing(token) == []
    assert log_lines_containing(log_records, token) == []
    assert sessions_containing(token) == []
    if visitor in ON_THE_TEAM:
        # The crawl really reached the case's pages, so "not found" means something; and it
        # downloaded the documents it asked for: the summary, the chronology, its breaches and,
        # for those who may change the case, the evidence bundle and the case record (PDF and
        # JSON).
        assert crawler.where(case.reference)
        downloads = [label for label, _ in crawler.responses if "/download/ -> 200" in label]
        assert len(downloads) == (6 if user.has_perm("cases.change_case", case) else 3)


@pytest.mark.django_db
def test_a_team_manager_asked_to_choose_a_new_lead_finds_no_canary(
    client, case, practitioner, log_records
):
    """Once the lead's account is deactivated, their agency's team manager sees the case by
    reference ("Cases to look at", My tasks, "A new lead is needed"), and nothing more.

    Not in the crawl above: the matrix's routes make their records as the lead, who can no
    longer act. This crawl starts from the manager's own pages and follows every link.
    """
    token = seed_canary_case(case, practitioner)
    manager = UserFactory(agency=practitioner.agency, role=User.Role.TEAM_MANAGER)
    admin = UserFactory(agency=practitioner.agency, role=User.Role.AGENCY_ADMIN)
    person_deactivate(actor=admin, person_id=practitioner.pk, reason="Left the service")
    crawler = crawler_for(client, manager, two_factor=True)

    for url in (
        reverse("patterns:dashboard"),
        reverse("cases:list"),
        reverse("cases:lead-needed", kwargs={"case_id": case.pk}),
    ):
        crawler.fetch("get", url)
    while crawler.to_visit and len(crawler.seen) < MAX_REQUESTS_PER_VISITOR:
        crawler.fetch("get", crawler.to_visit.popleft())

    assert crawler.where(case.reference)  # it reached the case's reference, and no further
    assert crawler.where(token) == []
    assert emails_containing(token) == []
    assert log_lines_containing(log_records, token) == []
    assert sessions_containing(token) == []
    assert client.get(case.get_absolute_url()).status_code == 404


def reveal_as(crawler: Crawler, case: Case, user: User) -> str:
    """POST the reveal form with a reason and a fresh code; return the request's label."""
    url = reverse("cases:address-reveal", kwargs={"case_id": case.pk})
    crawler.fetch("post", url, {"reason": REVEAL_REASON, "code": authenticator_code(user)})
    return crawler.responses[-1][0]


@pytest.mark.django_db
def test_the_crawler_sees_a_permitted_reveal_and_nothing_after_it(
    client, case, practitioner, log_records
):
    """Positive control: the same detector finds a real reveal, so zero elsewhere means zero."""
    token = seed_canary_case(case, practitioner)
    crawler = crawler_for(client, practitioner, two_factor=True)

    revealed = reveal_as(crawler, case, practitioner)

    assert crawler.where(token) == [revealed]
    assert revealed.endswith("-> 200")
    # Afterwards the address is on no page, email, stored session or log record.
    crawler.responses.clear()
    logged_before_crawl = len(log_records)
    crawler.crawl(case)
    assert crawler.where(token) == []
    assert emails_containing(token) == []
    assert sessions_containing(token) == []
    assert log_lines_containing(log_records[logged_before_crawl:], token) == []


@pytest.mark.django_db
def test_the_crawler_finds_the_address_in_a_summary_prepared_with_it(
    client, case, practitioner, log_records
):
    """Positive control for prepared documents: the crawl follows the request to its page and
    downloads the PDF, so a canary in a prepared document would be found."""
    token = seed_canary_case(case, practitioner)
    crawler = crawler_for(client, practitioner, two_factor=True)
    url = reverse("orders:summary", kwargs=order_kwargs(case))
    chosen = {
        "include_address": "on",
        "reason": REVEAL_REASON,
        "code": authenticator_code(practitioner),
    }

    crawler.fetch("post", url, chosen)
    while crawler.to_visit:
        crawler.fetch("get", crawler.to_visit.popleft())

    export = Export.objects.get()
    download = reverse("exports:download", kwargs={"case_id": case.pk, "export_id": export.pk})
    assert crawler.where(token) == [f"GET {download} -> 200"]
    assert log_lines_containing(log_records, token) == []


@pytest.mark.django_db
def test_the_crawler_finds_the_address_in_a_case_record_prepared_with_it(
    client, case, practitioner, log_records
):
    """Positive control for the case record: its JSON download is searched as it is sent."""
    token = seed_canary_case(case, practitioner)
    crawler = crawler_for(client, practitioner, two_factor=True)
    url = reverse("exports:case-record", kwargs=case_kwargs(case))
    chosen = {
        "formats": ("json",),
        "include_address": "on",
        "reason": REVEAL_REASON,
        "code": authenticator_code(practitioner),
    }

    crawler.fetch("post", url, chosen)
    while crawler.to_visit:
        crawler.fetch("get", crawler.to_visit.popleft())

    export = Export.objects.get()
    download = reverse("exports:download", kwargs={"case_id": case.pk, "export_id": export.pk})
    assert crawler.where(token) == [f"GET {download} -> 200"]
    assert log_lines_containing(log_records, token) == []


@pytest.mark.django_db
def test_a_permitted_reveal_writes_the_address_to_no_log(client, case, practitioner, log_records):
    """Revealing is audited, never logged: not even the permitted reveal's own request."""
    token = seed_canary_case(case, practitioner)

    reveal_as(crawler_for(client, practitioner, two_factor=True), case, practitioner)

    assert log_lines_containing(log_records, token) == []


@pytest.mark.django_db
def test_the_email_log_session_and_header_detectors_catch_a_planted_canary(log_records):
    """Positive control for the detectors that no page exercises today."""
    token, address = new_canary()
    mail.EmailMultiAlternatives("Hello", "Nothing here", to=["a@example.org"]).send()
    message = mail.EmailMultiAlternatives("Update", "Nothing here", to=["b@example.org"])
    message.attach_alternative(f"<p>{address}</p>", "text/html")
    message.send()
    logging.getLogger("orderwatch.anything").debug("Address is %s", address)
    session = SessionStore()
    session["draft"] = address
    session.create()
    response = HttpResponse("Nothing here", headers={"X-Debug": token.upper()})

    assert emails_containing(token) == ["Update"]
    assert len(log_lines_containing(log_records, token)) == 1
    assert sessions_containing(token) == [session.session_key]
    assert contains(response_bytes(response), token)


# -- Raw database bytes ------------------------------------------------------------------


# Transactional, so another connection (pg_dump) sees the rows; serialized rollback keeps the
# rows data migrations made (the audit chain head) for the tests that run after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_raw_database_holds_no_canary(client, case, practitioner):
    token = seed_canary_case(case, practitioner)
    sign_in_with_two_factor(client, practitioner)
    reveal = reverse("cases:address-reveal", kwargs={"case_id": case.pk})
    response = client.post(
        reveal, {"reason": REVEAL_REASON, "code": authenticator_code(practitioner)}
    )
    assert contains(response.content, token)  # a reveal through the page, sessions and all
    case.refresh_from_db()

    raw = raw_database_bytes()

    # The check can fail: the case row, with its encrypted address, is in what was read.
    assert case.reference.encode() in raw
    assert case.protected_address.token.encode() in raw
    assert not contains(raw, token), f"The plaintext address is in the {connection.vendor} data"
    assert sessions_containing(token) == []  # sessions are encoded, so decode them too


# -- Free text about people and incidents, sealed at rest (ADR 0023) ------------------------


def plant_free_text_canaries(case: Case, lead: User, order) -> dict[str, str]:
    """Record a distinct canary in each kind of free text about people or incidents, through
    the real services; return {where: canary}."""
    canaries = {
        where: f"CANARY-{where}-{uuid.uuid4().hex}"
        for where in (
            "diary_entry",
            "breach_what_happened",
            "breach_location_details",
            "evidence_description",
            "safety_action",
            "party_name",
            "share_purpose",
            "person_given_name",
            "person_family_name",
            "person_alias",
            "closure_reason",
            "reopening_reason",
            "reveal_reason",
        )
    }
    yesterday = Occurrence(Precision.DATE, timezone.localdate() - dt.timedelta(days=1))
    _, secret = diary_invite_create(actor=lead, case_id=case.pk)
    invite = diary_setup_request(
        secret=secret, email="canary.keeper@mail.example", password=DEMO_PASSWORD
    )
    keeper = diary_setup_confirm(invite_id=invite.pk, token=diary_setup_token(invite))
    diary_entry_add(actor=keeper, occurrence=yesterday, description=canaries["diary_entry"])
    breach_record(
        actor=lead,
        case=case,
        account=breach_account(
            order.conditions.get(),
            what_happened=canaries["breach_what_happened"],
            location_details=canaries["breach_location_details"],
        ),
    )
    evidence_item_add(
        actor=lead,
        case=case,
        kind=EvidenceItem.Kind.NOTE,
        occurrence=yesterday,
        description=canaries["evidence_description"],
    )
    safety_action_add(
        actor=lead, case=case, what=canaries["safety_action"], who="The IDVA", due_on=None
    )
    school = party_add(
        actor=lead,
        case=case,
        kind="school",
        name=canaries["party_name"],
        role="Designated safeguarding lead",
        organisation="Oakfield Primary",
    )
    share_record(
        actor=lead,
        case=case,
        party_id=school.pk,
        what=["order_summary"],
        shared_on=timezone.localdate(),
        how="secure_email",
        purpose=canaries["share_purpose"],
        lawful_basis="safeguarding",
        told_what_to_do_on_breach=True,
    )
    case_person_add(
        actor=lead,
        case=case,
        role=CasePerson.Role.RESPONDENT,
        given_name=canaries["person_given_name"],
        family_name=canaries["person_family_name"],
        aliases=[canaries["person_alias"]],
    )
    # A reason typed at a reveal is an audit note, sealed like the rest (ADR 0039).
    case_protected_address_reveal(
        actor=lead,
        case_id=case.pk,
        reason=canaries["reveal_reason"],
        step_up=StepUp(user_id=lead.pk, verified_at=timezone.now()),
    )
    closed(lead, case, reason="other", reason_text=canaries["closure_reason"])
    case_reopen(actor=lead, case_id=case.pk, reason_text=canaries["reopening_reason"])
    return canaries


def demo_free_text() -> list[str]:
    """The demo cases' names, dates of birth and free text (all sealed at rest). Short roles
    and the agencies acting in safety plans are left out: they are also plain data elsewhere."""
    texts = []
    for spec in demo_data.CASES:
        texts += [spec["victim"][1], spec["victim"][2] or ""]
        for _role, _given, family, born, aliases in spec["people"]:
            texts += [family, born or "", *aliases]
        texts += [wording for order in spec.get("orders", []) for _kind, wording in order[3]]
        texts += [spec["risk"][1]] if "risk" in spec else []
        for _kind, name, _role, organisation, _told in spec.get("parties", []):
            texts += [name, organisation]
        texts += [what for what, _who, _due in spec.get("safety", {}).get("actions", [])]
        texts += [details for _kind, details, _ in spec.get("safety", {}).get("measures", [])]
        texts += [breach[4] for breach in spec.get("breaches", [])]
        texts += [description for _days, description in spec.get("evidence", [])]
        texts += [entry[1] for entry in spec.get("diary", ("", []))[1]]
    return [text for text in texts if text]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_raw_database_holds_no_free_text_about_people_or_incidents(
    settings, case, practitioner, order
):
    settings.DEBUG = True  # the demo loads only for local use
    call_command("load_demo", stdout=io.StringIO())
    canaries = plant_free_text_canaries(case, practitioner, order)
    # Positive control: a value stored in plain text by design (a police reference) is found.
    control = f"CANARY-control-{uuid.uuid4().hex}"
    breach = Breach.objects.filter(case=case).get()
    Breach.objects.filter(pk=breach.pk).update(police_reference=control)
    assert Breach.objects.get(pk=breach.pk).what_happened == canaries["breach_what_happened"]

    raw = raw_database_bytes()

    assert contains(raw, control), f"The {connection.vendor} dump check cannot find plain text"
    assert case.reference.encode() in raw
    found = [where for where, canary in canaries.items() if contains(raw, canary)]
    assert found == [], f"Plain text in the {connection.vendor} data: {found}"
    demo_found = [text for text in demo_free_text() if contains(raw, text)]
    assert demo_found == [], f"Demo free text in the {connection.vendor} data: {demo_found}"
