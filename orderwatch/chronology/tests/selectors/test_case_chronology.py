import datetime as dt

import pytest

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.services import case_reopen, case_team_member_add, case_team_member_remove
from orderwatch.cases.tests.closing import closed
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.chronology.selectors import case_chronology, case_chronology_page, recent_entries
from orderwatch.chronology.tests.conftest import (
    MOVE_REASON,
    NEW_ADDRESS,
    OLD_ADDRESS,
    REVIEW_CHANGE,
    RISK_REASON,
    VARIATION,
    WHAT_HAPPENED,
    WITNESSES,
    record_breach,
)
from orderwatch.chronology.timeline import Kind
from orderwatch.core.tests.clock import TODAY
from orderwatch.diary.services import diary_entry_add
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.evidence.services import evidence_item_remove
from orderwatch.evidence.tests.factories import item_added, png_upload
from orderwatch.orders.models import OrderChange
from orderwatch.orders.services import order_change_record
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.safety.services import risk_level_set
from orderwatch.sharing.models import Share
from orderwatch.sharing.tests.factories import SCHOOL_CONTACT, ShareFactory

pytestmark = pytest.mark.django_db


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


def everything_said(entries) -> str:
    return "\n".join(
        " ".join([e.title, e.byline, e.when.label, e.description, *e.details, e.link_text])
        for e in entries
    )


def by_key(entries, key):
    return next(e for e in entries if e.key == key)


def test_every_source_appears(case, story, practitioner, police):
    item_added(actor=practitioner, case=case)
    officer = UserFactory(agency=police, display_name="Offi Cer")
    case_team_member_add(actor=practitioner, case=case, user=officer, capacity="Officer")
    case_team_member_remove(actor=practitioner, case=case, user=officer, reason="Case moved")
    closed(practitioner, case, reason="other", reason_text="Support moved to another service")
    case_reopen(actor=practitioner, case_id=case.pk, reason_text="A new incident")
    entries = case_chronology(case=case)
    assert set(titles(entries)) >= {
        "Non-molestation order made",
        "Non-molestation order varied",
        "Non-molestation order no longer in force",
        "Breach of the non-molestation order",
        "Safety plan review opened",
        "Safety plan reviewed",
        "Risk level set to high",
        "Risk level set to medium",
        "Move recorded",
        "Offi Cer: added to the case team",
        "Offi Cer: removed from the case team",
        "Case closed",
        "Case reopened",
    }
    assert {e.kind for e in entries} == set(Kind)
    removed = next(e for e in entries if e.title == "Offi Cer: removed from the case team")
    assert removed.details == ("Why: Case moved",)
    closing = next(e for e in entries if e.title == "Case closed")
    reopening = next(e for e in entries if e.title == "Case reopened")
    assert closing.details == ("Why: Another reason", "Support moved to another service")
    assert reopening.details == ("Why: A new incident",)


def test_order_entries_say_when_in_force_and_what_changed(case, story):
    entries = case_chronology(case=case, kinds={Kind.ORDER})
    made = by_key(entries, f"order:{story.order.pk}")
    assert made.when.label == "3 February 2026"
    assert made.details == ("In force from 3 February 2026 to 3 February 2027",)
    assert made.description == "Made by Northtown Family Court."
    assert made.link == story.order.get_absolute_url()
    varied = by_key(entries, f"order-change:{story.variation.pk}")
    assert varied.description == VARIATION
    assert varied.byline == "recorded by Pat Lead"
    ended = by_key(entries, f"order-ended:{story.ended.pk}")
    assert ended.when.label == "7 January 2026"
    assert ended.description == "Its last day in force was 6 January 2026."


def test_an_extension_says_the_new_end_and_a_discharge_is_not_also_an_ending(case, practitioner):
    order = OrderFactory(case=case, made_on=TODAY - dt.timedelta(days=400))
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.EXTENDED,
        made_on=TODAY - dt.timedelta(days=60),
        new_ends_on=TODAY + dt.timedelta(days=300),
        what_changed="Extended for a year.",
    )
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.DISCHARGED,
        made_on=TODAY - dt.timedelta(days=3),
        what_changed="Discharged on the applicant's request.",
    )
    entries = case_chronology(case=case, kinds={Kind.ORDER})
    assert titles(entries) == [
        "Non-molestation order discharged",
        "Non-molestation order extended",
        "Non-molestation order made",
    ]
    assert entries[1].details == ("Now ends on 30 December 2026",)


