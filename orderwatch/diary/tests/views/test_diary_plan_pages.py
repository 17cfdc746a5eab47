"""The safety plan in the diary: the lead's page to choose what the victim-survivor sees, the
case diary page's part about it, and the victim-survivor's own page."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case
from orderwatch.core.tests import people
from orderwatch.core.tests.clock import TODAY
from orderwatch.diary.models import DiaryPlanShare
from orderwatch.diary.plan_forms import NOT_ON_THE_PLAN
from orderwatch.diary.selectors import case_diary_sharing
from orderwatch.diary.services import diary_plan_share, diary_plan_withdraw
from orderwatch.diary.services.sharing import PLAN_NOTHING_CHOSEN
from orderwatch.diary.tests.factories import DiaryAccessFactory
from orderwatch.diary.tests.plan_data import (
    DONE,
    MEASURE,
    OTHER_MEASURE,
    OTHERS,
    THEIRS,
    WHO,
    plan_made,
)
from orderwatch.safety.services import safety_action_add

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("thursday_morning")]

NEXT_WEEK = TODAY + dt.timedelta(days=7)
DANGER = "If you are in danger now, call 999."


@pytest.fixture
def plan(practitioner, case):
    return plan_made(practitioner, case)


@pytest.fixture
def keeper(case):
    return DiaryAccessFactory(case=case).user


@pytest.fixture
def lead(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def form_url(case) -> str:
    return reverse("diary-case:plan", kwargs={"case_id": case.pk})


def withdraw_url(case) -> str:
    return reverse("diary-case:plan-withdraw", kwargs={"case_id": case.pk})


KEEPER_PAGE = "/notes/steps/"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def text(response) -> str:
    """The page's words, without its markup."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


def date_data(day: dt.date) -> dict:
    return {"review_on-day": day.day, "review_on-month": day.month, "review_on-year": day.year}


def shared(actor, case, actions=(), measures=()) -> DiaryPlanShare:
    return diary_plan_share(
        actor=actor,
        case_id=case.pk,
        action_ids=[a.pk for a in actions],
        measure_ids=[m.pk for m in measures],
        review_on=NEXT_WEEK,
    )


def checked(response) -> set[str]:
    return set(re.findall(r'value="([0-9a-f-]{36})" [^>]*checked', response.content.decode()))


# -- The lead's page ----------------------------------------------------------------------


def test_the_lead_sees_every_action_and_measure_of_the_plan_to_choose_from(lead, case, plan):
    response = lead.get(form_url(case))
    assert response.status_code == 200
    assert (
        title(response)
        == f"Show their part of the safety plan – case {case.reference} – OrderWatch"
    )
    page = text(response)
    for words in (THEIRS, DONE, OTHERS, MEASURE, OTHER_MEASURE):
        assert words in page
    assert "To be done by 12 March 2026" in page  # the action due in a week
    assert "Done" in page
    assert "Locks or door security: " + MEASURE in page
    assert "In place" in page
    assert "Planned" in page
    assert "They will see these words exactly as they are written here" in page
    assert checked(response) == set()  # nothing shown yet, so nothing ticked
    assert b"Stop showing the safety plan" not in response.content


def test_the_lead_page_queries_stay_fixed_as_the_plan_grows(lead, practitioner, case):
    def queries_with(extra: int) -> int:
        for number in range(extra):
            safety_action_add(
                actor=practitioner, case=case, what=f"Step {number}", who=WHO, due_on=None
            )
        plan = plan_made(practitioner, case)
        shared(practitioner, case, [plan.theirs, plan.done], [plan.locks, plan.marker])
        with CaptureQueriesContext(connection) as queries:
            assert lead.get(form_url(case)).status_code == 200
        return len(queries)

    assert queries_with(0) == queries_with(10)


def test_the_lead_page_is_ticked_with_what_is_shown_now(lead, practitioner, case, plan):
    shared(practitioner, case, [plan.theirs], [plan.locks])
    response = lead.get(form_url(case))
    assert checked(response) == {str(plan.theirs.pk), str(plan.locks.pk)}
    assert 'name="review_on-day" type="text" inputmode="numeric" value="12"' in (
        response.content.decode()
    )
    assert b"Stop showing the safety plan" in response.content


def test_showing_the_lead_page_is_audited_as_reading_the_plan(lead, practitioner, case, plan):
    lead.get(form_url(case))
    event = AuditEvent.objects.filter(verb=Verb.CASE_VIEWED, actor=practitioner).last()
    assert event.payload == {"page": "safety_plan"}


