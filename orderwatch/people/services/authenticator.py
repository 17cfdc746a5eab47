"""Resetting someone's lost authenticator: their administrator, with a fresh code of their own
and a reason, removes the person's authenticator and recovery codes; they set up a new one at
their next sign-in."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django_otp_webauthn.models import WebAuthnCredential

from orderwatch.access.policy import access_person
from orderwatch.accounts.emails import authenticator_reset_email
from orderwatch.accounts.mfa import StepUp
from orderwatch.accounts.models import AuthenticatorApp, RecoveryCodeSet, User
from orderwatch.accounts.services.sessions import sessions_end_except
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.people.services.status import NOT_YOURSELF


@transaction.atomic(durable=True)
def person_authenticator_reset(*, actor: User, person_id, reason: str, step_up: StepUp) -> User:
    """Remove a person's authenticator, recovery codes and passkeys and end every session of
    theirs; they set up a new authenticator at their next sign-in, and are emailed about it.

    `step_up` proves the administrator's own fresh code (`mfa_step_up`). Not for the
    administrator's own account: replacing one's own needs a code from it (ADR 0015).
    """
    if not step_up.is_fresh_for(actor):
        raise PermissionDenied
    person = access_person(actor, person_id)
    if person.pk == actor.pk:
        raise ValidationError({"reason": NOT_YOURSELF})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why their authenticator app is being reset"})
    person = User.objects.select_for_update().get(pk=person.pk)
    authenticators = AuthenticatorApp.objects.filter(user=person)
    recovery = RecoveryCodeSet.objects.filter(user=person)
    if not authenticators.exists() and not recovery.exists():
        raise ValidationError({"reason": "They have no authenticator app set up"})
    authenticators.delete()
    recovery.delete()  # and its codes, with it
    WebAuthnCredential.objects.filter(user=person).delete()  # passkeys too (ADR 0025)
    ended = sessions_end_except(user=person, keep_session_key=None)
    audit_record(
        actor=actor,
        verb=Verb.MFA_RESET,
        target=person,
        payload={"sessions_ended": ended},
        notes={"reason": reason},
    )
    transaction.on_commit(_email_queuer(person.pk), robust=True)
    return person


def _email_queuer(user_id: uuid.UUID):
    def queue_email() -> None:
        from orderwatch.people.tasks import authenticator_reset_email_send as send_task

        send_task.enqueue(user_id=str(user_id))

    return queue_email


def person_authenticator_reset_email_send(*, user_id: uuid.UUID | str) -> bool:
    """Tell the person their authenticator was reset (the email says only that, and what to
    do); return whether it was sent. Nothing goes to a deactivated account."""
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        return False
    authenticator_reset_email(to=person.email).send()
    return True
