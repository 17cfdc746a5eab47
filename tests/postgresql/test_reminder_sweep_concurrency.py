"""Two reminder sweeps at the same moment on PostgreSQL do the work once.

Each thread has its own database connection, so the runs really are concurrent transactions:
one holds the sweep's advisory lock and the others do nothing. Without that lock, the case row
locks and the unique constraints still make every task and alert once.
"""

import contextlib
import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.notifications.models import Notification
from orderwatch.orders.tests.factories import OrderFactory
from orderwatch.reminders import services
from orderwatch.reminders.models import TeamAlert
from orderwatch.tasks.models import Task

# Serialized rollback restores what migrations made (the catalogue, the audit chain's head),
# which a transactional test's flush removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

RUNS = 4


@pytest.fixture
def order_ending_in_13_days(case, idva_service):
    colleague = UserFactory(agency=idva_service, role=User.Role.PRACTITIONER)
    CaseTeamMembershipFactory(case=case, user=colleague)
    today = timezone.localdate()
    return OrderFactory(
        case=case, made_on=today - dt.timedelta(days=300), ends_on=today + dt.timedelta(days=13)
    )


def _run_at_once(target, runs: int = RUNS) -> list:
    """Run `target()` in `runs` threads released together; return their results or errors."""
    barrier = threading.Barrier(runs)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _assert_done_once(order, team_size: int) -> None:
    tasks = Task.objects.filter(kind=Task.Kind.EXPIRY_DECISION, origin_id=order.pk)
    assert [t.origin_key for t in tasks] == [f"{order.ends_on.isoformat()}:2w"]
    alerts = Notification.objects.filter(kind=Notification.Kind.ORDER_ENDING)
    assert alerts.count() == team_size
    assert len({a.recipient_id for a in alerts}) == team_size
    assert TeamAlert.objects.count() == 1


def test_concurrent_sweeps_open_one_task_and_alert_each_team_member_once(
    order_ending_in_13_days,
):
    assert connection.vendor == "postgresql"
    today = timezone.localdate()
    results = _run_at_once(lambda: services.reminders_sweep(today=today))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r.reminders_opened for r in results) == 1
    _assert_done_once(order_ending_in_13_days, team_size=2)
    # And a later run still changes nothing.
    services.reminders_sweep(today=today)
    _assert_done_once(order_ending_in_13_days, team_size=2)


def test_without_the_lock_the_unique_constraints_still_make_everything_once(
    order_ending_in_13_days,
):
    today = timezone.localdate()

    def no_lock():
        return contextlib.nullcontext(True)

    with mock.patch.object(services, "_sweep_lock", side_effect=no_lock):
        results = _run_at_once(lambda: services.reminders_sweep(today=today))
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    _assert_done_once(order_ending_in_13_days, team_size=2)
