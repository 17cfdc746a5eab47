"""Reading breaches: `breach_open` (audited) and the selectors behind the breach pages."""

import datetime as dt
import uuid

import pytest
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.selectors import breach_get, conditions_to_pick
from orderwatch.breaches.services import breach_open
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory

pytestmark = pytest.mark.django_db


def _views() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(verb=Verb.BREACH_VIEWED))


def test_opening_a_breach_returns_it_and_records_the_view(practitioner, recorded):
    breach = breach_open(actor=practitioner, case_id=recorded.case_id, breach_id=recorded.pk)
    assert breach == recorded
    [event] = _views()
    assert (event.actor, event.case_id, event.object_id) == (
        practitioner,
        recorded.case_id,
        str(recorded.pk),
    )


def test_an_auditor_on_the_team_may_read_a_breach_and_is_recorded(team_auditor, recorded):
    assert breach_open(actor=team_auditor, case_id=recorded.case_id, breach_id=recorded.pk)
    assert [e.actor for e in _views()] == [team_auditor]


def test_someone_not_on_the_team_gets_404_and_no_view_is_recorded(outsider, recorded):
    with pytest.raises(Http404):
        breach_open(actor=outsider, case_id=recorded.case_id, breach_id=recorded.pk)
    assert _views() == []


def test_someone_who_has_left_the_team_gets_404(idva_service, case, recorded):
    former = UserFactory(agency=idva_service)
    CaseTeamMembershipFactory(case=case, user=former, left_at=timezone.now())
    with pytest.raises(Http404):
        breach_open(actor=former, case_id=case.pk, breach_id=recorded.pk)


def test_an_unknown_breach_is_404(practitioner, case):
    with pytest.raises(Http404):
        breach_open(actor=practitioner, case_id=case.pk, breach_id=uuid.uuid4())
    assert _views() == []


# Selectors


def test_breach_get_is_404_for_a_breach_of_another_case(practitioner, case):
    other_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=practitioner)
    elsewhere = BreachFactory(case=other_case)
    with pytest.raises(Http404):
        breach_get(user=practitioner, case_id=case.pk, breach_id=elsewhere.pk)
    assert breach_get(user=practitioner, case_id=other_case.pk, breach_id=elsewhere.pk)


def test_breach_get_gives_the_breached_conditions_with_their_orders(
    practitioner, recorded, condition, django_assert_num_queries
):
    with django_assert_num_queries(3):  # case access, breach, breached conditions
        breach = breach_get(user=practitioner, case_id=recorded.case_id, breach_id=recorded.pk)
        [linked] = breach.breached.all()
        assert linked.condition.order.order_type.name
    assert linked.condition == condition


def test_conditions_to_pick_lists_only_this_case_orders_with_conditions(case, order):
    ConditionFactory(order=OrderFactory(case=CaseFactory()))
    OrderFactory(case=case)  # no conditions: nothing to pick from it
    later = OrderFactory(case=case, made_on=timezone.localdate() - dt.timedelta(days=2))
    later_condition = ConditionFactory(order=later)

    orders = conditions_to_pick(case=case)

    assert [o.order.order for o in orders] == [later, order]
    assert orders[0].conditions == [later_condition]
    assert orders[1].conditions == list(order.conditions.all())
    assert all(o.order.state.in_force for o in orders)
