"""Account events: each sign-in and sign-out is audited."""

from django.db import transaction

from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record


@transaction.atomic
def user_sign_in_record(*, user: User) -> None:
    audit_record(actor=user, verb=Verb.SIGNED_IN, target=user)


@transaction.atomic
def user_sign_out_record(*, user: User) -> None:
    audit_record(actor=user, verb=Verb.SIGNED_OUT, target=user)
