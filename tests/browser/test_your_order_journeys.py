""" "Your order" in the victim-survivor's diary: shown by the lead, read in plain words on a
phone, used to record a breach, and taken away again.

The lead shows an order that forbids indirect contact, contact through anyone else, and going
near the victim-survivor's home. On the phone the victim-survivor reads what it means, with 999
and 101 first, and sees their address only when they ask. They write down that his sister
brought a message; ticking "Someone passed on a message" says it may be a breach of the
third-party condition. The lead sees the entry with that answer, then stops showing the order,
and the phone's next page is "Page not found".
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from orderwatch.cases.tests.factories import CasePersonFactory
from orderwatch.diary.services import diary_order_share
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.models import EvidenceItem
from orderwatch.orders.models import Condition
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory, order_type
from tests.browser.pages import expect_heading, fill_date, sign_in_to_notes, success_banner

ADDRESS = "14 Larch Close, Northtown NT3 9QP"
ENTRY = "His sister brought a message from him to the school gate."
THIRD_PARTY = "Darren must not get anyone else to contact you for them."


@pytest.fixture
def restraining(case):
    case.protected_address = ADDRESS
    case.save(update_fields=["protected_address"])
    order = OrderFactory(
        case=case,
        order_type=order_type("restraining_order_conviction"),
        respondent=CasePersonFactory(case=case, given_name="Darren"),
    )
    for kind, wording, place in (
        (Condition.Kind.NO_INDIRECT_CONTACT, "Not to contact the applicant indirectly.", ""),
        (
            Condition.Kind.NO_THIRD_PARTY_CONTACT,
            "Not to contact the applicant through any third party.",
            "",
        ),
        (
            Condition.Kind.EXCLUSION,
            "Not to go within 100 metres of the applicant's home address.",
            ADDRESS,
        ),
    ):
        ConditionFactory(order=order, kind=kind, wording=wording, place=place)
    return order


@pytest.mark.browser
def test_the_victim_survivor_reads_their_order_and_records_a_breach_the_lead_sees(
    page: Page, phone: Page, live_server, practitioner, case, restraining, sign_in,
    assert_accessible,
):  # fmt: skip
    keeper = DiaryAccessFactory(case=case).user
    diary_page = live_server.url + reverse("diary-case:overview", kwargs={"case_id": case.pk})

    # Before the lead shows it, the phone has nothing of the order.
    sign_in_to_notes(phone, live_server, keeper)
    expect(phone.get_by_test_id("from-your-worker")).to_have_count(0)

    # The lead shows the order in the diary.
    sign_in(page, live_server, practitioner)
    page.goto(diary_page)
    expect_heading(page, "Victim-survivor's diary")
    shares = page.get_by_test_id("order-shares")
    expect(shares).to_contain_text("Not shown")
    assert_accessible(page)
    shares.get_by_role("button", name="Show in their notes").click()
    expect(success_banner(page)).to_contain_text("shown in their notes")
    expect(page.get_by_test_id("order-shares")).to_contain_text("Shown")
    assert_accessible(page)
    page.get_by_role("link", name="Read the order as they see it").click()
    expect_heading(page, "What they see: their order")
    expect(page.get_by_test_id("preview")).to_contain_text(THIRD_PARTY)
    assert ADDRESS not in page.content()
    assert_accessible(page)

    # On the phone: the order in plain words, what to do first, the address only when asked.
    phone.reload()
    phone.get_by_role("link", name="Your order: what it means and what to do").click()
    expect_heading(phone, "Your order")
    expect(phone).to_have_title("Notes")
    danger = phone.get_by_test_id("danger-now")
    expect(danger).to_contain_text("If you are in danger now, call 999.")
    expect(danger).to_contain_text("calling 101 or online")
    expect(phone.get_by_test_id("contact-summary")).to_have_text(
        "Darren must not contact you by phone, letter, message or online, or through anyone else."
    )
    expect(phone.get_by_test_id("plain-conditions")).to_contain_text(THIRD_PARTY)
    expect(phone.get_by_test_id("ask-your-worker")).to_be_visible()
    expect(phone.get_by_test_id("your-order")).to_contain_text("Breaking it can be a crime.")
    assert ADDRESS not in phone.content()
    assert_accessible(phone)
    phone.get_by_role("button", name="Show the places").click()
    expect(phone.get_by_test_id("places")).to_have_text(ADDRESS)
    assert_accessible(phone)

    # They write down what happened; the helper says what the order says about it.
    phone.get_by_role("link", name="Add a note").click()
    expect_heading(phone, "Add a note")
    phone.get_by_label("What happened?").fill(ENTRY)
    phone.get_by_label("On a day, but I do not know the time").check()
    fill_date(phone, "Date it happened", timezone.localdate())
    answer = phone.get_by_test_id("breach-answer-third_party")
    expect(answer).to_be_hidden()
    phone.get_by_label("Someone passed on a message from them").check()
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("This may be a breach of your order.")
    expect(answer).to_contain_text(THIRD_PARTY)
    expect(answer).to_contain_text("tell your worker or the police")
    assert "not a breach" not in phone.content()
    assert_accessible(phone)
    phone.get_by_role("button", name="Save").click()
    expect_heading(phone, "Your notes")
    expect(success_banner(phone)).to_contain_text("It may be a breach of your order")
    assert_accessible(phone)

    # The lead sees the entry with their answer.
    item = EvidenceItem.objects.get(case=case)
    page.goto(live_server.url + item.get_absolute_url())
    ticked = page.get_by_test_id("diary-check")
    expect(ticked).to_contain_text("Someone passed on a message from them")
    expect(ticked).to_contain_text("No contact through someone else (Restraining order")
    expect(page.get_by_text(ENTRY)).to_be_visible()
    assert_accessible(page)

    # The lead stops showing the order: gone from the phone's next page.
    page.goto(diary_page)
    page.get_by_test_id("order-shares").get_by_role("button", name="Stop showing").click()
    expect(success_banner(page)).to_contain_text("no longer shown")
    assert_accessible(page)
    phone.goto(live_server.url + reverse("diary:order"))
    expect_heading(phone, "Page not found")
    expect(phone).to_have_title("Notes")
    assert "Darren" not in phone.content()
    assert_accessible(phone)
    phone.goto(live_server.url + "/notes/")
    expect(phone.get_by_test_id("from-your-worker")).to_have_count(0)


@pytest.mark.browser
def test_the_victim_survivor_hides_their_order_and_the_lead_is_told(
    page: Page, phone: Page, live_server, practitioner, case, restraining, sign_in,
    assert_accessible,
):  # fmt: skip
    keeper = DiaryAccessFactory(case=case).user
    diary_order_share(actor=practitioner, case_id=case.pk, order_id=restraining.pk)
    sign_in_to_notes(phone, live_server, keeper)
    phone.get_by_role("link", name="Your order: what it means and what to do").click()
    phone.get_by_role("button", name="Hide this page").click()
    expect_heading(phone, "Your notes")
    expect(success_banner(phone)).to_contain_text("That page is hidden now")
    expect(phone.get_by_test_id("from-your-worker")).to_have_count(0)
    assert_accessible(phone)

    sign_in(page, live_server, practitioner)
    page.goto(live_server.url + reverse("diary-case:overview", kwargs={"case_id": case.pk}))
    expect(page.get_by_test_id("order-hidden")).to_contain_text("they hid it themselves")
    assert_accessible(page)
    page.get_by_role("button", name="Show it in their notes again").click()
    expect(success_banner(page)).to_contain_text("in their notes again")
    phone.reload()
    expect(phone.get_by_test_id("from-your-worker")).to_be_visible()
