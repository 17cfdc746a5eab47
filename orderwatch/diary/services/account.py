"""Invitations to a diary, setting one up, and ending it.

A diary account belongs to one case and sees nothing of it: only its own entries. Its entries
are evidence items by the victim-survivor, added through the evidence service's own intake.
It is set up in two steps (ADR 0026): an address and password chosen from the invitation link,
then a link emailed to that address, so the invitation never shows whether an address is in use.
"""

import datetime as dt
import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from orderwatch.access.policy import case_lock_for_change
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.diary.emails import diary_address_in_use_email, diary_setup_email
from orderwatch.diary.models import DiaryAccess, DiaryInvite
from orderwatch.diary.selectors import DiaryState, case_diary_state, case_orders_shown
from orderwatch.diary.services.sharing import diary_shares_withdraw

LINK_NOT_USABLE = (
    "This link has expired or has already been used. Ask the person who gave it to you for a "
    "new one."
)
DIARY_USER_NAME = "Victim-survivor"
MAX_ATTEMPTS = 5


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic(durable=True)
def diary_invite_create(*, actor: User, case_id) -> tuple[DiaryInvite, str]:
    """Make a one-time link for the case's victim-survivor; return it with its secret.

    The secret is shown once and only its hash is kept. A new link withdraws any unused one.
    """
    case = case_lock_for_change(actor, case_id)
    if DiaryAccess.objects.filter(case=case, ended_at__isnull=True).exists():
        raise ValidationError(
            "The victim-survivor already has a diary on this case. End it first to invite "
            "them again.",
            code="diary_exists",
        )
    now = timezone.now()
    DiaryInvite.objects.filter(case=case, used_at__isnull=True, withdrawn_at__isnull=True).update(
        withdrawn_at=now, setup_email="", setup_password=""
    )
    secret = secrets.token_urlsafe(32)
    invite = DiaryInvite.objects.create(
        case=case,
        secret_hash=secret_hash(secret),
        expires_at=now + dt.timedelta(hours=settings.ORDERWATCH_DIARY_INVITE_HOURS),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        verb=Verb.DIARY_INVITED,
        target=invite,
        case=case,
        payload={"expires_at": invite.expires_at.isoformat()},
    )
    return invite, secret


def _usable_invite(secret: str, *, lock: bool = False) -> DiaryInvite | None:
    invites = DiaryInvite.objects.select_for_update() if lock else DiaryInvite.objects
    return invites.filter(
        secret_hash=secret_hash(secret),
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        expires_at__gt=timezone.now(),
        attempts__lt=MAX_ATTEMPTS,
    ).first()


def diary_invite_is_usable(*, secret: str) -> bool:
    return _usable_invite(secret) is not None


def diary_setup_request(*, secret: str, email: str, password: str) -> DiaryInvite:
    """Take the address and password chosen from an invitation link, and queue an email to the
    address that finishes setting up (or, if it already signs in, says only that).

    The answer and the work here are the same whether or not the address has an account: only
    the background email differs, so the link cannot test addresses. Every answer, taken or
    refused, counts on the link, which stops after `MAX_ATTEMPTS`. A later answer replaces an
    earlier one, whose emailed link then no longer works.
    """
    try:
        return _diary_setup_request(secret=secret, email=email, password=password)
    except ValidationError as error:
        if getattr(error, "code", None) != "link_not_usable":
            _count_refused_attempt(secret)
        raise


@transaction.atomic(durable=True)
def _diary_setup_request(*, secret: str, email: str, password: str) -> DiaryInvite:
    invite = _usable_invite(secret, lock=True)
    if invite is None:
        raise ValidationError(LINK_NOT_USABLE, code="link_not_usable")
    email = User.objects.normalize_email(email).lower()
    candidate = User(email=email, display_name=DIARY_USER_NAME, role=User.Role.VICTIM_SURVIVOR)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    invite.setup_email, invite.setup_password = email, make_password(password)
    invite.setup_requested_at = timezone.now()
    invite.attempts += 1
    invite.save(
        update_fields=[
            "setup_email",
            "setup_password",
            "setup_requested_at",
            "attempts",
            "modified_at",
        ]
    )
    transaction.on_commit(_setup_email_queuer(invite.pk), robust=True)
    return invite


def _setup_email_queuer(invite_id: uuid.UUID):
    def queue_email() -> None:
        from orderwatch.diary.tasks import diary_setup_email_send as send_task

        send_task.enqueue(invite_id=str(invite_id))

    return queue_email


@transaction.atomic(durable=True)
def _count_refused_attempt(secret: str) -> None:
    DiaryInvite.objects.filter(secret_hash=secret_hash(secret), used_at__isnull=True).update(
        attempts=F("attempts") + 1
    )


def _pending_setup(invite_id, *, lock: bool = False) -> DiaryInvite | None:
    invites = DiaryInvite.objects.select_for_update() if lock else DiaryInvite.objects
    hours = dt.timedelta(hours=settings.ORDERWATCH_DIARY_INVITE_HOURS)
    return invites.filter(
        pk=invite_id,
        used_at__isnull=True,
        withdrawn_at__isnull=True,
        setup_requested_at__gt=timezone.now() - hours,
    ).first()


def diary_setup_token(invite: DiaryInvite) -> str:
    """Return the token of the invitation's emailed link: void once the answer it confirms is
    replaced, since it covers the address, the password hash and when they were chosen."""
    value = (
        f"{invite.pk}|{invite.setup_email}|{invite.setup_password}|"
        f"{invite.setup_requested_at.isoformat()}"
    )
    return salted_hmac("orderwatch.diary.setup", value, algorithm="sha256").hexdigest()


