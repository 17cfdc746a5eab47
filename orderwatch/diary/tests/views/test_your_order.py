"""Your order in the diary: nothing until the lead shows it, plain words with what to do, the
address only when the keeper chooses, and gone on the next request once withdrawn or hidden."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CasePersonFactory
from orderwatch.core.tests.dates import date_parts
from orderwatch.diary.models import DiaryEntryCheck, DiaryOrderShare, DiarySetting
from orderwatch.diary.services import (
    diary_end,
    diary_order_hidden_set,
    diary_order_share,
    diary_order_withdraw,
)
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.orders.models import Condition, OrderChange
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db

ADDRESS = "14 Larch Close, Northtown NT3 9QP"
ORDER_PAGE = "/notes/guide/"


@pytest.fixture
def keeper(case):
    return DiaryAccessFactory(case=case).user


@pytest.fixture
def restraining(case):
    """An order against "Darren", not yet checked against a copy: no indirect contact, no
    contact through anyone else, and keep away from the victim-survivor's own address."""
    case.protected_address = ADDRESS
    case.save(update_fields=["protected_address"])
    respondent = CasePersonFactory(case=case, given_name="Darren")
    order = OrderFactory(case=case, respondent=respondent)
    ConditionFactory(
        order=order,
        kind=Condition.Kind.NO_INDIRECT_CONTACT,
        wording="Not to contact the applicant by any means, whether directly or indirectly.",
    )
    ConditionFactory(
        order=order,
        kind=Condition.Kind.NO_THIRD_PARTY_CONTACT,
        wording="Not to instruct or encourage any other person to contact the applicant.",
    )
    ConditionFactory(
        order=order,
        kind=Condition.Kind.EXCLUSION,
        wording="Not to go within 100 metres of the address set out in the schedule.",
        place=ADDRESS,
    )
    return order


def shared(practitioner, order):
    diary_order_share(actor=practitioner, case_id=order.case_id, order_id=order.pk)
    return order


def test_nothing_of_the_order_appears_before_the_lead_shows_it(client, keeper, restraining):
    client.force_login(keeper)
    home = client.get("/notes/").content.decode()
    assert ORDER_PAGE not in home
    assert "Your order" not in home
    assert client.get(ORDER_PAGE).status_code == 404
    add = client.get("/notes/add/").content.decode()
    assert "Is this a breach" not in add
    assert "Darren" not in add


