"""A victim-survivor's diary on a phone, and what the practitioner then does with an entry.

The lead makes an invitation link; on a phone-sized screen the victim-survivor sets up the
diary from it and the link emailed to the address they chose, adds an entry with a photo, and
leaves with "Exit this page", landing on an everyday website. The lead then finds the entry in
the case's evidence log, links it to the breach it shows, and exports the evidence bundle,
which verifies offline and fails to once a single byte of one file is changed.
"""

import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from orderwatch.accounts.models import AuthenticatorApp
from orderwatch.accounts.tests.factories import TEST_PASSWORD, authenticator_code
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.diary.tests.factories import DiaryAccessFactory, code_for
from tests.browser.pages import expect_error_summary, expect_heading, fill_date, open_case

PASSWORD = "a long diary password 26"
ENTRY = "He was waiting by the bus stop again this morning."
NEUTRAL_SITE = "https://www.bbc.co.uk/weather"


def photo_file(tmp_path) -> str:
    path = tmp_path / "IMG_2041.png"
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), (200, 60, 60)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.browser
def test_a_diary_entry_from_a_phone_reaches_the_evidence_log_and_a_verified_bundle(
    page: Page,
    phone: Page,
    live_server,
    practitioner,
    case,
    order,
    sign_in,
    assert_accessible,
    tmp_path,
):
    breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.get()))

    # The lead makes the invitation link.
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Victim-survivor's diary").click()
    expect_heading(page, "Victim-survivor's diary")
    assert_accessible(page)
    page.get_by_role("button", name="Make an invitation link").click()
    expect_heading(page, "The invitation link is ready")
    assert_accessible(page)
    link = page.get_by_test_id("invite-link").input_value()

    # On the phone: set up the diary, after a first try with passwords that differ.
    phone.goto(link)
    expect_heading(phone, "Set up your notes")
    expect(phone).to_have_title("Notes")
    assert_accessible(phone)
    phone.get_by_label("Email address").fill("me@mail.example")
    phone.get_by_label("Create a password").fill(PASSWORD)
    phone.get_by_label("Enter the password again").fill("not the same password")
    phone.get_by_role("button", name="Continue").click()
    expect_error_summary(phone, "The passwords do not match")
    assert_accessible(phone)
    phone.get_by_label("Create a password").fill(PASSWORD)
    phone.get_by_label("Enter the password again").fill(PASSWORD)
    phone.get_by_role("button", name="Continue").click()
    # The same answer for every address: the rest is done from the emailed link.
    expect_heading(phone, "Check your email")
    expect(phone).to_have_title("Notes")
    assert_accessible(phone)
    (email,) = mail.outbox
    phone.goto(re.search(r"https://\S+(/notes/start/confirm/\S+/)", email.body).group(1))
    expect_heading(phone, "Finish setting up your notes")
    assert_accessible(phone)
    phone.get_by_role("button", name="Finish setting up").click()
    expect_heading(phone, "Sign in")
    expect(phone.get_by_text("Your notes are set up.")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Email address").fill("me@mail.example")
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect_heading(phone, "Your notes")
    expect(phone).to_have_title("Notes")
    # The first page says what to write down and why, open until the first note.
    guidance = phone.get_by_test_id("what-to-record")
    expect(guidance).to_have_attribute("open", "")
    expect(guidance).to_contain_text("Keep adding notes, even when nothing seems to change.")
    expect(guidance).to_contain_text("If your phone is lost, broken or taken")
    expect(guidance).to_contain_text("like Bright Sky")
    assert_accessible(phone)
    # The link has done its job: it works once.
    spent = phone.context.new_page()
    spent.goto(link)
    expect_heading(spent, "This link does not work")
    assert_accessible(spent)
    spent.close()

    # Add an entry with a photo.
    phone.get_by_role("button", name="Add a note").click()
    expect_heading(phone, "Add a note")
    assert_accessible(phone)
    phone.get_by_label("What happened?").fill(ENTRY)
    phone.get_by_label("On a day, but I do not know the time").check()
    fill_date(phone, "Date it happened", timezone.localdate())
    phone.get_by_label(re.compile("Add photos")).set_input_files(photo_file(tmp_path))
    phone.get_by_role("button", name="Save").click()
    expect_heading(phone, "Your notes")
    entry = phone.get_by_test_id("diary-entry")
    expect(entry).to_contain_text(ENTRY)
    expect(entry).to_contain_text("Photo")
    guidance = phone.get_by_test_id("what-to-record")
    expect(guidance).not_to_have_attribute("open", "")
    guidance.locator("summary").click()
    expect(guidance.get_by_text("who saw or heard it")).to_be_visible()
    assert_accessible(phone)

    # Leave at once: signed out, on an everyday website.
    phone.get_by_role("button", name="Exit this page").click()
    expect(phone).to_have_url(NEUTRAL_SITE)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Weather")
    phone.goto(live_server.url + "/notes/")
    expect_heading(phone, "Sign in")
    phone.goto(live_server.url + "/notes/no-such-page/")
    expect_heading(phone, "Page not found")
    expect(phone).to_have_title("Notes")
    assert_accessible(phone)

    # The lead was told, and finds the entry in the evidence log.
    page.goto(live_server.url + case.get_absolute_url())
    expect(page.get_by_test_id("nav-notifications")).to_contain_text("1 unread")
    page.get_by_role("link", name="Evidence log").click()
    expect_heading(page, "Evidence log")
    item = page.get_by_test_id("evidence-item").filter(has_text="The victim-survivor")
    expect(item).to_contain_text("Photo")
    assert_accessible(page)
    item.get_by_role("link", name=re.compile("^View")).click()
    expect(page.get_by_text(ENTRY)).to_be_visible()
    assert_accessible(page)

    # Link it to the breach it shows.
    page.get_by_role("link", name="Link to a breach").click()
    expect_heading(page, "Link evidence to a breach")
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Link to the breach").click()
    expect(page.get_by_text("Breach", exact=False).first).to_be_visible()
    assert_accessible(page)

    # Export the bundle, in the background, and download it when it is ready.
    page.get_by_role("link", name="Back to the evidence log").click()
    page.get_by_role("button", name="Export an evidence bundle").click()
    expect_heading(page, "Your document is ready")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_test_id("export-download").click()
    bundle = tmp_path / "bundle.zip"
    download.value.save_as(bundle)

    # The published key, fetched as anyone would.
    page.goto(live_server.url + "/evidence-signing-key/")
    expect_heading(page, "Evidence bundle signing key")
    assert_accessible(page)
    with page.expect_download() as key_download:
        page.get_by_role("link", name=re.compile("Download the public key")).click()
    key = tmp_path / "key.pem"
    key_download.value.save_as(key)

    # The bundle verifies offline with that key alone, and fails once one byte is changed.
    out = io.StringIO()
    call_command("verify_bundle", str(bundle), "--public-key", str(key), stdout=out)
    assert out.getvalue().startswith("Bundle verified: 1 files")
    content = bytearray(bundle.read_bytes())
    photo_at = content.index(b"IHDR")
    content[photo_at + 8] ^= 0x01
    bundle.write_bytes(bytes(content))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="NOT verified"):
        call_command("verify_bundle", str(bundle), "--public-key", str(key), stderr=errors)
    assert "1.png is damaged in the ZIP" in errors.getvalue()
    assert "the file was changed after export" in errors.getvalue()


