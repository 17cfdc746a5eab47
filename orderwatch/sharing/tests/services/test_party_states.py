"""Informed, not yet informed, needs updating: how events and shares move a party between
them, and the tasks that follow."""

import datetime as dt

import pytest
from django.utils import timezone

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY
from orderwatch.orders.models import OrderChange
from orderwatch.orders.services import order_change_record, order_create
from orderwatch.orders.tests.factories import order_type
from orderwatch.reminders.services import reminders_sweep
from orderwatch.sharing.models import SharingEvent
from orderwatch.sharing.selectors import PartyState, case_sharing
from orderwatch.sharing.services import party_add
from orderwatch.sharing.tests.services.support import (
    open_share_tasks,
    school_values,
    share,
)
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


def state_of(party) -> PartyState:
    (item,) = [i for i in case_sharing(case=party.case).parties if i.party == party]
    return item.state


def vary(actor, order, what="The exclusion zone now includes the school."):
    return order_change_record(
        actor=actor, order=order, kind=OrderChange.Kind.VARIED, made_on=TODAY, what_changed=what
    )


@pytest.fixture
def informed(practitioner, order, school, clock):
    """The school, told about the order a little after it was recorded."""
    clock.shift(dt.timedelta(minutes=5))
    share(practitioner, school)
    clock.shift(dt.timedelta(minutes=5))
    return school


def test_a_new_party_is_not_yet_informed(school):
    assert state_of(school) is PartyState.NOT_YET_INFORMED


def test_a_share_informs_them_and_completes_their_task(practitioner, school):
    share(practitioner, school)
    assert state_of(school) is PartyState.INFORMED
    task = Task.objects.get(origin_id=school.pk)
    assert (task.done_by, task.done_at) == (practitioner, timezone.now())
    assert open_share_tasks(school) == []


def test_a_variation_means_they_need_updating_with_one_new_task(practitioner, order, informed):
    vary(practitioner, order)
    assert state_of(informed) is PartyState.NEEDS_UPDATING
    (task,) = open_share_tasks(informed)
    assert task.origin_key == str(SharingEvent.objects.get().pk)
    assert task.assignee == practitioner
    assert task.title.startswith("Update someone who needs to know")


def test_an_order_running_out_means_they_need_updating(practitioner, order, informed):
    """Whoever was told about an order must hear that it no longer protects anyone."""
    reminders_sweep(today=order.ends_on + dt.timedelta(days=1))
    assert state_of(informed) is PartyState.NEEDS_UPDATING
    (task,) = open_share_tasks(informed)
    assert task.origin_key == str(SharingEvent.objects.get(kind="order_expired").pk)


def test_a_breach_means_they_need_updating(practitioner, order, informed):
    breach_record(
        actor=practitioner, case=order.case, account=breach_account(order.conditions.get())
    )
    assert state_of(informed) is PartyState.NEEDS_UPDATING
    assert len(open_share_tasks(informed)) == 1


def test_an_extension_means_they_need_updating(practitioner, order, informed):
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.EXTENDED,
        made_on=TODAY,
        new_ends_on=order.ends_on + dt.timedelta(days=180),
        what_changed="Extended for six months.",
    )
    assert state_of(informed) is PartyState.NEEDS_UPDATING


def test_a_new_order_means_they_need_updating(practitioner, order, informed):
    order_create(
        actor=practitioner,
        case=order.case,
        order_type=order_type("non_molestation_order"),
        made_on=TODAY,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
        until_further_order=False,
        protected_people=list(order.case.people.all()),
    )
    assert state_of(informed) is PartyState.NEEDS_UPDATING


def test_a_share_after_the_change_informs_them_again_and_completes_the_task(
    practitioner, order, informed, clock
):
    vary(practitioner, order)
    clock.shift(dt.timedelta(minutes=5))
    share(practitioner, informed)
    assert state_of(informed) is PartyState.INFORMED
    assert open_share_tasks(informed) == []


def test_two_events_before_an_update_leave_one_open_task(practitioner, order, informed, clock):
    vary(practitioner, order)
    clock.shift(dt.timedelta(minutes=5))
    vary(practitioner, order, what="The school was taken out of the zone again.")
    assert SharingEvent.objects.count() == 2
    assert len(open_share_tasks(informed)) == 1


def test_a_share_from_before_the_change_leaves_them_needing_an_update(
    practitioner, order, informed, clock
):
    clock.shift(dt.timedelta(days=1))
    vary(practitioner, order)
    clock.shift(dt.timedelta(minutes=5))
    # Recorded now, but it happened yesterday, before the variation.
    share(practitioner, informed, shared_on=TODAY)
    assert state_of(informed) is PartyState.NEEDS_UPDATING
    assert len(open_share_tasks(informed)) == 1


def test_someone_never_told_keeps_their_one_task_when_things_change(
    practitioner, order, school, clock
):
    clock.shift(dt.timedelta(minutes=5))
    vary(practitioner, order)
    assert state_of(school) is PartyState.NOT_YET_INFORMED
    (task,) = open_share_tasks(school)
    assert task.origin_key == "added"


def test_a_discharge_means_everyone_told_needs_telling_again(practitioner, order, informed):
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.DISCHARGED,
        made_on=TODAY,
        what_changed="Discharged on application.",
    )
    assert SharingEvent.objects.count() == 1
    assert state_of(informed) is PartyState.NEEDS_UPDATING


def test_parties_on_other_cases_are_not_touched(practitioner, order, informed):
    other_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=practitioner, is_lead=True)
    other = party_add(actor=practitioner, case=other_case, **school_values())
    share(practitioner, other)
    vary(practitioner, order)
    assert state_of(other) is PartyState.INFORMED
