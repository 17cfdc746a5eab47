"""The safety plan and risk pages, as the case team and others see them."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.core.tests.dates import as_posted, date_parts
from orderwatch.safety.models import (
    RiskAssessment,
    SafetyAction,
    SafetyAgreement,
    SafetyMeasure,
    SafetyReview,
)
from orderwatch.safety.services import (
    risk_level_set,
    safety_action_add,
    safety_action_mark_done,
    safety_measure_add,
    safety_review_open,
    safety_review_record,
)
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db
CHANGE_PAGES = [
    "safety:action-new",
    "safety:measure-new",
    "safety:agreement-new",
    "safety:review-new",
    "safety:risk-new",
]


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


def url(name, case, **extra):
    return reverse(name, kwargs={"case_id": case.pk, **extra})


def _review(case, origin=Task.Origin.BREACH):
    return safety_review_open(actor=None, case=case, origin=origin, origin_id=uuid.uuid4())


def test_an_empty_plan_says_so_in_plain_words(signed_in, case):
    response = signed_in.get(url("safety:plan", case))
    text = response.text
    assert f"<title>Safety plan – case {case.reference} – OrderWatch</title>" in text
    assert "No reviews are due." in text
    assert "The risk level has not been assessed yet." in text
    assert "No actions have been agreed yet." in text
    assert "No practical safety measures are recorded yet" in text
    assert "The plan has not been reviewed yet." in text
    for name in CHANGE_PAGES:
        assert url(name, case) in text


def test_the_plan_shows_reviews_due_risk_actions_measures_and_history_in_that_order(
    client, practitioner, colleague, case, time_machine
):
    risk_level_set(actor=colleague, case=case, level="medium", reason="Calls have stopped.")
    action = safety_action_add(
        actor=practitioner, case=case, what="Fit a door chain", who="Housing", due_on=TODAY
    )
    safety_action_add(
        actor=practitioner, case=case, what="Tell the school", who="IDVA", due_on=None
    )
    safety_action_mark_done(actor=practitioner, case=case, action_id=action.pk)
    safety_measure_add(
        actor=practitioner, case=case, kind="locks", details="New back door lock", status="in_place"
    )
    answered = _review(case)
    safety_review_record(
        agreements_still_right="yes",
        actor=practitioner,
        case=case,
        what_changed="Added the school.",
        task_ids=[answered.pk],
    )
    overdue = _review(case, Task.Origin.ADDRESS_CHANGE)
    time_machine.shift(dt.timedelta(days=7))

    text = sign_in_with_two_factor(client, practitioner).get(url("safety:plan", case)).text

    positions = [
        text.index(marker)
        for marker in (
            'data-testid="open-reviews"',
            'data-testid="risk-level"',
            'data-testid="actions"',
            'data-testid="measures"',
            'data-testid="review-history"',
        )
    ]
    assert positions == sorted(positions)
    assert overdue.get_origin_display() in text  # "The victim-survivor moved"
    assert "Overdue" in text
    for shown in (
        "Medium",
        "Calls have stopped.",
        "Col League",
        "Fit a door chain",
        "Done",
        "Locks or door security",
        "In place",
        "Added the school.",
        "A breach was recorded",
    ):
        assert shown in text
    assert text.count("Mark as done") == 1  # only the action still open
    assert "A breach may mean the risk has increased" not in text


def test_a_breach_since_the_level_was_set_asks_for_a_reassessment(
    client, practitioner, case, time_machine
):
    risk_level_set(actor=practitioner, case=case, level="standard", reason="First visit.")
    time_machine.shift(dt.timedelta(minutes=10))
    BreachFactory(case=case)
    text = sign_in_with_two_factor(client, practitioner).get(url("safety:plan", case)).text
    assert "A breach may mean the risk has increased. Re-assess the risk level." in text
    assert url("safety:risk-new", case) in text


def test_a_case_auditor_sees_the_plan_but_no_way_to_change_it(client, case, team_auditor):
    sign_in_with_two_factor(client, team_auditor)
    response = client.get(url("safety:plan", case))
    assert response.status_code == 200
    for name in CHANGE_PAGES:
        assert url(name, case) not in response.text
        assert client.get(url(name, case)).status_code == 403


def test_someone_off_the_team_gets_404_and_learns_nothing(client, case, outsider):
    CaseTeamMembershipFactory(user=outsider, is_lead=True)
    sign_in_with_two_factor(client, outsider)
    for name in ["safety:plan", *CHANGE_PAGES]:
        response = client.get(url(name, case))
        assert response.status_code == 404
        assert case.reference not in response.text


def test_the_plan_page_queries_do_not_grow_with_the_plan(
    signed_in, practitioner, case, django_assert_num_queries
):
    def add_one_of_each(n):
        action = safety_action_add(
            actor=practitioner, case=case, what=f"Action {n}", who="IDVA", due_on=None
        )
        safety_action_mark_done(actor=practitioner, case=case, action_id=action.pk)
        safety_action_add(actor=practitioner, case=case, what=f"Open {n}", who="IDVA", due_on=None)
        safety_measure_add(
            actor=practitioner, case=case, kind="alarm", details=f"Alarm {n}", status="planned"
        )
        task = _review(case)
        _review(case)
        safety_review_record(
            agreements_still_right="yes",
            actor=practitioner,
            case=case,
            what_changed=f"Review {n}",
            task_ids=[task.pk],
        )
        risk_level_set(actor=practitioner, case=case, level="high", reason=f"Reason {n}")
        BreachFactory(case=case)

    add_one_of_each(0)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url("safety:plan", case))
    for n in range(1, 8):
        add_one_of_each(n)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(url("safety:plan", case))
    assert "Review 7" in response.text


def test_adding_an_action_returns_to_the_plan_with_it(signed_in, case):
    response = signed_in.post(
        url("safety:action-new", case),
        {"what": "Change the phone number", "who": "Victim-survivor, with IDVA", "due_on": ""},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("safety:plan", case)
    assert "Action added to the safety plan." in response.text
    assert "Change the phone number" in response.text


def test_an_action_with_missing_answers_or_a_past_date_explains_and_saves_nothing(signed_in, case):
    response = signed_in.post(url("safety:action-new", case), {"what": "", "who": ""})
    assert response.status_code == 200
    assert "<title>Error: Add an action" in response.text
    assert 'href="#id_what">Enter what will be done</a>' in response.text
    assert 'href="#id_who">Enter who will do it</a>' in response.text
    past = date_parts("due_on", TODAY - dt.timedelta(days=1))
    response = signed_in.post(
        url("safety:action-new", case), {"what": "Call", "who": "IDVA", **past}
    )
    assert (
        'href="#id_due_on-day">Date it should be done by must be today or in the future</a>'
        in response.text
    )
    not_real = {"due_on-day": "30", "due_on-month": "2", "due_on-year": "2026"}
    response = signed_in.post(
        url("safety:action-new", case), {"what": "Call", "who": "IDVA", **not_real}
    )
    assert 'href="#id_due_on-day">Date it should be done by must be a real date</a>' in (
        response.text
    )
    assert not SafetyAction.objects.exists()


def test_marking_an_action_done_is_a_post_that_returns_to_the_plan(signed_in, practitioner, case):
    action = safety_action_add(actor=practitioner, case=case, what="Call", who="IDVA", due_on=None)
    done_url = url("safety:action-done", case, action_id=action.pk)
    assert signed_in.get(done_url).status_code == 405
    response = signed_in.post(done_url)
    assert response.url == url("safety:plan", case)
    action.refresh_from_db()
    assert action.done_by == practitioner


def test_an_action_from_another_case_is_404_under_this_case(signed_in, practitioner, case):
    other = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    action = safety_action_add(actor=practitioner, case=other, what="Call", who="IDVA", due_on=None)
    response = signed_in.post(url("safety:action-done", case, action_id=action.pk))
    assert response.status_code == 404


def test_adding_a_measure_and_its_errors(signed_in, case):
    response = signed_in.post(url("safety:measure-new", case), {})
    for message in (
        "Select what kind of measure it is",
        "Enter what the measure is and where",
        "Select whether it is planned or in place",
    ):
        assert message in response.text
    assert 'href="#id_kind_0"' in response.text
    assert not SafetyMeasure.objects.exists()
    response = signed_in.post(
        url("safety:measure-new", case),
        {"kind": "school", "details": "Only Gran may collect the children", "status": "planned"},
    )
    assert response.url == url("safety:plan", case)
    assert SafetyMeasure.objects.get().get_kind_display().startswith("School")


def test_the_review_form_preselects_the_one_review_due(signed_in, case):
    task = _review(case)
    text = signed_in.get(url("safety:review-new", case)).text
    assert f'value="{task.pk}" checked' in text
    assert "A breach was recorded" in text


def test_one_review_lists_its_reasons_and_recording_it_answers_them_all(
    signed_in, case, time_machine
):
    review = _review(case)
    time_machine.shift(dt.timedelta(minutes=5))  # reasons are listed in the order added
    assert _review(case, Task.Origin.ADDRESS_CHANGE) == review
    plan = signed_in.get(url("safety:plan", case)).text
    assert "A breach was recorded, added 5 March 2026" in plan
    assert "The victim-survivor moved, added 5 March 2026" in plan
    form = signed_in.get(url("safety:review-new", case)).text
    assert f'value="{review.pk}" checked' in form
    assert "A breach was recorded; the victim-survivor moved – due 9 March 2026" in form
    response = signed_in.post(
        url("safety:review-new", case),
        {"tasks": [str(review.pk)], "what_changed": "Moved.", "agreements_still_right": "yes"},
    )
    assert response.url == url("safety:plan", case)
    review.refresh_from_db()
    assert review.is_done
    history = signed_in.get(url("safety:plan", case)).text
    assert "No reviews are due." in history
    assert "A breach was recorded<br>The victim-survivor moved" in history


def test_a_review_without_what_changed_or_with_a_foreign_task_saves_nothing(
    signed_in, practitioner, case
):
    _review(case)
    other = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    foreign = _review(other)
    response = signed_in.post(url("safety:review-new", case), {"what_changed": ""})
    assert "Enter what changed in the plan, or that nothing needed to" in response.text
    assert (
        "Select whether the written agreements or statements of expectations are still right"
        in response.text
    )
    response = signed_in.post(
        url("safety:review-new", case),
        {"tasks": [str(foreign.pk)], "what_changed": "Reviewed.", "agreements_still_right": "no"},
    )
    assert "Select reviews that are still open on this case" in response.text
    assert not SafetyReview.objects.exists()
    foreign.refresh_from_db()
    assert not foreign.is_done


def test_with_no_reviews_due_a_review_can_still_be_recorded(signed_in, case):
    text = signed_in.get(url("safety:review-new", case)).text
    assert "No reviews are due on this case" in text
    assert 'name="tasks"' not in text
    response = signed_in.post(
        url("safety:review-new", case),
        {"what_changed": "Monthly check.", "agreements_still_right": "none"},
    )
    assert response.url == url("safety:plan", case)
    review = SafetyReview.objects.get()
    assert (review.what_changed, review.agreements_still_right) == ("Monthly check.", "none")
    history = signed_in.get(url("safety:plan", case)).text
    assert "There are none with this family" in history


def test_an_agreement_with_the_family_is_added_to_the_plan_and_audited(
    signed_in, practitioner, case
):
    page = signed_in.get(url("safety:agreement-new", case)).text
    assert "<title>Add an agreement – case" in page
    assert "What kind of agreement is it?" in page
    response = signed_in.post(
        url("safety:agreement-new", case),
        as_posted(
            {
                "kind": "statement_of_expectations",
                "made_with": "Both parents, with Early Help",
                "agreed_on": dt.date(2026, 3, 2),
                "says": "Handovers of the children happen at the family centre only.",
                "review_on": dt.date(2026, 6, 2),
            }
        ),
    )
    assert response.url == url("safety:plan", case)
    agreement = SafetyAgreement.objects.get()
    assert (agreement.plan.case, agreement.created_by) == (case, practitioner)
    assert agreement.review_on == dt.date(2026, 6, 2)
    event = AuditEvent.objects.get(verb=Verb.SAFETY_AGREEMENT_ADDED)
    assert (event.object_id, event.payload) == (
        str(agreement.pk),
        {"kind": "statement_of_expectations"},
    )
    plan = signed_in.get(url("safety:plan", case)).text
    assert "Statement of expectations" in plan
    assert "Handovers of the children happen at the family centre only." in plan
    assert "2 June 2026" in plan


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"kind": ""}, "kind", "Select whether it is a written agreement or a statement"),
        ({"made_with": " "}, "made_with", "Enter who the agreement is with"),
        ({"says": ""}, "says", "Enter what the agreement says"),
        ({"agreed_on": ""}, "agreed_on", "Enter the date it was agreed"),
        ({"agreed_on": dt.date(2026, 3, 6)}, "agreed_on", "must be today or in the past"),
        ({"review_on": dt.date(2026, 3, 1)}, "review_on", "must be on or after the date agreed"),
    ],
)
def test_an_agreement_with_a_missing_or_wrong_answer_saves_nothing(
    signed_in, case, values, field, message
):
    good = {
        "kind": "written_agreement",
        "made_with": "Mother",
        "agreed_on": dt.date(2026, 3, 2),
        "says": "No contact at the school gate.",
        "review_on": "",
    }
    response = signed_in.post(url("safety:agreement-new", case), as_posted(good | values))
    assert response.status_code == 200
    assert message in response.text
    assert f'href="#id_{field}' in response.text
    assert not SafetyAgreement.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.SAFETY_AGREEMENT_ADDED).exists()


def test_setting_the_risk_level_shows_the_history_below_the_form(
    signed_in, colleague, case, time_machine
):
    risk_level_set(actor=colleague, case=case, level="standard", reason="First visit.")
    time_machine.shift(dt.timedelta(minutes=5))
    response = signed_in.post(url("safety:risk-new", case), {"level": "", "reason": ""})
    assert "Select the risk level" in response.text
    assert "Enter why this is the risk level now" in response.text
    assert "First visit." in response.text  # the history, below the form
    assert RiskAssessment.objects.count() == 1
    response = signed_in.post(
        url("safety:risk-new", case), {"level": "high", "reason": "Threats by text."}, follow=True
    )
    assert "Risk level recorded." in response.text
    text = signed_in.get(url("safety:risk-new", case)).text
    assert text.index("Threats by text.") < text.index("First visit.")
