"""What the lead shows in the victim-survivor's diary: an order, their part of the safety plan,
and whether "Your order" is hidden; and the keeper reading them (ADR 0046).

Showing is the lead's choice (or a team manager's on the case); anyone who may change the case
can stop it at once, as anyone can end diary access. The keeper can hide "Your order" too, but
only a practitioner can show it again, so someone else holding the phone cannot.
"""

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from orderwatch.access.policy import case_lock, case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.diary.models import DiaryOrderShare, DiaryPlanShare, DiarySetting
from orderwatch.diary.selectors import YourOrder, YourPlan, diary_case, your_orders, your_plan
from orderwatch.orders.models import Order
from orderwatch.safety.models import SafetyAction, SafetyMeasure

PLAN_NOTHING_CHOSEN = "Select at least one action or practical measure that is theirs"
PLAN_REVIEW_PAST = "The date it will be looked at again must be today or in the future"


def _case_for_sharing(actor: User, case_id) -> Case:
    case = case_lock_for_change(actor, case_id)
    if not actor.has_perm("diary.share_with_keeper", case):
        raise PermissionDenied
    return case


@transaction.atomic(durable=True)
def diary_order_share(*, actor: User, case_id, order_id) -> DiaryOrderShare:
    """Show an order of the case in the keeper's diary, in plain words, from their next page."""
    case = _case_for_sharing(actor, case_id)
    try:
        order = Order.objects.get(pk=order_id, case=case)
    except (Order.DoesNotExist, ValueError, ValidationError) as error:
        raise Http404 from error
    share = DiaryOrderShare.objects.filter(order=order, withdrawn_at__isnull=True).first()
    if share is not None:
        return share  # shown already: pressing again changes nothing
    share = DiaryOrderShare.objects.create(case=case, order=order, created_by=actor)
    audit_record(
        actor=actor,
        verb=Verb.DIARY_ORDER_SHARED,
        target=share,
        case=case,
        payload={"order": str(order.pk)},
    )
    return share


@transaction.atomic(durable=True)
def diary_order_withdraw(*, actor: User, case_id, order_id) -> DiaryOrderShare | None:
    """Stop showing an order in the diary: gone from the keeper's next page. Return the share
    withdrawn, or None if it was not shown."""
    case = case_lock_for_change(actor, case_id)
    share = DiaryOrderShare.objects.filter(
        case=case, order_id=order_id, withdrawn_at__isnull=True
    ).first()
    if share is not None:
        _order_share_withdraw(share, actor=actor, case=case)
    return share


def _order_share_withdraw(share: DiaryOrderShare, *, actor: User, case: Case) -> None:
    _withdrawn(share, actor=actor)
    audit_record(
        actor=actor,
        verb=Verb.DIARY_ORDER_WITHDRAWN,
        target=share,
        case=case,
        payload={"order": str(share.order_id)},
    )


def _withdrawn(share: DiaryOrderShare | DiaryPlanShare, *, actor: User) -> None:
    share.withdrawn_at, share.withdrawn_by = timezone.now(), actor
    share.save(update_fields=["withdrawn_at", "withdrawn_by", "modified_at"])


@transaction.atomic(durable=True)
def diary_plan_share(
    *,
    actor: User,
    case_id,
    action_ids: Iterable[uuid.UUID | str],
    measure_ids: Iterable[uuid.UUID | str],
    review_on: dt.date | None,
) -> DiaryPlanShare:
    """Show the keeper the actions and practical measures of the safety plan that are theirs,
    with when it will next be looked at; replaces what was shown before."""
    case = _case_for_sharing(actor, case_id)
    try:
        action_ids = {uuid.UUID(str(pk)) for pk in action_ids}
        measure_ids = {uuid.UUID(str(pk)) for pk in measure_ids}
    except ValueError as error:
        raise Http404 from error  # a malformed id: as if it did not exist, as for orders
    actions = list(SafetyAction.objects.filter(plan__case=case, pk__in=action_ids))
    measures = list(SafetyMeasure.objects.filter(plan__case=case, pk__in=measure_ids))
    if len(actions) != len(action_ids) or len(measures) != len(measure_ids):
        raise Http404  # an id from another case's plan: as if it did not exist
    errors = {}
    if not actions and not measures:
        errors["actions"] = PLAN_NOTHING_CHOSEN
    if review_on is None:
        errors["review_on"] = "Enter the date the plan will be looked at again"
    elif review_on < timezone.localdate():
        errors["review_on"] = PLAN_REVIEW_PAST
    if errors:
        raise ValidationError(errors)
    shown = (
        DiaryPlanShare.objects.filter(case=case, withdrawn_at__isnull=True)
        .prefetch_related("actions", "measures")
        .first()
    )
    if (
        shown is not None
        and shown.review_on == review_on
        and {a.pk for a in shown.actions.all()} == {a.pk for a in actions}
        and {m.pk for m in shown.measures.all()} == {m.pk for m in measures}
    ):
        return shown  # shown already: sending it again changes nothing
    _plan_share_withdraw(actor=actor, case=case)
    share = DiaryPlanShare.objects.create(case=case, review_on=review_on, created_by=actor)
    share.actions.set(actions)
    share.measures.set(measures)
    audit_record(
        actor=actor,
        verb=Verb.DIARY_PLAN_SHARED,
        target=share,
        case=case,
        payload={
            "actions": sorted(str(a.pk) for a in actions),
            "measures": sorted(str(m.pk) for m in measures),
            "review_on": review_on.isoformat(),
        },
    )
    return share


