"""End to end over the API (issue 21): an agency's system opens a case, records an order with a
condition and two breaches, and what follows is what follows the same work on the pages: the
same safety review task for the lead, the same alerts, the same pattern prompt."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, sign_in_with_two_factor
from orderwatch.breaches.tests import flow
from orderwatch.cases.models import Case, CasePerson
from orderwatch.cases.services import case_create, case_person_add
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.clients.tests.test_client_api import breach_body
from orderwatch.clients.tests.tokens import TokenClient, client_registered, token_for
from orderwatch.notifications.models import Notification
from orderwatch.orders.models import Condition, Order
from orderwatch.orders.services import condition_add, order_create
from orderwatch.orders.tests.factories import order_type
from orderwatch.patterns.models import PatternEscalation
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db

WORDING = "The respondent must not contact the applicant directly or indirectly."
# Two occasions, days apart: a course of conduct to consider.
BREACH_DAYS = (
    lambda: timezone.localdate() - dt.timedelta(days=4),
    lambda: timezone.localdate() - dt.timedelta(days=1),
)


@pytest.fixture
def lead(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Lee Lead")


@pytest.fixture
def colleague(idva_service):
    return UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Col Lea")


def what_followed(case: Case, lead: User) -> dict:
    """What a case's lead is left with: open tasks, breach alerts, pattern prompts."""
    return {
        "tasks": sorted(
            (task.kind, task.assignee_id == lead.pk) for task in Task.objects.filter(case=case)
        ),
        "alerts": sorted(
            Notification.objects.filter(
                case=case, recipient=lead, kind="breach_recorded"
            ).values_list("kind", flat=True)
        ),
        "prompts": sorted(
            PatternEscalation.objects.filter(case=case).values_list("code", flat=True)
        ),
    }


def over_the_api(idva_service, lead, colleague) -> Case:
    client, secret = client_registered(idva_service)
    system = TokenClient(token_for(client, secret))
    made = system.post(
        reverse("api:case-list"),
        {
            "victim_survivor": {"given_name": "Alex", "family_name": "Rivers"},
            "lead_email": lead.email,
            "lead_capacity": "Allocated IDVA",
        },
    )
    assert made.status_code == 201, made.content
    case = Case.objects.get(pk=made.json()["id"])
    assert made.json()["team"][0]["name"] == "Lee Lead"
    CaseTeamMembershipFactory(case=case, user=colleague)
    people_url = reverse("api:case-people", kwargs={"case_id": case.pk})
    with_respondent = system.post(
        people_url, {"role": "respondent", "given_name": "Sam", "family_name": "Rivers"}
    )
    assert with_respondent.status_code == 201, with_respondent.content
    people = {p["role"]: p["id"] for p in with_respondent.json()["people"]}
    starts = timezone.localdate() - dt.timedelta(days=30)
    order = system.post(
        reverse("api:order-list", kwargs={"case_id": case.pk}),
        {
            "order_type": "non_molestation_order",
            "made_on": starts.isoformat(),
            "starts_on": starts.isoformat(),
            "ends_on": (starts + dt.timedelta(days=365)).isoformat(),
            "court": "Family Court",
            "respondent": people["respondent"],
            "protected_people": [people["victim_survivor"]],
        },
    )
    assert order.status_code == 201, order.content
    conditions_url = reverse(
        "api:order-conditions", kwargs={"case_id": case.pk, "order_id": order.json()["id"]}
    )
    with_condition = system.post(conditions_url, {"kind": "no_direct_contact", "wording": WORDING})
    assert with_condition.status_code == 201, with_condition.content
    condition = Condition.objects.get(pk=with_condition.json()["conditions"][0]["id"])
    for day in BREACH_DAYS:
        body = breach_body(condition)
        body["occurrence"] = {"precision": "approximate", "on": day().isoformat(), "at": "21:00"}
        breach = system.post(reverse("api:breach-list", kwargs={"case_id": case.pk}), body)
        assert breach.status_code == 201, breach.content
    return case


def on_the_pages(client, lead, colleague) -> Case:
    case = case_create(
        actor=lead, victim_given_name="Jo", victim_family_name="Banks", lead_capacity="IDVA"
    )
    CaseTeamMembershipFactory(case=case, user=colleague)
    respondent = case_person_add(
        actor=lead, case=case, role=CasePerson.Role.RESPONDENT, given_name="Sam"
    )
    starts = timezone.localdate() - dt.timedelta(days=30)
    order = order_create(
        actor=lead,
        case=case,
        order_type=order_type("non_molestation_order"),
        made_on=starts,
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=365),
        until_further_order=False,
        respondent=respondent,
        protected_people=list(case.people.filter(role=CasePerson.Role.VICTIM_SURVIVOR)),
    )
    condition = condition_add(
        actor=lead, order=Order.objects.get(pk=order.pk), kind="no_direct_contact", wording=WORDING
    )
    signed_in = sign_in_with_two_factor(client, colleague)
    for day in BREACH_DAYS:
        answers = flow.page_answers(condition)
        # The same account as the API's (breach_body): direct contact in a public place.
        answers["behaviour"] = {"behaviours": ["direct_contact"]}
        answers["where"] = {"location": "public_place"}
        answers["severity"] = {"severity": "2"}
        answers["when"] = {**flow.date_answer("happened_on", day()), "happened_at_time": "21:00"}
        flow.answer_every_page(signed_in, case, answers)
        assert flow.save(signed_in, case).status_code == 302
    return case


def test_an_agency_system_gets_the_same_follow_ups_as_the_pages(
    client, idva_service, lead, colleague
):
    api_case = over_the_api(idva_service, lead, colleague)
    page_case = on_the_pages(client, lead, colleague)
    followed = what_followed(api_case, lead)
    assert followed == what_followed(page_case, lead)
    assert ("safety_review", True) in followed["tasks"]
    assert followed["alerts"] == ["breach_recorded", "breach_recorded"]
    assert "course_of_conduct" in followed["prompts"]
    pattern = TokenClient(token_for(*client_registered(idva_service))).get(
        reverse("api:case-pattern", kwargs={"case_id": api_case.pk})
    )
    assert "course_of_conduct" in [flag["code"] for flag in pattern.json()["flags"]]