def test_an_end_still_to_come_is_not_on_the_chronology(case):
    OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=5))
    assert titles(case_chronology(case=case)) == ["Non-molestation order made"]


def test_breach_says_when_honestly_with_severity_behaviour_and_police(case, story):
    entry = by_key(case_chronology(case=case), f"breach:{story.breach.pk}")
    assert entry.when.label == "3 March 2026 at about 9pm"
    assert entry.description == "Direct contact in person"
    assert entry.details == (
        "How serious: High",
        "Conditions breached: No direct contact",
        "Reported to the police",
    )
    assert entry.link == story.breach.get_absolute_url()


def test_a_breach_some_time_in_a_range_sorts_by_its_first_day(case, practitioner):
    earlier = BreachFactory(case=case, happened_on=TODAY - dt.timedelta(days=6))
    ranged = record_breach(
        practitioner,
        case,
        occurrence=Occurrence(
            Precision.RANGE, TODAY - dt.timedelta(days=8), until=TODAY - dt.timedelta(days=1)
        ),
        police_reported=False,
        police_reported_on=None,
        police_method="",
        police_reference="",
        police_officer_not_known=False,
        not_reported_reason="She wants to think about it.",
    )
    entries = case_chronology(case=case, kinds={Kind.BREACH})
    assert [e.key for e in entries] == [f"breach:{earlier.pk}", f"breach:{ranged.pk}"]
    assert entries[1].when.label == "Some time between 25 February 2026 and 4 March 2026"
    assert entries[1].title == "Incident that matches no condition of an order"
    assert "Not yet reported to the police" in entries[1].details


def test_review_opened_says_why_and_for_whom_and_the_review_what_changed(case, story):
    entries = case_chronology(case=case, kinds={Kind.REVIEW})
    opened = by_key(entries, f"task:{story.task.pk}")
    assert opened.description == "Opened because a breach was recorded."
    assert opened.details == ("For Pat Lead, to do by 9 March 2026", "Done on 5 March 2026")
    assert opened.link == story.breach.get_absolute_url()
    done = by_key(entries, f"review:{story.review.pk}")
    assert done.description == f"What changed: {REVIEW_CHANGE}"
    assert done.details == ("Completes: Review the safety plan after a breach",)
    assert done.byline == "by Pat Lead"


def test_risk_entries_say_who_why_and_what_the_level_was(case, story):
    entries = case_chronology(case=case, kinds={Kind.RISK})
    assert titles(entries) == ["Risk level set to high", "Risk level set to medium"]
    assert entries[0].description == f"Why: {RISK_REASON}"
    assert entries[0].details == ("Changed from medium",)
    assert entries[1].details == ()


def test_a_move_shows_the_next_step_and_never_an_address(case, story):
    entries = case_chronology(case=case)
    move = by_key(entries, f"move:{story.move.pk}")
    assert move.details == ("Agreed next step for the orders: Do not vary the order",)
    said = everything_said(entries)
    for secret in (NEW_ADDRESS, OLD_ADDRESS, "Willow Close", WITNESSES, MOVE_REASON):
        assert secret not in said
    assert WHAT_HAPPENED not in said  # the detail stays on the breach page


def test_filter_keeps_only_the_kinds_chosen(case, story):
    entries = case_chronology(case=case, kinds={Kind.BREACH, Kind.MOVE})
    assert {e.kind for e in entries} == {Kind.BREACH, Kind.MOVE}


def test_other_cases_events_never_appear(case, story, practitioner):
    other = CaseFactory()
    CaseTeamMembershipFactory(case=other, user=practitioner, is_lead=True)
    OrderFactory(case=other)
    elsewhere = record_breach(practitioner, other)
    risk_level_set(actor=practitioner, case=other, level="standard", reason="Elsewhere.")
    keys = {e.key for e in case_chronology(case=case)}
    assert f"breach:{elsewhere.pk}" not in keys
    assert not any(k.endswith(str(elsewhere.pk)) for k in keys)
    other_keys = {e.key for e in case_chronology(case=other)}
    assert keys.isdisjoint(other_keys)
    assert len(other_keys) == 4  # order made, breach, review opened, risk level


