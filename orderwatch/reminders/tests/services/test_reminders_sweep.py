"""The reminder sweep: one task per order and offset, one alert per event, however often run."""

import datetime as dt
import logging

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.notifications.models import Notification
from orderwatch.orders.models import OrderChange
from orderwatch.orders.services import order_change_record
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.reminders.models import ExpiryDecision, TeamAlert
from orderwatch.reminders.services import reminders_sweep
from orderwatch.safety.services import safety_review_open
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


def _expiry_tasks(order):
    return Task.objects.filter(kind=Task.Kind.EXPIRY_DECISION, origin_id=order.pk)


def _alerts(kind):
    return Notification.objects.filter(kind=kind)


def test_running_twice_for_an_order_ending_in_13_days_opens_one_2_week_task_and_alerts_once(
    practitioner, colleague, case, ending_order
):
    first = reminders_sweep(today=TODAY)
    second = reminders_sweep(today=TODAY)

    (task,) = _expiry_tasks(ending_order)
    assert task.origin_key == f"{ending_order.ends_on.isoformat()}:2w"
    assert (task.case, task.assignee, task.origin) == (case, practitioner, Task.Origin.ORDER_ENDING)
    assert task.title == "Consider extension or an alternative protective order"
    # Due a week before the end, so there is time to apply to the court.
    assert task.due_on == ending_order.ends_on - dt.timedelta(days=7)
    alerts = _alerts(Notification.Kind.ORDER_ENDING)
    assert sorted(a.recipient_id for a in alerts) == sorted([practitioner.pk, colleague.pk])
    assert {a.link for a in alerts} == {reverse("reminders:decision", kwargs={"task_id": task.pk})}
    assert (first.reminders_opened, first.ending_alerts) == (1, 1)
    assert (second.reminders_opened, second.ending_alerts) == (0, 0)
    assert AuditEvent.objects.filter(verb=Verb.TASK_OPENED).count() == 1


def test_a_first_run_does_not_backfill_the_larger_offsets(case, ending_order):
    reminders_sweep(today=TODAY)
    assert [t.origin_key.split(":")[1] for t in _expiry_tasks(ending_order)] == ["2w"]


def test_each_offset_opens_its_own_task_as_the_end_comes_closer(
    practitioner, colleague, case, time_machine
):
    order = OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=30))
    reminders_sweep(today=TODAY)
    assert [t.origin_key.split(":")[1] for t in _expiry_tasks(order)] == ["8w"]
    for days_left, expected in [(28, {"8w", "4w"}), (14, {"8w", "4w", "2w"}), (7, None)]:
        today = order.ends_on - dt.timedelta(days=days_left)
        time_machine.move_to(dt.datetime.combine(today, dt.time(10), tzinfo=dt.UTC), tick=False)
        reminders_sweep(today=today)
        if expected:
            assert {t.origin_key.split(":")[1] for t in _expiry_tasks(order)} == expected
    assert _expiry_tasks(order).count() == 4
    # One alert per task, to each of the two team members.
    assert _alerts(Notification.Kind.ORDER_ENDING).count() == 8
    one_week = _expiry_tasks(order).get(origin_key__endswith=":1w")
    assert one_week.due_on == order.ends_on - dt.timedelta(days=7)


def test_orders_not_ending_within_the_offsets_get_no_reminder(case):
    OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=57))
    OrderFactory(case=case, ends_on=None, until_further_order=True)
    OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=1))
    reminders_sweep(today=TODAY)
    assert not Task.objects.filter(kind=Task.Kind.EXPIRY_DECISION).exists()


def test_a_discharged_order_gets_no_reminder(practitioner, case, ending_order):
    order_change_record(
        actor=practitioner,
        order=ending_order,
        kind=OrderChange.Kind.DISCHARGED,
        made_on=TODAY,
        what_changed="Discharged at the applicant's request.",
    )
    reminders_sweep(today=TODAY)
    assert not _expiry_tasks(ending_order).exists()


def test_an_extension_restarts_the_reminders_from_the_new_end_date(
    practitioner, case, ending_order, time_machine
):
    reminders_sweep(today=TODAY)
    new_end = ending_order.ends_on + dt.timedelta(days=180)
    order_change_record(
        actor=practitioner,
        order=ending_order,
        kind=OrderChange.Kind.EXTENDED,
        made_on=TODAY,
        what_changed="Extended for six months.",
        new_ends_on=new_end,
    )
    reminders_sweep(today=TODAY)
    assert _expiry_tasks(ending_order).count() == 1  # nothing new: 193 days to go

    later = new_end - dt.timedelta(days=13)
    time_machine.move_to(dt.datetime.combine(later, dt.time(10), tzinfo=dt.UTC), tick=False)
    reminders_sweep(today=later)
    assert sorted(t.origin_key for t in _expiry_tasks(ending_order)) == [
        f"{ending_order.ends_on.isoformat()}:2w",
        f"{new_end.isoformat()}:2w",
    ]


