"""Every change to orders: one transaction, a permission check and an audit event each."""

import datetime as dt
import uuid
from collections.abc import Iterator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from orderwatch.access.policy import access_case, access_case_for_change, case_lock_for_change
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case, CasePerson
from orderwatch.confidential.fields import Confidential
from orderwatch.confidential.files import (
    FileRejected,
    encrypted_file_chunks,
    encrypted_file_delete,
    encrypted_file_store,
)
from orderwatch.core.submissions import submission_claim
from orderwatch.events.services import case_event_record
from orderwatch.events.table import CaseEvent
from orderwatch.orders.models import (
    AddressChange,
    Condition,
    Order,
    OrderChange,
    OrderCopy,
    OrderType,
)
from orderwatch.orders.selectors import order_get, order_state

CHANGE_EVENTS = {
    OrderChange.Kind.VARIED: CaseEvent.ORDER_VARIED,
    OrderChange.Kind.EXTENDED: CaseEvent.ORDER_EXTENDED,
    OrderChange.Kind.DISCHARGED: CaseEvent.ORDER_DISCHARGED,
}


def _order_in(actor: User, order: Order, expected_version: int | None = None) -> Order:
    """Re-fetch the order through the access policy, its case row locked first: 404 unless the
    actor may see its case."""
    case = case_lock_for_change(actor, order.case_id, expected_version=expected_version)
    order = Order.objects.select_for_update().get(pk=order.pk, case=case)
    order.case = case  # the locked instance, for the events that follow
    return order


def _check_dates(
    *,
    made_on: dt.date,
    served_on: dt.date | None,
    starts_on: dt.date,
    ends_on: dt.date | None,
    until_further_order: bool,
) -> None:
    errors = {}
    if until_further_order and ends_on:
        errors["ends_on"] = "Leave the end date empty if the order lasts until further order"
    elif not until_further_order and not ends_on:
        errors["ends_on"] = "Enter the date the order ends, or choose until further order"
    elif ends_on and ends_on < starts_on:
        errors["ends_on"] = "The end date must be the same as or after the start date"
    if served_on and served_on < made_on:
        errors["served_on"] = "The date it was served must be the same as or after it was made"
    if errors:
        raise ValidationError(errors)


def _check_maximum(
    order_type: OrderType, starts_on: dt.date, ends_on: dt.date | None, open_ended: bool
) -> None:
    """Refuse dates longer than the law allows for this type (e.g. a DVPO lasts 28 days)."""
    days = order_type.fixed_maximum_days
    if days is None:
        return
    if open_ended or (ends_on and (ends_on - starts_on).days + 1 > days):
        raise ValidationError(
            {"ends_on": f"A {order_type.name.lower()} lasts at most {days} days. Check the dates"}
        )


@transaction.atomic(durable=True)
def order_create(
    *,
    actor: User,
    case: Case,
    order_type: OrderType,
    made_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date | None,
    until_further_order: bool,
    served_on: dt.date | None = None,
    court: str = "",
    court_reference: str = "",
    respondent: CasePerson | None = None,
    protected_people: list[CasePerson] | None = None,
    submission_key: uuid.UUID | None = None,
) -> Order:
    """Record an order on a case. Conditions and the copy are added next."""
    case = case_lock_for_change(actor, case.pk)
    order = order_make(
        actor=actor,
        case=case,
        order_type=order_type,
        made_on=made_on,
        starts_on=starts_on,
        ends_on=ends_on,
        until_further_order=until_further_order,
        served_on=served_on,
        court=court,
        court_reference=court_reference,
        respondent=respondent,
        protected_people=protected_people,
    )
    submission_claim(
        key=submission_key,
        actor=actor,
        url=reverse("orders:condition-new", kwargs={"case_id": case.pk, "order_id": order.pk}),
    )
    return order


