"""Telling the case team: everyone on it now, except whoever did it; no personal details."""

import pytest

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.notifications.models import Notification
from orderwatch.notifications.services import case_team_notify

pytestmark = pytest.mark.django_db


def test_the_current_team_except_the_actor_is_notified(
    practitioner, colleague, removed, outsider, case
):
    made = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/cases/x/"
    )
    assert {n.recipient for n in made} == {colleague}
    assert Notification.objects.get().recipient == colleague


def test_recording_a_breach_notifies_a_team_member_from_another_agency(
    practitioner, colleague, case, order
):
    breach = breach_record(
        actor=practitioner, case=case, account=breach_account(order.conditions.get())
    )
    notification = Notification.objects.get(recipient=colleague)
    assert notification.link == breach.get_absolute_url()
    assert notification.message == f"A breach was recorded on case {case.reference}"


def test_the_message_holds_no_names_or_addresses(practitioner, colleague, case):
    (notification,) = case_team_notify(
        actor=practitioner, case=case, kind=Notification.Kind.BREACH_RECORDED, link="/"
    )
    for person in case.people.all():
        assert person.given_name not in notification.message
        assert person.family_name not in notification.message
    assert "Test Street" not in notification.message
    victim = case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
    assert victim.full_name not in str(notification)