def test_the_shown_order_reads_in_plain_words_with_999_and_101_first(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    assert ORDER_PAGE in client.get("/notes/").content.decode()
    response = client.get(ORDER_PAGE)
    page = response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert "<title>Notes</title>" in page
    assert page.index("call 999") < page.index("Darren must not")
    assert "101" in page
    assert (
        "Darren must not contact you by phone, letter, message or online, or through anyone "
        "else." in page
    )
    assert "Darren must not get anyone else to contact you for them." in page
    assert "Breaking it can be a crime. The police can arrest Darren for it." in page
    assert "Can Darren come up to you or speak to you?" in page
    assert "Not recorded yet. Ask your worker." in page  # in person: the order is silent
    assert "Not to instruct or encourage any other person" in page  # the order's own words
    assert "It lasts until the end of" in page


def test_an_order_not_checked_against_a_copy_says_ask_your_worker(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert 'data-testid="ask-your-worker"' in page
    assert "Ask your worker if you are not sure what it covers." in page
    assert "Not recorded yet. Ask your worker." in page

    restraining.copy_checked_at, restraining.copy_checked_by = timezone.now(), practitioner
    restraining.save(update_fields=["copy_checked_at", "copy_checked_by"])
    page = client.get(ORDER_PAGE).content.decode()
    assert 'data-testid="ask-your-worker"' not in page
    assert "Not recorded yet" not in page
    assert "Not stated in the order." in page  # checked, and still never "allowed"


def test_the_address_appears_only_when_the_keeper_chooses_to_see_it(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert ADDRESS not in page
    assert "Larch" not in page
    assert "Show the places" in page
    read = AuditEvent.objects.filter(verb=Verb.DIARY_ORDER_READ).latest("occurred_at")
    assert read.actor == keeper
    assert read.payload["places_shown"] is False

    page = client.get(ORDER_PAGE, {"places": "shown"}).content.decode()
    assert ADDRESS in page
    read = AuditEvent.objects.filter(verb=Verb.DIARY_ORDER_READ).latest("occurred_at")
    assert read.payload["places_shown"] is True
    assert ADDRESS not in str(read.payload)

    assert ADDRESS not in client.get(ORDER_PAGE).content.decode()  # not remembered


def test_words_of_the_order_that_name_the_address_wait_for_the_keeper_to_choose(
    client, practitioner, keeper, restraining
):
    exclusion = restraining.conditions.get(kind=Condition.Kind.EXCLUSION)
    exclusion.wording = f"Not to go to {ADDRESS}."
    exclusion.exceptions = f"Except to collect belongings from {ADDRESS} with the police."
    exclusion.protects = f"Everyone living at {ADDRESS}"
    exclusion.save()
    ConditionFactory(
        order=restraining,
        kind=Condition.Kind.OCCUPATION,
        wording=f"The respondent shall leave {ADDRESS}.",
    )
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert "Larch" not in page
    assert "The words about places are hidden until you choose to see the places." in page
    assert "Not to instruct or encourage any other person" in page  # other words still shown
    page = client.get(ORDER_PAGE, {"places": "shown"}).content.decode()
    assert f"Not to go to {ADDRESS}." in page
    assert f"The respondent shall leave {ADDRESS}." in page
    sign_in_with_two_factor(client, practitioner)
    preview = reverse("diary-case:preview", kwargs={"case_id": restraining.case_id})
    assert "Larch" not in client.get(preview).content.decode()


@pytest.mark.parametrize(
    ("change", "says"),
    [
        (OrderChange.Kind.DISCHARGED, "This order has ended."),
        (None, "This order ended on"),
    ],
)
def test_an_ended_order_says_so_and_its_rules_no_longer_count(
    client, practitioner, keeper, restraining, change, says
):
    today = timezone.localdate()
    if change:
        OrderChange.objects.create(
            order=restraining, kind=change, made_on=today - dt.timedelta(days=1)
        )
    else:
        restraining.made_on = restraining.starts_on = today - dt.timedelta(days=400)
        restraining.ends_on = today - dt.timedelta(days=2)
        restraining.save()
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert says in page
    assert "Its rules no longer apply." in page
    assert "must not get anyone else" not in page
    assert "The order says Darren must not" not in page
    assert "Is this a breach" not in client.get("/notes/add/").content.decode()
    _add(client, happened=["third_party"])
    assert not DiaryEntryCheck.objects.get().conditions.exists()


def test_an_order_not_yet_in_force_says_when_its_rules_start_and_is_no_breach_yet(
    client, practitioner, keeper, restraining
):
    restraining.starts_on = timezone.localdate() + dt.timedelta(days=3)
    restraining.made_on = timezone.localdate()
    restraining.save()
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert "These rules start on" in page
    assert "Darren must not get anyone else to contact you for them." in page
    assert "Is this a breach" not in client.get("/notes/add/").content.decode()


def test_who_it_protects_says_you_only_when_the_order_protects_the_keeper(
    client, practitioner, keeper, restraining
):
    child = CasePersonFactory(case=restraining.case, role=CasePerson.Role.CHILD, given_name="Maya")
    restraining.protected_people.set([child])
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert "Maya." in page
    assert "You, Maya" not in page
    restraining.protected_people.add(restraining.case.people.get(role="victim_survivor"))
    assert "You, Maya." in client.get(ORDER_PAGE).content.decode()


def test_an_order_without_a_respondent_speaks_of_the_person_named_in_it(
    client, practitioner, keeper, restraining
):
    restraining.respondent = None
    restraining.save(update_fields=["respondent"])
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert "The person named in the order must not get anyone else to contact you" in page
    assert "What the person named in the order must not do" in page


def test_several_orders_shown_each_read_in_plain_words(client, practitioner, keeper, restraining):
    other = OrderFactory(case=restraining.case, until_further_order=True, ends_on=None)
    ConditionFactory(order=other, kind=Condition.Kind.NO_POSTING, wording="Not to post.")
    shared(practitioner, restraining)
    shared(practitioner, other)
    client.force_login(keeper)
    page = client.get(ORDER_PAGE).content.decode()
    assert page.count('data-testid="your-order"') == 2
    assert "must not post anything about you." in page
    assert "It lasts until a court changes it or ends it." in page


def test_ending_the_diary_withdraws_what_it_showed_so_a_new_diary_starts_with_nothing(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    diary_end(actor=practitioner, case_id=restraining.case_id)
    assert not DiaryOrderShare.objects.filter(withdrawn_at__isnull=True).exists()
    assert AuditEvent.objects.filter(verb=Verb.DIARY_ORDER_WITHDRAWN).exists()
    client.force_login(DiaryAccessFactory(case=restraining.case).user)
    assert client.get(ORDER_PAGE).status_code == 404


def test_only_who_may_show_it_can_show_it_again_once_hidden(
    client, practitioner, colleague, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    client.post("/notes/guide/hide/")
    with pytest.raises(PermissionDenied):
        diary_order_hidden_set(actor=colleague, case_id=restraining.case_id, hidden=False)
    diary_order_hidden_set(actor=colleague, case_id=restraining.case_id, hidden=True)  # may
    url = reverse("diary-case:order-hidden", kwargs={"case_id": restraining.case_id})
    sign_in_with_two_factor(client, colleague)
    assert client.post(url, {"hidden": "no"}).status_code == 403
    sign_in_with_two_factor(client, practitioner)
    assert client.post(url).status_code == 400  # no answer: nothing changes
    assert client.post(url, {"hidden": "maybe"}).status_code == 400
    assert DiarySetting.objects.get().order_hidden is True
    assert client.post(url, {"hidden": "no"}).status_code == 302
    assert DiarySetting.objects.get().order_hidden is False


def test_the_answer_to_is_this_a_breach_is_audited_without_words(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    _add(client, happened=["third_party", "other"])
    event = AuditEvent.objects.get(verb=Verb.DIARY_ENTRY_CHECKED)
    assert event.actor == keeper
    assert event.payload["happened"] == ["third_party", "other"]
    assert len(event.payload["conditions"]) == 2
    assert "sister" not in str(event.payload)


def test_a_tick_the_order_does_not_cover_still_says_tell_your_worker_when_saved(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    _add(client, happened=["contact"])
    assert "Tell your worker about it." in client.get("/notes/").content.decode()


def test_while_the_ending_is_being_decided_the_page_says_so(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    assert "looking at what happens when it ends" not in client.get(ORDER_PAGE).content.decode()
    Task.objects.create(
        case=restraining.case,
        kind=Task.Kind.EXPIRY_DECISION,
        title="Consider extension",
        assignee=practitioner,
        due_on=timezone.localdate(),
        origin=Task.Origin.ORDER_ENDING,
        origin_id=restraining.pk,
    )
    assert "looking at what happens when it ends" in client.get(ORDER_PAGE).content.decode()


def test_withdrawing_takes_the_page_away_on_the_next_request(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    assert client.get(ORDER_PAGE).status_code == 200
    diary_order_withdraw(actor=practitioner, case_id=restraining.case_id, order_id=restraining.pk)
    assert client.get(ORDER_PAGE).status_code == 404
    assert ORDER_PAGE not in client.get("/notes/").content.decode()
    assert "Is this a breach" not in client.get("/notes/add/").content.decode()


def test_hiding_your_order_takes_it_away_and_only_a_practitioner_shows_it_again(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    response = client.post("/notes/guide/hide/")
    assert response["Location"] == "/notes/"
    assert client.get(ORDER_PAGE).status_code == 404
    assert ORDER_PAGE not in client.get("/notes/").content.decode()
    assert "Is this a breach" not in client.get("/notes/add/").content.decode()
    hidden = AuditEvent.objects.get(verb=Verb.DIARY_ORDER_HIDDEN)
    assert hidden.actor == keeper
    assert hidden.payload == {"hidden": True}

    diary_order_hidden_set(actor=practitioner, case_id=restraining.case_id, hidden=False)
    assert client.get(ORDER_PAGE).status_code == 200


def test_a_practitioner_can_hide_your_order_for_a_phone_that_may_be_checked(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    diary_order_hidden_set(actor=practitioner, case_id=restraining.case_id, hidden=True)
    client.force_login(keeper)
    assert client.get(ORDER_PAGE).status_code == 404


def _add(client, **extra):
    return client.post(
        "/notes/add/",
        {
            "description": "His sister brought a message from him to the school gate.",
            "happened_precision": Precision.DATE,
            **date_parts("happened_on", dt.date(2026, 3, 2)),
            **extra,
        },
    )


def test_the_helper_says_a_passed_on_message_may_breach_the_third_party_condition(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get("/notes/add/").content.decode()
    assert "Is this a breach of your order?" in page
    assert "Someone passed on a message from them" in page
    answer = page[page.index('id="conditional-third_party"') :]
    answer = answer[: answer.index("</div>")]
    assert "This may be a breach of your order." in answer
    assert "Darren must not get anyone else to contact you for them." in answer
    assert "call 999" in answer
    assert "not a breach" not in page

    response = _add(client, happened=["third_party"])
    assert response["Location"] == "/notes/"
    check = DiaryEntryCheck.objects.get()
    assert check.happened == ["third_party"]
    assert {c.kind for c in check.conditions.all()} == {
        Condition.Kind.NO_THIRD_PARTY_CONTACT,
        Condition.Kind.NO_INDIRECT_CONTACT,
    }
    assert "It may be a breach of your order" in client.get("/notes/").content.decode()

    client.logout()
    sign_in_with_two_factor(client, practitioner)
    item_page = client.get(check.item.get_absolute_url()).content.decode()
    assert "Someone passed on a message from them" in item_page
    assert "No contact through someone else (Non-molestation order)" in item_page


def test_a_kind_the_order_does_not_name_still_says_tell_your_worker(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)
    page = client.get("/notes/add/").content.decode()
    answer = page[page.index('id="conditional-contact"') :]
    answer = answer[: answer.index("</div>")]
    assert "Your order, or the law, may still cover this" in answer
    assert "tell your worker" in answer


def test_an_unknown_kind_is_refused_and_nothing_is_saved(client, practitioner, keeper, restraining):
    shared(practitioner, restraining)
    client.force_login(keeper)
    response = _add(client, happened=["nothing_like_this"])
    assert response.status_code == 200
    assert "Select what kind of thing it was from the list" in response.content.decode()
    assert not DiaryEntryCheck.objects.exists()
    assert not restraining.case.evidence_items.exists()


def test_a_note_without_ticks_keeps_no_answer(client, practitioner, keeper, restraining):
    shared(practitioner, restraining)
    client.force_login(keeper)
    from orderwatch.diary.services import diary_entry_add

    diary_entry_add(
        actor=keeper,
        occurrence=Occurrence(Precision.DATE, timezone.localdate()),
        description="Nothing much.",
    )
    assert not DiaryEntryCheck.objects.exists()


def test_the_team_reads_the_order_as_the_diary_shows_it_without_the_places(
    client, practitioner, restraining
):
    shared(practitioner, restraining)
    sign_in_with_two_factor(client, practitioner)
    overview = client.get(
        reverse("diary-case:overview", kwargs={"case_id": restraining.case_id})
    ).content.decode()
    preview_url = reverse("diary-case:preview", kwargs={"case_id": restraining.case_id})
    assert preview_url in overview
    page = client.get(preview_url).content.decode()
    assert "Darren must not get anyone else to contact you for them." in page
    assert "call 999" in page
    assert ADDRESS not in page
    assert "Show the places" not in page
    viewed = AuditEvent.objects.filter(verb=Verb.CASE_VIEWED).latest("occurred_at")
    assert viewed.payload == {"page": "diary_preview"}


def test_the_order_pages_read_a_fixed_number_of_queries_however_many_conditions(
    client, practitioner, keeper, restraining
):
    shared(practitioner, restraining)
    client.force_login(keeper)

    def queries_with(extra: int) -> list[int]:
        for _ in range(extra):
            ConditionFactory(order=restraining, kind=Condition.Kind.NO_HARASSMENT)
        counts = []
        for url in (ORDER_PAGE, "/notes/add/", "/notes/"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    assert queries_with(0) == queries_with(10)