def order_make(
    *,
    actor: User,
    case: Case,
    order_type: OrderType,
    made_on: dt.date,
    starts_on: dt.date,
    ends_on: dt.date | None,
    until_further_order: bool,
    served_on: dt.date | None = None,
    court: str = "",
    court_reference: str = "",
    respondent: CasePerson | None = None,
    protected_people: list[CasePerson] | None = None,
) -> Order:
    """Record an order on `case`, whose row the caller has locked, inside its transaction (an
    import makes several: ADR 0043)."""
    _check_maximum(order_type, starts_on, ends_on, until_further_order)
    _check_dates(
        made_on=made_on,
        served_on=served_on,
        starts_on=starts_on,
        ends_on=ends_on,
        until_further_order=until_further_order,
    )
    protected_people = protected_people or []
    if respondent is not None and (
        respondent.case_id != case.pk or respondent.role != CasePerson.Role.RESPONDENT
    ):
        raise ValidationError({"respondent": "Select the respondent from the people on this case"})
    if any(person.case_id != case.pk for person in protected_people):
        raise ValidationError({"protected_people": "Select people from this case"})
    if not protected_people:
        raise ValidationError({"protected_people": "Select who the order protects"})
    order = Order.objects.create(
        case=case,
        order_type=order_type,
        court=court.strip(),
        court_reference=court_reference.strip(),
        respondent=respondent,
        made_on=made_on,
        served_on=served_on,
        starts_on=starts_on,
        ends_on=None if until_further_order else ends_on,
        until_further_order=until_further_order,
        created_by=actor,
    )
    order.protected_people.set(protected_people)
    audit_record(actor=actor, verb=Verb.ORDER_ADDED, target=order, case=case)
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.ORDER_ADDED,
        subject=order,
        link=order.get_absolute_url(),
    )
    return order


@transaction.atomic(durable=True)
def condition_add(
    *,
    actor: User,
    order: Order,
    kind: str,
    wording: str,
    protects: str = "",
    place: str = "",
    exceptions: str = "",
    submission_key: uuid.UUID | None = None,
) -> Condition:
    """Add one condition in the order's own words. A place it names is kept confidential."""
    order = _order_in(actor, order)
    condition = condition_make(
        actor=actor,
        order=order,
        kind=kind,
        wording=wording,
        protects=protects,
        place=place,
        exceptions=exceptions,
    )
    submission_claim(key=submission_key, actor=actor, url=order.get_absolute_url())
    return condition


def condition_make(
    *,
    actor: User,
    order: Order,
    kind: str,
    wording: str,
    protects: str = "",
    place: str = "",
    exceptions: str = "",
) -> Condition:
    """Add a condition to `order`, whose case row the caller has locked, inside its
    transaction."""
    if not wording.strip():
        raise ValidationError({"wording": "Enter the words of the condition, as the order says"})
    condition = Condition(
        order=order,
        kind=kind,
        wording=wording.strip(),
        protects=protects.strip(),
        place=Confidential.from_plaintext(place.strip()),
        exceptions=exceptions.strip(),
        created_by=actor,
    )
    condition.full_clean(exclude=["place"])
    condition.save()
    _conditions_no_longer_checked(order)
    audit_record(
        actor=actor,
        verb=Verb.CONDITION_ADDED,
        target=condition,
        case=order.case,
        fields=["kind", "wording"] + (["place"] if place.strip() else []),
    )
    return condition


def _conditions_no_longer_checked(order: Order) -> None:
    """A condition added after the check has not been checked against the copy."""
    if order.copy_checked_at is not None:
        order.copy_checked_at, order.copy_checked_by = None, None
        order.save(update_fields=["copy_checked_at", "copy_checked_by", "modified_at"])