def test_after_a_decision_for_that_end_date_no_further_reminders_open(
    practitioner, case, ending_order, time_machine
):
    reminders_sweep(today=TODAY)
    ExpiryDecision.objects.create(
        order=ending_order,
        ends_on=ending_order.ends_on,
        decision=ExpiryDecision.Decision.NO_FURTHER_ORDER,
        reason="The respondent has moved abroad; the victim-survivor does not want one.",
        created_by=practitioner,
    )
    later = TODAY + dt.timedelta(days=7)
    time_machine.move_to(dt.datetime.combine(later, dt.time(10), tzinfo=dt.UTC), tick=False)
    reminders_sweep(today=later)
    assert _expiry_tasks(ending_order).count() == 1


def test_a_case_with_nobody_on_the_team_is_skipped_and_does_not_stop_the_others(
    practitioner, case, ending_order
):
    orphan = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    orphan.team_memberships.update(left_at=timezone.now())
    orphan_order = OrderFactory(case=orphan, ends_on=TODAY + dt.timedelta(days=13))

    result = reminders_sweep(today=TODAY)

    assert (result.reminders_opened, result.reminders_skipped) == (1, 1)
    assert _expiry_tasks(ending_order).count() == 1
    assert not _expiry_tasks(orphan_order).exists()


def test_an_order_that_has_just_ended_alerts_the_team_once_and_opens_a_review(
    practitioner, colleague, case
):
    ended = OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=1))
    OrderFactory(
        case=case, made_on=TODAY - dt.timedelta(days=400), ends_on=TODAY - dt.timedelta(60)
    )

    reminders_sweep(today=TODAY)
    reminders_sweep(today=TODAY)

    alerts = _alerts(Notification.Kind.ORDER_EXPIRED)
    assert sorted(a.recipient_id for a in alerts) == sorted([practitioner.pk, colleague.pk])
    assert {a.link for a in alerts} == {ended.get_absolute_url()}
    (review,) = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW)
    assert review.origin_id == ended.pk


def test_an_order_ending_today_is_still_in_force_and_has_not_expired(case):
    OrderFactory(case=case, ends_on=TODAY)
    reminders_sweep(today=TODAY)
    assert not _alerts(Notification.Kind.ORDER_EXPIRED).exists()
    assert not Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW).exists()


def test_orders_that_ended_recently_get_one_review_each_however_often_it_runs(practitioner, case):
    ended = OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=3))
    long_ago = OrderFactory(
        case=case, made_on=TODAY - dt.timedelta(days=400), ends_on=TODAY - dt.timedelta(days=60)
    )
    OrderFactory(case=case)  # in force
    other_case = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    other_ended = OrderFactory(case=other_case, ends_on=TODAY - dt.timedelta(days=1))

    first = reminders_sweep(today=TODAY)
    again = reminders_sweep(today=TODAY)

    reviews = Task.objects.filter(origin=Task.Origin.ORDER_ENDED)
    assert {t.origin_id for t in reviews} == {ended.pk, other_ended.pk}
    assert (first.reviews_opened, again.reviews_opened) == (2, 0)
    assert not Task.objects.filter(origin_id=long_ago.pk).exists()
    assert reviews.get(origin_id=ended.pk).case == case
    assert AuditEvent.objects.filter(verb=Verb.TASK_OPENED).count() == 2


def test_a_discharged_order_has_its_review_when_recorded_and_none_more_from_the_sweep(
    practitioner, case
):
    order = OrderFactory(case=case)
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.DISCHARGED,
        made_on=TODAY - dt.timedelta(days=2),
        what_changed="Discharged.",
    )
    reminders_sweep(today=TODAY)
    assert Task.objects.filter(origin_id=order.pk).count() == 1
    order.refresh_from_db()
    assert order.next_reminder_on is None