def test_recent_entries_are_the_newest_of_every_kind(case, story):
    everything = case_chronology(case=case)
    assert [e.key for e in recent_entries(case=case, limit=3)] == [e.key for e in everything[:3]]
    assert len(recent_entries(case=case)) == 5


def test_recent_entries_pick_the_newest_breaches_from_many(case, practitioner):
    for days in range(20, 0, -1):
        BreachFactory(case=case, happened_on=TODAY - dt.timedelta(days=days))
    latest = BreachFactory(
        case=case, happened_on=TODAY, happened_precision="exact", happened_at_time=dt.time(7, 0)
    )
    recent = recent_entries(case=case, limit=2)
    assert recent[0].key == f"breach:{latest.pk}"
    assert recent[1].when.label == "4 March 2026 (time not known)"


def test_the_pages_of_a_chronology_hold_every_entry_once_in_order(case, story, practitioner):
    for days in range(25):
        BreachFactory(case=case, happened_on=TODAY - dt.timedelta(days=days % 7))
    pages, number = [], 1
    while True:
        page = case_chronology_page(case=case, number=number, size=7)
        pages.append(page)
        if not page.has_next:
            break
        number += 1
    keys = [entry.key for page in pages for entry in page.object_list]
    assert keys == [entry.key for entry in case_chronology(case=case)]
    assert len(pages) > 4
    assert case_chronology_page(case=case, number=len(pages) + 1, size=7).object_list == []


def test_case_chronology_queries_do_not_grow_with_breaches(case, story, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        case_chronology(case=case)
        recent_entries(case=case)
    BreachFactory.create_batch(30, case=case)
    with django_assert_num_queries(len(few.captured_queries)):
        case_chronology(case=case)
        recent_entries(case=case)


def test_a_share_says_what_how_and_that_the_address_was_withheld_never_the_contacts():
    share = ShareFactory(what=[Share.What.ORDER_SUMMARY, Share.What.SAFETY_PLAN])
    ShareFactory()  # another case's share

    (entry,) = case_chronology(case=share.case, kinds={Kind.SHARING})

    assert entry.title == f"Shared with {share.party.name}, {share.party.organisation}"
    assert entry.description == "Order summary, Safety plan, by secure email."
    assert "Protected address: not included" in entry.details
    assert SCHOOL_CONTACT not in everything_said([entry])


def test_a_share_says_why_it_was_shared_or_that_it_was_not_recorded():
    share = ShareFactory(purpose="So the nursery knows who may not collect the children")
    older = ShareFactory(purpose="")  # recorded before the purpose was asked

    (entry,) = case_chronology(case=share.case, kinds={Kind.SHARING})
    (older_entry,) = case_chronology(case=older.case, kinds={Kind.SHARING})

    assert "Why: So the nursery knows who may not collect the children" in entry.details
    assert "Why: Not recorded" in older_entry.details


def test_evidence_says_who_added_what_and_when_it_happened_never_what_it_says(case, practitioner):
    photo = item_added(actor=practitioner, case=case, description="Car outside at 9pm.")
    keeper = DiaryAccessFactory(case=case).user
    diary_entry_add(
        actor=keeper,
        occurrence=Occurrence(Precision.DATE, TODAY - dt.timedelta(days=2)),
        description="I am frightened to go out.",
        uploads=[png_upload(), png_upload()],
    )
    evidence_item_remove(actor=practitioner, item=photo, reason="Wrong case.")

    entries = case_chronology(case=case, kinds={Kind.EVIDENCE})

    assert [(e.title, e.by, e.details) for e in entries] == [
        (
            "Evidence added: photo (removed)",
            practitioner.display_name,
            ("1 file", f"Removed by {practitioner.display_name}"),
        ),
        ("Diary entry by the victim-survivor: photo", "The victim-survivor", ("2 files",)),
    ]
    assert "Car outside" not in everything_said(entries)
    assert "frightened" not in everything_said(entries)