@pytest.mark.browser
def test_a_victim_survivor_adds_a_second_step_and_is_asked_for_it_next_time(
    phone: Page, live_server, case, assert_accessible
):
    keeper = DiaryAccessFactory(case=case).user
    phone.goto(live_server.url + "/notes/sign-in/")
    expect_heading(phone, "Sign in")
    assert_accessible(phone)
    phone.get_by_label("Email address").fill(keeper.email)
    phone.get_by_label("Password").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect_heading(phone, "Your notes")

    phone.get_by_role("link", name="Add a second step to signing in (optional)").click()
    expect_heading(phone, "Add a second step to signing in")
    assert_accessible(phone)
    device = AuthenticatorApp.objects.get(user=keeper, confirmed=False)
    phone.get_by_label(re.compile("code", re.IGNORECASE)).fill(code_for(device))
    phone.get_by_role("button", name="Confirm code").click()
    expect_heading(phone, "Your second step is set up")
    assert_accessible(phone)

    phone.get_by_role("button", name="Sign out").click()
    expect_heading(phone, "Sign in")
    phone.get_by_label("Email address").fill(keeper.email)
    phone.get_by_label("Password").fill(TEST_PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect_heading(phone, "Enter the code from your app")
    expect(phone).to_have_title("Notes")
    assert_accessible(phone)
    phone.get_by_label(re.compile("code", re.IGNORECASE)).fill(authenticator_code(keeper))
    phone.get_by_role("button", name="Continue").click()
    expect_heading(phone, "Your notes")


@pytest.mark.browser
def test_after_ending_diary_access_the_lead_sees_when_and_by_whom_and_can_invite_again(
    page: Page, live_server, practitioner, case, sign_in, assert_accessible
):
    DiaryAccessFactory(case=case)
    sign_in(page, live_server, practitioner)
    open_case(page, case)
    page.get_by_role("link", name="Victim-survivor's diary").click()
    expect_heading(page, "Victim-survivor's diary")
    page.get_by_role("button", name="End diary access").click()

    expect_heading(page, "Victim-survivor's diary")
    expect(page.get_by_test_id("diary-ended")).to_contain_text("Access ended")
    expect(page.get_by_test_id("diary-ended")).to_contain_text(
        f"Diary access was ended on {timezone.localdate():%-d %B %Y} at "
    )
    expect(page.get_by_test_id("diary-ended")).to_contain_text(
        f"by {practitioner.display_name}, {practitioner.agency.name}"
    )
    expect(page.get_by_text("Not set up")).to_have_count(0)
    expect(page.get_by_role("heading", name="Invite the victim-survivor again")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Make an invitation link").click()
    expect_heading(page, "The invitation link is ready")