def test_a_case_with_nobody_to_review_an_ended_order_does_not_stop_the_others(practitioner, case):
    orphan = CaseTeamMembershipFactory(user=practitioner, is_lead=True).case
    orphan.team_memberships.update(left_at=timezone.now())
    OrderFactory(case=orphan, ends_on=TODAY - dt.timedelta(days=2))
    ended = OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=2))

    result = reminders_sweep(today=TODAY)

    assert [t.origin_id for t in Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW)] == [ended.pk]
    assert not Task.objects.filter(case=orphan).exists()
    assert result.cases_failed == 1  # tried again on the next run


def test_without_a_lead_the_review_goes_to_someone_still_on_the_team(practitioner, case):
    case.team_memberships.update(is_lead=False)
    OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=2))
    reminders_sweep(today=TODAY)
    (task,) = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW)
    assert task.assignee == practitioner


def test_a_sweep_with_nothing_due_reads_two_indexes_and_nothing_else(
    case, ending_order, django_assert_num_queries
):
    reminders_sweep(today=TODAY)
    # On PostgreSQL, taking and releasing the sweep's advisory lock are two more.
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 2):
        result = reminders_sweep(today=TODAY)
    assert result.reminders_opened == 0


def test_an_order_is_next_looked_at_on_its_next_reminder_point(case, ending_order):
    reminders_sweep(today=TODAY)
    ending_order.refresh_from_db()
    assert ending_order.next_reminder_on == ending_order.ends_on - dt.timedelta(weeks=1)


@pytest.fixture
def overdue_review(practitioner, case, time_machine):
    """A review opened a week ago, due two working days later: overdue since Monday."""
    time_machine.move_to(timezone.now() - dt.timedelta(days=7), tick=False)
    task = safety_review_open(
        actor=practitioner, case=case, origin=Task.Origin.BREACH, origin_id=case.pk
    )
    time_machine.move_to(timezone.now() + dt.timedelta(days=7), tick=False)
    assert task.due_on < TODAY
    return task


def test_an_overdue_review_alerts_the_team_once_however_often_the_sweep_runs(
    practitioner, colleague, overdue_review
):
    reminders_sweep(today=TODAY)
    reminders_sweep(today=TODAY)
    alerts = _alerts(Notification.Kind.REVIEW_OVERDUE)
    assert sorted(a.recipient_id for a in alerts) == sorted([practitioner.pk, colleague.pk])
    assert {a.link for a in alerts} == {overdue_review.get_absolute_url()}


def test_an_overdue_review_alert_repeats_each_week_while_it_stays_overdue(
    colleague, overdue_review
):
    for days in range(15):
        reminders_sweep(today=TODAY + dt.timedelta(days=days))
    assert TeamAlert.objects.filter(kind=Notification.Kind.REVIEW_OVERDUE).count() == 3


def test_with_repeats_switched_off_an_overdue_review_alerts_once(
    colleague, overdue_review, settings
):
    settings.ORDERWATCH_OVERDUE_REVIEW_ALERT_REPEAT_DAYS = 0
    for days in range(15):
        reminders_sweep(today=TODAY + dt.timedelta(days=days))
    assert TeamAlert.objects.filter(kind=Notification.Kind.REVIEW_OVERDUE).count() == 1


def test_a_review_that_is_done_or_not_yet_due_raises_no_alert(practitioner, case):
    safety_review_open(actor=practitioner, case=case, origin=Task.Origin.BREACH, origin_id=case.pk)
    reminders_sweep(today=TODAY)
    assert not _alerts(Notification.Kind.REVIEW_OVERDUE).exists()


def test_the_offsets_come_from_settings(case, settings):
    settings.ORDERWATCH_EXPIRY_REMINDER_WEEKS = [6, 3]
    order = OrderFactory(case=case, ends_on=TODAY + dt.timedelta(days=13))
    reminders_sweep(today=TODAY)
    assert _expiry_tasks(order).get().origin_key.endswith(":3w")


def test_the_sweep_logs_counts_only(caplog, case, ending_order):
    with caplog.at_level(logging.INFO, logger="orderwatch.reminders"):
        reminders_sweep(today=TODAY)
    text = caplog.text
    assert "1 expiry reminders opened" in text
    assert case.reference not in text
    assert str(ending_order.pk) not in text
    for person in case.people.all():
        assert person.family_name not in text


def test_the_command_does_all_scheduled_work_and_reports_counts(case, ending_order, capsys):
    OrderFactory(case=case, ends_on=TODAY - dt.timedelta(days=2))
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert "1 ended orders have a safety-plan review task" in out
    assert "1 expiry reminders opened" in out
    assert case.reference not in out
