"""The one browser journey, through nginx: a practitioner's first sign-in (password, then
setting up the authenticator app), a case with an order, a breach recorded on the question
pages, and an evidence file uploaded and downloaded again. No Django here: the browser only
sees what a person would."""

import base64
import datetime as dt
import hashlib
import hmac
import re
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

UK = ZoneInfo("Europe/London")
CONDITION = "The respondent must not contact the applicant directly, by any means."
WHAT_HAPPENED = "He came to the door at about nine and shouted through the letterbox."


@dataclass(frozen=True)
class Account:
    email: str
    password: str
    display_name: str


def authenticator_code(setup_key: str, *, at: float | None = None) -> str:
    """Return the 6-digit code an authenticator app set up with `setup_key` shows (RFC 6238:
    HMAC-SHA1 over 30-second steps), as the person's phone would."""
    secret = setup_key.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def photo(seed: bytes) -> bytes:
    """Return a small, valid PNG whose pixels come from `seed`, so each run's file is unique."""
    width = height = 16
    pixels = hashlib.shake_256(seed).digest(width * height * 3)
    rows = b"".join(b"\x00" + pixels[y * width * 3 : (y + 1) * width * 3] for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def heading(page: Page, text: str | re.Pattern) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def choose(page: Page, legend: str, option: str) -> None:
    page.get_by_role("group", name=legend, exact=True).get_by_label(option, exact=True).check()


def fill_date(page: Page, legend: str, date: dt.date) -> None:
    question = page.get_by_role("group", name=legend, exact=True)
    question.get_by_label("Day", exact=True).fill(str(date.day))
    question.get_by_label("Month", exact=True).fill(str(date.month))
    question.get_by_label("Year", exact=True).fill(str(date.year))


def next_question(page: Page) -> None:
    page.get_by_role("button", name="Continue").click()


def sign_in_first_time(page: Page, account: Account) -> None:
    """Sign in with the password, set up the authenticator app from its setup key (the second
    factor), and arrive at My cases."""
    page.goto("/accounts/sign-in/")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password").fill(account.password)
    page.get_by_role("button", name="Sign in").click()
    heading(page, "Set up two-factor authentication")
    page.get_by_text("I cannot scan the QR code").click()
    setup_key = page.get_by_test_id("setup-key").inner_text()
    page.get_by_label("Code from your authenticator app").fill(authenticator_code(setup_key))
    page.get_by_role("button", name="Confirm code").click()
    heading(page, "Your recovery codes")
    page.get_by_role("link", name="I have saved my recovery codes").click()
    heading(page, "My cases")
    expect(page.get_by_text(f"Signed in as {account.display_name}")).to_be_visible()


def open_case(page: Page) -> str:
    """Open a case (the practitioner is its lead), add the respondent and a non-molestation
    order with one condition; return the case page's path."""
    page.get_by_role("button", name="Open a new case").click()
    heading(page, "Open a new case")
    page.get_by_label("Victim-survivor's first name").fill("Alex")
    page.get_by_label("Victim-survivor's last name").fill("Example")
    fill_date(page, "Victim-survivor's date of birth", dt.date(1988, 4, 12))
    page.get_by_label("Your role on this case").fill("Allocated IDVA")
    page.get_by_role("button", name="Open case").click()
    heading(page, re.compile(r"^OW-[0-9A-Z]{6}$"))
    case_path = re.sub(r"^https://[^/]+", "", page.url)

    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("Who is this person?").select_option(label="Respondent")
    page.get_by_label("First name", exact=True).fill("Sam")
    page.get_by_label("Last name", exact=True).fill("Respondent-Person")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text("Person added")

    today = dt.datetime.now(UK).date()
    page.get_by_role("link", name="Record an order").click()
    heading(page, "Record an order")
    page.get_by_label("Type of order").select_option(label="Non-molestation order")
    page.get_by_label("Court", exact=True).fill("Northtown Family Court")
    page.get_by_label("Court case number").fill("NT26F00999")
    page.get_by_label("Respondent", exact=True).select_option(label="Sam Respondent-Person")
    page.get_by_label("Alex Example (victim-survivor)").check()
    fill_date(page, "Date the order was made", today - dt.timedelta(days=7))
    fill_date(page, "Date it starts", today - dt.timedelta(days=7))
    fill_date(page, "Date it ends", today + dt.timedelta(days=182))
    page.get_by_role("button", name="Save and add conditions").click()
    heading(page, "Add a condition")
    page.get_by_label("No direct contact", exact=True).check()
    page.get_by_label("Exact wording").fill(CONDITION)
    page.get_by_role("button", name="Save and finish").click()
    heading(page, "Non-molestation order")
    return case_path


def record_breach(page: Page, case_path: str) -> None:
    """Record a breach of the order's condition, one question page at a time, and save it."""
    now = dt.datetime.now(UK) - dt.timedelta(minutes=1)
    yesterday = now.date() - dt.timedelta(days=1)
    page.goto(case_path)
    page.get_by_role("link", name="Record a breach").click()
    heading(page, "Record a breach")
    page.get_by_role("button", name="Start now").click()
    choose(page, "Has it been reported to the police?", "Yes")
    next_question(page)
    fill_date(page, "Date it was reported to the police", yesterday)
    choose(page, "How was it reported?", "101")
    page.get_by_label("Police reference").fill("NP-26-5521")
    page.get_by_label("The officer is not known yet").check()
    next_question(page)
    choose(page, "Is the respondent supervised by probation?", "Not known")
    next_question(page)
    choose(page, "Have other agencies been told?", "No")
    next_question(page)
    fill_date(page, "When was it reported to you?", now.date())
    page.get_by_role("group", name="When was it reported to you?", exact=True).get_by_label(
        "Time", exact=True
    ).fill(f"{now:%H:%M}")
    choose(page, "Who reported it to you?", "The victim-survivor")
    next_question(page)
    choose(page, "How precisely is it known when it happened?", "At about a time (approximate)")
    next_question(page)
    fill_date(page, "Date it happened", yesterday)
    page.get_by_label("Time it happened").fill("21:00")
    next_question(page)
    choose(page, "Where did it happen?", "At the protected address")
    next_question(page)
    page.get_by_label("What happened?").fill(WHAT_HAPPENED)
    next_question(page)
    choose(page, "What kind of behaviour was it?", "Direct contact in person")
    next_question(page)
    choose(page, "How serious was it?", "High")
    next_question(page)
    choose(page, "Was anyone else there?", "No")
    next_question(page)
    choose(page, "Were there any witnesses?", "No")
    next_question(page)
    page.get_by_label(f"No direct contact: “{CONDITION}”").check()
    page.get_by_label("How did the conduct breach it (No direct contact)?").fill(
        "He came to her door and spoke to her."
    )
    next_question(page)
    choose(page, "What was done as a result?", "Reported to the police")
    next_question(page)
    heading(page, "Check your answers before saving the breach")
    page.get_by_role("button", name="Save breach").click()
    heading(page, re.compile(r"^Breach: "))
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text("Breach recorded")


def add_and_download_evidence(page: Page, case_path: str, *, name: str, data: bytes) -> bytes:
    """Upload `data` as a photo on the case's evidence log; download it again and return it."""
    yesterday = dt.datetime.now(UK).date() - dt.timedelta(days=1)
    page.goto(case_path)
    page.get_by_role("link", name="Evidence log").click()
    heading(page, "Evidence log")
    page.get_by_role("link", name="Add evidence").click()
    heading(page, "Add evidence")
    choose(page, "What kind of evidence is it?", "Photo")
    choose(page, "How precisely is it known when it happened?", "At about a time (approximate)")
    fill_date(page, "Date it happened", yesterday)
    page.get_by_label("Time it happened").fill("19:30")
    page.get_by_label("Describe the evidence").fill("Photo of his car across the road.")
    page.get_by_label("Upload files").set_input_files(
        {"name": name, "mimeType": "image/png", "buffer": data}
    )
    page.get_by_role("button", name="Add to the evidence log").click()
    heading(page, "Photo")
    expect(page.get_by_role("alert").filter(has_text="Success")).to_contain_text(
        "Evidence added to the log."
    )
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download {name}").click()
    download = download_info.value
    if download.failure() is not None:
        raise RuntimeError(f"The download failed: {download.failure()}")
    return Path(download.path()).read_bytes()