@transaction.atomic(durable=True)
def order_change_record(
    *,
    actor: User,
    order: Order,
    kind: str,
    made_on: dt.date,
    what_changed: str,
    new_ends_on: dt.date | None = None,
    until_further_order: bool = False,
    submission_key: uuid.UUID | None = None,
    expected_version: int | None = None,
) -> OrderChange:
    """Record a variation, extension or discharge; the order's status follows from it.
    `expected_version`: the case's version the writer last read (an API `If-Match`)."""
    order = _order_in(actor, order, expected_version)
    errors = {}
    if not what_changed.strip():
        errors["what_changed"] = "Enter what the court changed"
    if made_on < order.made_on:
        errors["made_on"] = "The date must be the same as or after the order was made"
    if kind == OrderChange.Kind.EXTENDED:
        if not (new_ends_on or until_further_order):
            errors["new_ends_on"] = "Enter the new end date, or choose until further order"
        elif new_ends_on and until_further_order:
            errors["new_ends_on"] = "Leave the new end date empty if it is until further order"
        elif new_ends_on and (current := order_state(order).ends_on) and new_ends_on <= current:
            errors["new_ends_on"] = "The new end date must be after the current end date"
        elif order.order_type.fixed_maximum_days is not None:
            errors["kind"] = (
                f"A {order_type_name(order)} cannot be extended; consider another order instead"
            )
    elif new_ends_on or until_further_order:
        errors["new_ends_on"] = "Only an extension changes the end date"
    if errors:
        raise ValidationError(errors)
    change = OrderChange.objects.create(
        order=order,
        kind=kind,
        made_on=made_on,
        new_ends_on=new_ends_on,
        until_further_order=until_further_order,
        what_changed=what_changed.strip(),
        created_by=actor,
    )
    if kind == OrderChange.Kind.VARIED:
        _conditions_no_longer_checked(order)
    elif kind == OrderChange.Kind.EXTENDED:
        order.next_reminder_on = timezone.localdate()  # the next sweep reschedules its reminders
        order.save(update_fields=["next_reminder_on"])
    submission_claim(key=submission_key, actor=actor, url=order.get_absolute_url())
    audit_record(
        actor=actor, verb=Verb.ORDER_CHANGED, target=change, case=order.case, fields=["kind"]
    )
    # The review after a discharge is about the order, so it is keyed on the order: the same
    # review as when an order runs out.
    case_event_record(
        actor=actor,
        case=order.case,
        event=CHANGE_EVENTS[kind],
        subject=order,
        link=order.get_absolute_url(),
    )
    return change


@transaction.atomic(durable=True)
def order_copy_mark_checked(*, actor: User, order: Order) -> Order:
    """Record that the conditions here have been checked against the stored copy."""
    order = _order_in(actor, order)
    if not order.copies.exists():
        raise ValidationError({"copy": "Upload a copy of the order before checking it"})
    if not order.conditions.exists():
        raise ValidationError({"copy": "Add the order's conditions before checking them"})
    order.copy_checked_at, order.copy_checked_by = timezone.now(), actor
    order.save(update_fields=["copy_checked_at", "copy_checked_by", "modified_at"])
    audit_record(actor=actor, verb=Verb.COPY_CHECKED, target=order, case=order.case)
    return order


@transaction.atomic(durable=True)
def address_change_record(
    *,
    actor: User,
    case: Case,
    new_address: str,
    moved_on: dt.date | None,
    disclosure_risk: str,
    discussion: str,
    next_step: str,
    reason: str,
    step_up: StepUp,
    submission_key: uuid.UUID | None = None,
) -> AddressChange:
    """Record a move: the new address (confidential) and the agreed safe next step for orders."""
    case = case_lock_for_change(actor, case.pk, permission="cases.reveal_protected_address")
    if not step_up.is_fresh_for(actor):
        raise PermissionDenied
    errors = {
        field: message
        for field, value, message in (
            ("new_address", new_address, "Enter the new address"),
            (
                "disclosure_risk",
                disclosure_risk,
                "Enter how varying the order could reveal the new address",
            ),
            ("discussion", discussion, "Enter what was discussed, and with whom"),
            ("reason", reason, "Enter why this is the safe next step"),
        )
        if not value.strip()
    }
    if errors:
        raise ValidationError(errors)
    change = AddressChange.objects.create(
        case=case,
        previous_address=case.protected_address,
        moved_on=moved_on,
        disclosure_risk=disclosure_risk.strip(),
        discussion=discussion.strip(),
        next_step=next_step,
        reason=reason.strip(),
        created_by=actor,
    )
    case.protected_address = Confidential.from_plaintext(new_address.strip())
    case.save(update_fields=["protected_address", "modified_at"])
    submission_claim(key=submission_key, actor=actor, url=case.get_absolute_url())
    audit_record(
        actor=actor,
        verb=Verb.ADDRESS_CHANGED,
        target=change,
        case=case,
        fields=["protected_address", "next_step"],
    )
    case_event_record(
        actor=actor,
        case=case,
        event=CaseEvent.ADDRESS_CHANGED,
        subject=change,
        link=case.get_absolute_url(),
    )
    return change