def test_the_lead_shows_two_items_and_goes_back_to_the_diary_page(lead, practitioner, case, plan):
    response = lead.post(
        form_url(case),
        {
            "actions": [str(plan.theirs.pk)],
            "measures": [str(plan.locks.pk)],
            **date_data(NEXT_WEEK),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("diary-case:overview", kwargs={"case_id": case.pk})
    made = DiaryPlanShare.objects.get(withdrawn_at__isnull=True)
    assert list(made.actions.all()) == [plan.theirs]
    assert list(made.measures.all()) == [plan.locks]
    assert made.review_on == NEXT_WEEK
    assert made.created_by == practitioner


def test_choosing_nothing_and_no_date_are_both_explained_and_nothing_is_saved(lead, case, plan):
    response = lead.post(form_url(case), {})
    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'<a href="#id_actions_0">{PLAN_NOTHING_CHOSEN}</a>' in page
    assert (
        '<a href="#id_review_on-day">Enter the date it will be looked at again with them</a>'
        in (page)
    )
    assert not DiaryPlanShare.objects.exists()


def test_a_past_review_date_is_explained_and_what_was_ticked_is_kept(lead, case, plan):
    response = lead.post(
        form_url(case), {"actions": [str(plan.theirs.pk)], **date_data(TODAY - dt.timedelta(1))}
    )
    assert response.status_code == 200
    assert "Date it will be looked at again with them must be today or in the future" in text(
        response
    )
    assert checked(response) == {str(plan.theirs.pk)}
    assert not DiaryPlanShare.objects.exists()


def test_an_item_from_another_cases_plan_is_refused_and_nothing_is_saved(
    lead, practitioner, case, plan
):
    other = safety_action_add(
        actor=practitioner,
        case=people.case_led_by(practitioner),
        what="Somebody else's",
        who=WHO,
        due_on=None,
    )
    response = lead.post(
        form_url(case), {"actions": [str(plan.theirs.pk), str(other.pk)], **date_data(NEXT_WEEK)}
    )
    assert response.status_code == 200
    assert NOT_ON_THE_PLAN in text(response)
    assert not DiaryPlanShare.objects.exists()


def test_a_plan_with_nothing_in_it_sends_the_lead_to_the_plan_first(lead, case):
    response = lead.get(form_url(case))
    assert response.status_code == 200
    assert b'data-testid="plan-empty"' in response.content
    assert b'type="submit"' not in response.content.split(b"<main")[1].split(b"</main>")[0]


def test_a_practitioner_who_does_not_lead_may_not_open_or_send_the_page(
    client, case, plan, colleague
):
    sign_in_with_two_factor(client, colleague)
    assert client.get(form_url(case)).status_code == 403
    response = client.post(
        form_url(case), {"actions": [str(plan.theirs.pk)], **date_data(NEXT_WEEK)}
    )
    assert response.status_code == 403
    assert not DiaryPlanShare.objects.exists()


def test_someone_outside_the_case_team_finds_no_page(client, case, plan, outsider):
    sign_in_with_two_factor(client, outsider)
    assert client.get(form_url(case)).status_code == 404
    assert client.post(withdraw_url(case)).status_code == 404


def test_the_page_says_a_closed_case_cannot_be_changed(lead, case, plan):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED, closed_at=timezone.now())
    response = lead.get(form_url(case))
    assert response.status_code == 403
    assert b"This case is closed" in response.content


def test_a_practitioner_who_does_not_lead_can_stop_showing_it(
    client, practitioner, case, plan, colleague
):
    shown = shared(practitioner, case, [plan.theirs])
    sign_in_with_two_factor(client, colleague)
    response = client.post(withdraw_url(case), follow=True)
    assert response.redirect_chain[0][0] == reverse(
        "diary-case:overview", kwargs={"case_id": case.pk}
    )
    assert b"The safety plan is no longer shown in their diary." in response.content
    shown.refresh_from_db()
    assert shown.withdrawn_by == colleague


def test_stopping_takes_a_post_only(lead, practitioner, case, plan):
    shared(practitioner, case, [plan.theirs])
    assert lead.get(withdraw_url(case)).status_code == 405
    assert DiaryPlanShare.objects.filter(withdrawn_at__isnull=True).exists()


# -- The case diary page's part (diary/includes/case_plan_share.html) ---------------------


def include(case, can_share: bool) -> str:
    rendered = render_to_string(
        "diary/includes/case_plan_share.html",
        {"case": case, "sharing": case_diary_sharing(case=case), "can_share": can_share},
    )
    return re.sub(r"\s+", " ", rendered)


def test_the_diary_page_offers_to_show_the_plan_to_those_who_may(case, plan):
    part = include(case, can_share=True)
    assert "Not shown" in part
    assert "Show their part of the safety plan" in part
    assert form_url(case) in part
    assert "Stop showing" not in part
    part = include(case, can_share=False)
    assert form_url(case) not in part
    assert "The case lead or a team manager on the case can choose to show it." in part


def test_the_diary_page_says_what_is_shown_until_when_and_how_to_stop(practitioner, case, plan):
    shared(practitioner, case, [plan.theirs, plan.done], [plan.locks])
    part = include(case, can_share=True)
    assert "Shown in their diary" in part
    assert "2 actions and 1 practical measure, since 5 March 2026" in part
    assert "looked at again with them by 12 March 2026" in part
    assert "Change what they see" in part
    assert f'action="{withdraw_url(case)}"' in part
    assert THEIRS not in part  # the words are on the form, not here
    part = include(case, can_share=False)
    assert "Change what they see" not in part
    assert f'action="{withdraw_url(case)}"' in part  # anyone who may change the case may stop


# -- The victim-survivor's page -----------------------------------------------------------


def test_the_keeper_finds_no_page_before_anything_is_shown(client, case, plan, keeper):
    client.force_login(keeper)
    response = client.get(KEEPER_PAGE)
    assert response.status_code == 404
    assert title(response) == "Notes"
    assert b"Page not found" in response.content
    assert response["Cache-Control"] == "no-store"


def test_the_keeper_sees_only_what_was_chosen_in_plain_words(
    client, practitioner, case, plan, keeper
):
    shared(practitioner, case, [plan.theirs, plan.done], [plan.locks])
    client.force_login(keeper)
    response = client.get(KEEPER_PAGE)
    assert response.status_code == 200
    assert title(response) == "Notes"
    assert response["Cache-Control"] == "no-store"
    page = text(response)
    assert page.index("Your safety plan") < page.index(DANGER) < page.index(THEIRS)
    assert THEIRS in page
    assert "By 12 March 2026" in page
    assert DONE in page
    assert "Done" in page
    assert "Locks and doors" in page
    assert MEASURE in page
    assert "In place" in page
    assert (
        "Your worker will look at this plan with you again by 12 March 2026. If something "
        "happens before then, tell them: the plan can change at any time." in page
    )
    for not_theirs in (OTHERS, OTHER_MEASURE, WHO, "Pat Mason", "Northshire", case.reference):
        assert not_theirs not in page
    assert b"OrderWatch" not in response.content


def test_the_keeper_page_is_gone_once_the_plan_stops_being_shown(
    client, practitioner, case, plan, keeper
):
    shared(practitioner, case, [plan.theirs])
    client.force_login(keeper)
    assert client.get(KEEPER_PAGE).status_code == 200
    diary_plan_withdraw(actor=practitioner, case_id=case.pk)
    response = client.get(KEEPER_PAGE)
    assert response.status_code == 404
    assert THEIRS not in text(response)


def test_reading_the_plan_is_audited(client, practitioner, case, plan, keeper):
    shared(practitioner, case, [plan.theirs])
    client.force_login(keeper)
    client.get(KEEPER_PAGE)
    assert AuditEvent.objects.filter(verb=Verb.DIARY_PLAN_READ, actor=keeper).count() == 1


def test_professionals_find_no_keeper_page(lead, practitioner, case, plan):
    shared(practitioner, case, [plan.theirs])
    response = lead.get(KEEPER_PAGE)
    assert response.status_code == 404
    assert THEIRS not in text(response)


def test_the_keeper_page_queries_stay_fixed_as_the_plan_grows(
    client, practitioner, case, plan, keeper
):
    def queries_with(actions: list, measures: list) -> int:
        shared(practitioner, case, actions, measures)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(KEEPER_PAGE).status_code == 200
        return len(queries)

    client.force_login(keeper)
    assert queries_with([plan.theirs], [plan.locks]) == queries_with(
        [plan.theirs, plan.done, plan.others], [plan.locks, plan.marker]
    )