@transaction.atomic(durable=True)
def diary_plan_withdraw(*, actor: User, case_id) -> DiaryPlanShare | None:
    """Stop showing the safety plan in the diary; return the share withdrawn, if any."""
    case = case_lock_for_change(actor, case_id)
    return _plan_share_withdraw(actor=actor, case=case)


def _plan_share_withdraw(*, actor: User, case: Case) -> DiaryPlanShare | None:
    share = DiaryPlanShare.objects.filter(case=case, withdrawn_at__isnull=True).first()
    if share is None:
        return None
    _withdrawn(share, actor=actor)
    audit_record(actor=actor, verb=Verb.DIARY_PLAN_WITHDRAWN, target=share, case=case)
    return share


@transaction.atomic(durable=True)
def diary_order_hidden_set(*, actor: User, case_id, hidden: bool) -> DiarySetting:
    """Hide what the diary shows from the worker ("Your order" and the safety plan; the shares
    are kept): anyone who may change the case. Show it again: only who may show it at all, since
    the keeper, or someone, judged the phone may be seen by someone else."""
    case = _case_for_sharing(actor, case_id) if not hidden else case_lock_for_change(actor, case_id)
    return _order_hidden_set(actor=actor, case=case, hidden=hidden)


@transaction.atomic(durable=True)
def diary_order_hide(*, keeper: User) -> DiarySetting:
    """Let the keeper hide "Your order" from their own diary; only their worker can show it
    again."""
    case = case_lock(diary_case(user=keeper).pk)
    return _order_hidden_set(actor=keeper, case=case, hidden=True)


def _order_hidden_set(*, actor: User, case: Case, hidden: bool) -> DiarySetting:
    setting, _ = DiarySetting.objects.get_or_create(case=case, defaults={"created_by": actor})
    if setting.order_hidden != hidden:
        setting.order_hidden, setting.changed_by = hidden, actor
        setting.save(update_fields=["order_hidden", "changed_by", "modified_at"])
        audit_record(
            actor=actor,
            verb=Verb.DIARY_ORDER_HIDDEN,
            target=setting,
            case=case,
            payload={"hidden": hidden},
        )
    return setting


@transaction.atomic(durable=True)
def diary_order_read(*, keeper: User, show_places: bool = False) -> list[YourOrder]:
    """Return the keeper's orders in plain words, recording that they read them (and whether
    they chose to see the places, which may include their own address)."""
    orders = your_orders(user=keeper, show_places=show_places)
    if orders:
        case = orders[0].order.case
        audit_record(
            actor=keeper,
            verb=Verb.DIARY_ORDER_READ,
            target=case,
            case=case,
            payload={
                "orders": [str(o.order.pk) for o in orders],
                "places_shown": show_places and any(o.has_places for o in orders),
            },
        )
    return orders


@transaction.atomic(durable=True)
def diary_plan_read(*, keeper: User) -> YourPlan | None:
    """Return the keeper's part of the safety plan, recording that they read it."""
    plan = your_plan(user=keeper)
    if plan is not None:
        audit_record(actor=keeper, verb=Verb.DIARY_PLAN_READ, target=plan.case, case=plan.case)
    return plan


def diary_shares_withdraw(*, actor: User, case: Case) -> None:
    """Withdraw everything shown in the case's diary, inside the caller's transaction (the diary
    ending, or the case closing); `case` must be locked. A new diary starts with nothing shown."""
    for share in DiaryOrderShare.objects.filter(case=case, withdrawn_at__isnull=True):
        _order_share_withdraw(share, actor=actor, case=case)
    _plan_share_withdraw(actor=actor, case=case)
