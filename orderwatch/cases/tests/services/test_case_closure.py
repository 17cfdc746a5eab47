"""Closing and reopening a case: who may, the checklist, read-only while closed (ADR 0037)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from orderwatch.access.policy import CaseClosed
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.closing import NOT_YET
from orderwatch.cases.models import Case, CaseClosure, CasePerson
from orderwatch.cases.services import case_close, case_reopen, case_team_member_add
from orderwatch.cases.tests.closing import all_decided, closed
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.diary.models import DiaryAccess, DiaryInvite
from orderwatch.diary.services import diary_invite_create
from orderwatch.diary.tests.factories import DiaryAccessFactory, DiaryInviteFactory
from orderwatch.evidence.tests.factories import item_added
from orderwatch.notifications.models import Notification
from orderwatch.orders.services import order_create
from orderwatch.orders.tests.factories import OrderFactory, order_type
from orderwatch.reminders.models import TeamAlert
from orderwatch.reminders.services import reminders_sweep
from orderwatch.safety.services import safety_action_add, safety_review_open
from orderwatch.sharing.services import party_add
from orderwatch.tasks.models import Task
from orderwatch.tasks.services import task_complete
from orderwatch.tasks.tests.factories import TaskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(case, idva_service):
    user = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER, display_name="Man Ager")
    CaseTeamMembershipFactory(case=case, user=user)
    return user


@pytest.fixture
def member_auditor(case, auditor):
    CaseTeamMembershipFactory(case=case, user=auditor)
    return auditor


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("practitioner", True),  # the lead
        ("manager", True),  # a team manager on the case team
        ("colleague", False),  # a practitioner on the team who does not lead it
        ("member_auditor", False),
    ],
)
def test_who_may_close_and_reopen_a_case(request, case, who, allowed):
    actor = request.getfixturevalue(who)
    if not allowed:
        with pytest.raises(PermissionDenied):
            closed(actor, case)
        assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN
        return
    closed(actor, case)
    assert Case.objects.get(pk=case.pk).is_closed
    case_reopen(actor=actor, case_id=case.pk, reason_text="A new order was made.")
    assert not Case.objects.get(pk=case.pk).is_closed


def test_someone_outside_the_case_team_gets_404_and_nothing_changes(case, outsider):
    with pytest.raises(Http404):
        case_close(actor=outsider, case_id=case.pk, reason="orders_ended", decisions={})
    assert not CaseClosure.objects.exists()


def test_an_order_in_force_and_an_open_task_stop_the_closing_until_each_is_decided(
    practitioner, case, order
):
    task = TaskFactory(case=case, assignee=practitioner)
    with pytest.raises(ValidationError) as error:
        case_close(actor=practitioner, case_id=case.pk, reason="orders_ended", decisions={})
    assert set(error.value.message_dict) == {f"order-{order.pk}", f"task-{task.pk}"}
    decisions = all_decided(case) | {f"task-{task.pk}": NOT_YET}
    with pytest.raises(ValidationError) as error:
        case_close(actor=practitioner, case_id=case.pk, reason="orders_ended", decisions=decisions)
    assert error.value.message_dict == {
        f"task-{task.pk}": ["Finish the task first, then close the case"]
    }
    # Nothing half-saved.
    case.refresh_from_db()
    task.refresh_from_db()
    assert not case.is_closed
    assert task.done_at is None
    assert not CaseClosure.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.CASE_CLOSED).exists()


def test_closing_records_the_decisions_ends_the_diary_and_tells_the_team(
    practitioner, colleague, case, order
):
    task = TaskFactory(case=case, assignee=practitioner)
    diary = DiaryAccessFactory(case=case)
    unused = DiaryInviteFactory(case=case)
    closure = closed(practitioner, case, reason=CaseClosure.Reason.TRANSFERRED)

    case.refresh_from_db()
    assert case.is_closed
    assert case.closed_at is not None
    assert closure.decisions == {
        f"order-{order.pk}": "stays_in_force",
        f"task-{task.pk}": "close_with_case",
        f"diary-{diary.pk}": "end_with_case",
    }
    task.refresh_from_db()
    assert task.done_by == practitioner
    diary = DiaryAccess.objects.select_related("user").get(pk=diary.pk)
    assert diary.ended_at is not None
    assert not diary.user.is_active
    assert DiaryInvite.objects.get(pk=unused.pk).withdrawn_at is not None
    (event,) = AuditEvent.objects.filter(verb=Verb.CASE_CLOSED)
    assert event.payload == {"reason": "transferred", "decisions": 3}
    (notification,) = Notification.objects.filter(kind=Notification.Kind.CASE_CLOSED)
    assert notification.recipient == colleague
    # The order is left as it is: closing a case does not end a court order.
    assert not order.changes.exists()


def test_another_reason_needs_words_and_they_are_sealed_at_rest(practitioner, case):
    with pytest.raises(ValidationError) as error:
        closed(practitioner, case, reason=CaseClosure.Reason.OTHER)
    assert error.value.message_dict == {"reason_text": ["Enter why the case is closing"]}
    with pytest.raises(ValidationError):
        closed(practitioner, case, reason="not-a-reason")
    closure = closed(practitioner, case, reason="other", reason_text="Family moved abroad.")
    assert CaseClosure.objects.get(pk=closure.pk).reason_text == "Family moved abroad."
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason_text FROM cases_caseclosure")
        (raw,) = cursor.fetchone()
    assert "abroad" not in raw


def test_closing_a_closed_case_or_reopening_an_open_one_is_refused_clearly(practitioner, case):
    with pytest.raises(ValidationError, match="already open"):
        case_reopen(actor=practitioner, case_id=case.pk, reason_text="Just because.")
    closed(practitioner, case)
    with pytest.raises(ValidationError, match="already closed"):
        closed(practitioner, case)
    assert CaseClosure.objects.count() == 1


def test_reopening_needs_a_reason_and_does_not_restore_the_diary(practitioner, case):
    diary = DiaryAccessFactory(case=case)
    closed(practitioner, case)
    with pytest.raises(ValidationError) as error:
        case_reopen(actor=practitioner, case_id=case.pk, reason_text="  ")
    assert error.value.message_dict == {"reason_text": ["Enter why the case is being reopened"]}
    assert Case.objects.get(pk=case.pk).is_closed
    reopening = case_reopen(actor=practitioner, case_id=case.pk, reason_text="New order made.")
    case.refresh_from_db()
    assert not case.is_closed
    assert case.closed_at is None
    assert reopening.kind == CaseClosure.Kind.REOPENED
    assert DiaryAccess.objects.get(pk=diary.pk).ended_at is not None
    assert AuditEvent.objects.filter(verb=Verb.CASE_REOPENED, case_id=case.pk).exists()
    case_team_member_add(  # writable again
        actor=practitioner, case=case, user=UserFactory(), capacity="Officer in the case"
    )


def _victim(case):
    return case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)


WRITES = {
    "breaches": lambda actor, case, order: breach_record(
        actor=actor, case=case, account=breach_account(order.conditions.get())
    ),
    "orders": lambda actor, case, order: order_create(
        actor=actor,
        case=case,
        order_type=order_type(),
        made_on=TODAY,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
        until_further_order=False,
        protected_people=[_victim(case)],
    ),
    "evidence": lambda actor, case, order: item_added(actor=actor, case=case),
    "safety": lambda actor, case, order: safety_action_add(
        actor=actor, case=case, what="Fit a door chain", who="Housing", due_on=None
    ),
    "sharing": lambda actor, case, order: party_add(
        actor=actor, case=case, kind="school", name="A Teacher", organisation="A School"
    ),
    "team": lambda actor, case, order: case_team_member_add(
        actor=actor, case=case, user=UserFactory(), capacity="Officer in the case"
    ),
    "diary": lambda actor, case, order: diary_invite_create(actor=actor, case_id=case.pk),
    "tasks": lambda actor, case, order: task_complete(
        actor=actor, task_id=TaskFactory(case=case, assignee=actor).pk
    ),
}


@pytest.mark.parametrize("app", list(WRITES))
def test_a_closed_case_refuses_every_write(thursday_morning, practitioner, case, order, app):
    closed(practitioner, case)
    version = Case.objects.get(pk=case.pk).version
    with pytest.raises(CaseClosed, match="This case is closed"):
        WRITES[app](practitioner, case, order)
    assert Case.objects.get(pk=case.pk).version == version


def test_reminders_and_alerts_never_fire_for_a_closed_case(
    thursday_morning, practitioner, colleague, case
):
    OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=13))  # an expiry reminder is due
    review = safety_review_open(
        actor=practitioner, case=case, origin=Task.Origin.BREACH, origin_id=case.pk
    )
    Task.objects.filter(pk=review.pk).update(
        due_on=TODAY - dt.timedelta(days=3), overdue_alert_on=TODAY
    )  # a review overdue: as if left open before closing
    closed(practitioner, case)
    Task.objects.filter(pk=review.pk).update(done_at=None, done_by=None)
    Notification.objects.all().delete()

    for days in (0, 1, 30, 400):
        result = reminders_sweep(today=TODAY + dt.timedelta(days=days))
        assert result.cases_failed == 0
    assert not Notification.objects.exists()
    assert not TeamAlert.objects.exists()
    assert not Task.objects.filter(kind=Task.Kind.EXPIRY_DECISION).exists()

    case_reopen(actor=practitioner, case_id=case.pk, reason_text="The order continues.")
    result = reminders_sweep(today=TODAY)
    assert result.ending_alerts == 1
    assert result.overdue_alerts == 1


def test_a_case_closed_after_the_sweep_read_it_is_left_alone(
    thursday_morning, practitioner, case, monkeypatch
):
    from orderwatch.reminders import services as reminder_services

    OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=13))
    monkeypatch.setattr(reminder_services, "_cases_due", lambda today: [case.pk])
    closed(practitioner, case)
    result = reminders_sweep(today=TODAY)
    assert result.cases_failed == 0
    assert result.ending_alerts == 0
    assert not TeamAlert.objects.exists()


def test_the_lead_of_a_closed_case_can_leave_and_a_team_manager_join_and_reopen_it(
    practitioner, case, idva_service
):
    from orderwatch.cases.services import case_lead_vacancy_join
    from orderwatch.people.services.status import person_deactivate

    admin = UserFactory(agency=idva_service, role=User.Role.AGENCY_ADMIN)
    manager = UserFactory(agency=idva_service, role=User.Role.TEAM_MANAGER)
    closed(practitioner, case)
    person_deactivate(actor=admin, person_id=practitioner.pk, reason="Left the service.")
    case_lead_vacancy_join(actor=manager, case=case)
    case_reopen(actor=manager, case_id=case.pk, reason_text="A new order was made.")
    assert not Case.objects.get(pk=case.pk).is_closed


def test_a_closed_cases_dates_leave_the_expiry_dashboard_and_the_calendar_feed(
    thursday_morning, practitioner, case
):
    from orderwatch.calendar_feed.selectors import feed_entries
    from orderwatch.orders.selectors import orders_ending_soon

    order = OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=20))
    assert [o.order for o in orders_ending_soon(user=practitioner)] == [order]
    assert feed_entries(user=practitioner)
    closed(practitioner, case)
    assert orders_ending_soon(user=practitioner) == []
    assert feed_entries(user=practitioner) == []