COPY_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}


def order_copy_add(*, actor: User, order: Order, upload) -> OrderCopy:
    """Store the sealed order encrypted, streamed, checked by content; it needs checking again.

    The file is stored before the transaction (it may be large); if recording it fails, the
    stored file is removed so nothing is left half-saved.
    """
    order = _order_in_readonly(actor, order)
    try:
        stored = encrypted_file_store(
            source=upload,
            folder="order-copies",
            allowed_types=COPY_TYPES,
            max_bytes=settings.ORDERWATCH_ORDER_COPY_MAX_BYTES,
        )
    except FileRejected as rejected:
        raise ValidationError({"file": rejected.message}) from rejected
    try:
        return _order_copy_record(actor=actor, order=order, stored=stored)
    except BaseException:
        encrypted_file_delete(name=stored.name)
        raise


@transaction.atomic(durable=True)
def _order_copy_record(*, actor: User, order: Order, stored) -> OrderCopy:
    order = _order_in(actor, order)
    copy = OrderCopy.objects.create(
        order=order,
        file_name=stored.name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        created_by=actor,
    )
    _conditions_no_longer_checked(order)
    audit_record(
        actor=actor,
        verb=Verb.COPY_ADDED,
        target=copy,
        case=order.case,
        payload={"sha256": stored.sha256},
    )
    return copy


def order_type_name(order: Order) -> str:
    return order.order_type.name.lower()


def _order_in_readonly(actor: User, order: Order) -> Order:
    case = access_case_for_change(actor, order.case.pk)
    return Order.objects.get(pk=order.pk, case=case)


@transaction.atomic(durable=True)
def order_copy_open(*, actor: User, order: Order, copy_id) -> tuple[OrderCopy, Iterator[bytes]]:
    """Return a copy of the order and its decrypted bytes as a stream, recording the view."""
    case = access_case(actor, order.case_id)
    try:
        copy = OrderCopy.objects.get(pk=copy_id, order__case=case, order=order)
    except (OrderCopy.DoesNotExist, ValueError) as error:
        raise Http404 from error
    audit_record(actor=actor, verb=Verb.COPY_VIEWED, target=copy, case=case)
    return copy, encrypted_file_chunks(name=copy.file_name)


@transaction.atomic(durable=True)
def order_open(*, actor: User, case_id, order_id) -> Order:
    """Return an order the actor may see, with its page's data, recording that they viewed it."""
    order = order_get(user=actor, case_id=case_id, order_id=order_id)
    audit_record(actor=actor, verb=Verb.ORDER_VIEWED, target=order, case=order.case)
    return order


@transaction.atomic(durable=True)
def condition_end(
    *, actor: User, order: Order, condition_id, ended_on: dt.date, reason: str
) -> Condition:
    """Record that a condition no longer applies (varied away, or recorded in error).

    The condition stays in the record, marked ended; the order needs checking against its copy
    again.
    """
    order = _order_in(actor, order)
    try:
        condition = order.conditions.select_for_update().get(pk=condition_id)
    except (Condition.DoesNotExist, ValueError) as error:
        raise Http404 from error
    errors = {}
    if condition.ended_on is not None:
        errors["ended_on"] = "This condition has already ended"
    elif ended_on < order.made_on:
        errors["ended_on"] = "The date must be the same as or after the order was made"
    if not reason.strip():
        errors["reason"] = "Enter why the condition no longer applies"
    if errors:
        raise ValidationError(errors)
    condition.ended_on, condition.ended_reason = ended_on, reason.strip()
    condition.save(update_fields=["ended_on", "ended_reason", "modified_at"])
    _conditions_no_longer_checked(order)
    audit_record(
        actor=actor,
        verb=Verb.CONDITION_ENDED,
        target=condition,
        case=order.case,
        fields=["ended_on", "ended_reason"],
    )
    return condition