def diary_setup_is_usable(*, invite_id, token: str) -> bool:
    invite = _pending_setup(invite_id)
    return invite is not None and constant_time_compare(token, diary_setup_token(invite))


def diary_setup_email_send(*, invite_id: uuid.UUID | str) -> bool:
    """Email the address chosen from an invitation: the link that finishes setting up, or, if
    the address already signs in, a note that nothing was set up. Return whether one was sent.

    Neither names the service, the person or the case.
    """
    with transaction.atomic(durable=True):
        invite = _pending_setup(invite_id, lock=True)
        if invite is None:
            return False
        if User.objects.filter(email=invite.setup_email).exists():
            message = diary_address_in_use_email(to=invite.setup_email)
        else:
            link = settings.ORDERWATCH_BASE_URL.rstrip("/") + reverse(
                "diary:confirm",
                kwargs={"invite_id": invite.pk, "token": diary_setup_token(invite)},
            )
            message = diary_setup_email(
                to=invite.setup_email, link=link, hours=settings.ORDERWATCH_DIARY_INVITE_HOURS
            )
    message.send()
    return True


@transaction.atomic(durable=True)
def diary_setup_confirm(*, invite_id, token: str) -> User:
    """Set up the diary account from the emailed link, once: the address and password chosen
    from the invitation. The keeper then signs in with them."""
    invite = _pending_setup(invite_id, lock=True)
    if invite is None or not constant_time_compare(token, diary_setup_token(invite)):
        raise ValidationError(LINK_NOT_USABLE, code="link_not_usable")
    try:
        with transaction.atomic():
            user = User(
                email=invite.setup_email,
                password=invite.setup_password,
                display_name=DIARY_USER_NAME,
                role=User.Role.VICTIM_SURVIVOR,
                agency=None,
            )
            user.save(force_insert=True)
            access = DiaryAccess.objects.create(
                case=invite.case, user=user, invite=invite, created_by=user
            )
    except IntegrityError as error:  # the address, or a diary for this case, taken meanwhile
        raise ValidationError(LINK_NOT_USABLE, code="link_not_usable") from error
    invite.used_at = timezone.now()
    invite.setup_email = invite.setup_password = ""
    invite.save(update_fields=["used_at", "setup_email", "setup_password", "modified_at"])
    audit_record(actor=user, verb=Verb.DIARY_STARTED, target=access, case=invite.case)
    return user


@transaction.atomic(durable=True)
def diary_end(*, actor: User, case_id) -> DiaryAccess:
    """End the case's diary access at once (e.g. if the phone may be in the wrong hands).

    The entries stay on the case as evidence; the account can no longer sign in.
    """
    case = case_lock_for_change(actor, case_id)
    access = diary_access_end(actor=actor, case=case)
    if access is None:
        raise ValidationError("There is no diary on this case to end.", code="no_diary")
    return access


def diary_access_end(*, actor: User, case: Case) -> DiaryAccess | None:
    """End the case's open diary access, if any, inside the caller's transaction (`diary_end`,
    or the case closing); `case` must be locked. Return the access ended."""
    access = (
        DiaryAccess.objects.select_for_update()
        .select_related("user")
        .filter(case=case, ended_at__isnull=True)
        .first()
    )
    if access is None:
        return None
    access.ended_at, access.ended_by = timezone.now(), actor
    access.save(update_fields=["ended_at", "ended_by", "modified_at"])
    access.user.is_active = False
    access.user.save(update_fields=["is_active"])
    access.user.rotate_security_stamp()  # signs out every session at once
    audit_record(actor=actor, verb=Verb.DIARY_ENDED, target=access, case=case)
    diary_shares_withdraw(actor=actor, case=case)  # a later diary starts with nothing shown
    return access


@transaction.atomic(durable=True)
def case_diary_open(*, actor: User, case_id) -> tuple[Case, DiaryState]:
    """Return the case's diary state for its page, recording that the actor viewed it."""
    case, state = case_diary_state(user=actor, case_id=case_id)
    audit_record(
        actor=actor, verb=Verb.CASE_VIEWED, target=case, case=case, payload={"page": "diary"}
    )
    return case, state


@transaction.atomic(durable=True)
def case_diary_preview_open(*, actor: User, case_id) -> tuple[Case, list, bool]:
    """Return the case, its orders as its diary shows them and whether they are hidden now,
    recording that the actor viewed them."""
    case, orders, hidden = case_orders_shown(user=actor, case_id=case_id)
    audit_record(
        actor=actor,
        verb=Verb.CASE_VIEWED,
        target=case,
        case=case,
        payload={"page": "diary_preview"},
    )
    return case, orders, hidden


def diary_keeper_forget(*, keeper: User) -> None:
    """Remove what identifies a diary keeper whose case's records are being disposed of, inside
    the caller's transaction (ADR 0041): their email, password, second steps, sessions and
    anything else that belongs to the account. The row stays, with nothing about them, because
    audit events name it as their actor."""
    if keeper.role != User.Role.VICTIM_SURVIVOR:
        raise ValueError("Only a diary keeper's account is forgotten with their case.")
    for relation in User._meta.related_objects:
        if relation.on_delete is models.CASCADE:
            relation.related_model._base_manager.filter(**{relation.field.name: keeper}).delete()
    keeper.email = f"disposed-{keeper.pk.hex}@disposed.invalid"
    keeper.display_name = DIARY_USER_NAME
    keeper.is_active = False
    keeper.set_unusable_password()
    keeper.save(update_fields=["email", "display_name", "is_active", "password"])
    keeper.rotate_security_stamp()  # signs out any session left
