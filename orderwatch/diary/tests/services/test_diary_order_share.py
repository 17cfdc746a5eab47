"""Showing an order in the diary: the lead's choice, audited; anyone who may change the case can
stop it; nothing of the order's words in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.diary.models import DiaryOrderShare
from orderwatch.diary.services import (
    diary_order_hidden_set,
    diary_order_share,
    diary_order_withdraw,
)
from orderwatch.orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def test_the_lead_shows_an_order_once_however_often_they_press(practitioner, order):
    first = diary_order_share(actor=practitioner, case_id=order.case_id, order_id=order.pk)
    again = diary_order_share(actor=practitioner, case_id=order.case_id, order_id=order.pk)
    assert first == again
    assert DiaryOrderShare.objects.count() == 1
    (event,) = AuditEvent.objects.filter(verb=Verb.DIARY_ORDER_SHARED)
    assert event.actor == practitioner
    assert event.payload == {"order": str(order.pk)}


def test_a_practitioner_who_is_not_the_lead_may_not_show_an_order(colleague, order):
    with pytest.raises(PermissionDenied):
        diary_order_share(actor=colleague, case_id=order.case_id, order_id=order.pk)
    assert not DiaryOrderShare.objects.exists()


def test_a_team_manager_on_the_case_may_show_an_order(case, idva_service, order):
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    CaseTeamMembershipFactory(case=case, user=manager)
    diary_order_share(actor=manager, case_id=case.pk, order_id=order.pk)
    assert DiaryOrderShare.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_outside_the_case_team_the_case_does_not_exist(outsider, order):
    with pytest.raises(Http404):
        diary_order_share(actor=outsider, case_id=order.case_id, order_id=order.pk)
    with pytest.raises(Http404):
        diary_order_withdraw(actor=outsider, case_id=order.case_id, order_id=order.pk)


def test_an_order_of_another_case_is_not_found(practitioner, case, order):
    other = OrderFactory()
    with pytest.raises(Http404):
        diary_order_share(actor=practitioner, case_id=case.pk, order_id=other.pk)
    assert not DiaryOrderShare.objects.exists()


def test_anyone_who_may_change_the_case_can_stop_showing_it(practitioner, colleague, order):
    diary_order_share(actor=practitioner, case_id=order.case_id, order_id=order.pk)
    share = diary_order_withdraw(actor=colleague, case_id=order.case_id, order_id=order.pk)
    assert share.withdrawn_by == colleague
    assert diary_order_withdraw(actor=colleague, case_id=order.case_id, order_id=order.pk) is None
    event = AuditEvent.objects.get(verb=Verb.DIARY_ORDER_WITHDRAWN)
    assert event.actor == colleague
    # Shown again later: a new share, the old one kept.
    diary_order_share(actor=practitioner, case_id=order.case_id, order_id=order.pk)
    assert DiaryOrderShare.objects.count() == 2


def test_a_closed_case_shows_nothing_new(practitioner, order):
    order.case.status, order.case.closed_at = "closed", order.case.created_at
    order.case.save(update_fields=["status", "closed_at"])
    with pytest.raises(PermissionDenied):
        diary_order_share(actor=practitioner, case_id=order.case_id, order_id=order.pk)


def test_hiding_is_recorded_only_when_it_changes(practitioner, case):
    diary_order_hidden_set(actor=practitioner, case_id=case.pk, hidden=True)
    diary_order_hidden_set(actor=practitioner, case_id=case.pk, hidden=True)
    diary_order_hidden_set(actor=practitioner, case_id=case.pk, hidden=False)
    payloads = [
        e.payload
        for e in AuditEvent.objects.filter(verb=Verb.DIARY_ORDER_HIDDEN).order_by(
            "occurred_at", "sequence"
        )
    ]
    assert payloads == [{"hidden": True}, {"hidden": False}]
