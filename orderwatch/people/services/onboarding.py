"""New accounts: an agency administrator makes one, and its holder sets it up from an emailed
link (`orderwatch.accounts.services.setup`)."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from orderwatch.access.policy import access_person
from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.services.setup import account_setup_email_queue
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record

# The roles an agency administrator gives (a diary account is made by a practitioner's
# invitation, never here).
ASSIGNABLE_ROLES = [
    User.Role.PRACTITIONER,
    User.Role.TEAM_MANAGER,
    User.Role.AUDITOR,
    User.Role.AGENCY_ADMIN,
]
EMAIL_IN_USE = "This email address cannot be used for a new account. Check it, or use another"


def role_check(role: str) -> str:
    """Return `role` if an agency administrator may give it; raise its message otherwise."""
    if role not in ASSIGNABLE_ROLES:
        raise ValidationError({"role": "Choose a role"})
    return role


def person_details_checked(*, display_name: str, email: str, role: str) -> tuple[str, str]:
    """Return the name and email as kept (trimmed; the email in lower case), or say which is
    missing or that the role is not one a professional may have."""
    display_name, email = display_name.strip(), email.strip().lower()
    if not display_name:
        raise ValidationError({"display_name": "Enter their full name"})
    if not email:
        raise ValidationError({"email": "Enter their work email address"})
    role_check(role)
    return display_name, email


@transaction.atomic(durable=True)
def person_create(*, actor: User, display_name: str, email: str, role: str) -> User:
    """Make an account in the administrator's own agency, not yet usable, and email its holder
    a one-time link to set it up once this commits. The link is never shown on a page."""
    if not actor.has_perm("people.add_person"):
        raise PermissionDenied
    display_name, email = person_details_checked(display_name=display_name, email=email, role=role)
    # Said the same way for any account (another agency's, or a victim-survivor's diary).
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": EMAIL_IN_USE})
    person = User(email=email, display_name=display_name, agency_id=actor.agency_id, role=role)
    person.set_unusable_password()
    person.save()
    audit_record(
        actor=actor,
        verb=Verb.ACCOUNT_CREATED,
        target=person,
        fields=["email", "display_name", "role"],
        payload={"role": role},
    )
    account_setup_email_queue(user_id=person.pk)
    return person


@transaction.atomic(durable=True)
def person_create_on_the_server(
    *,
    email: str,
    display_name: str,
    agency_name: str,
    role: str,
    password: str,
    new_agency_kind: str | None = None,
) -> User:
    """Make a usable account from the server (`manage.py create_account`), in a named agency
    (made, of `new_agency_kind`, if there is none of that name): for a partnership with no
    administrator yet, and the production check. The holder sets up two-factor authentication
    the first time they sign in. Audited with no actor, from the command line."""
    display_name, email = person_details_checked(display_name=display_name, email=email, role=role)
    agency = Agency.objects.filter(name=agency_name).first()
    if agency is None:
        if new_agency_kind not in Agency.Kind.values:
            names = ", ".join(Agency.objects.values_list("name", flat=True)) or "none yet"
            raise ValidationError({"agency": f"No agency is called that. Agencies: {names}"})
        agency = Agency.objects.create(name=agency_name, kind=new_agency_kind)
        audit_record(actor=None, verb=Verb.AGENCY_CREATED, target=agency, fields=["name", "kind"])
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": EMAIL_IN_USE})
    person = User(email=email, display_name=display_name, agency=agency, role=role)
    validate_password(password, person)
    person.set_password(password)
    person.save()
    audit_record(
        actor=None,
        verb=Verb.ACCOUNT_CREATED,
        target=person,
        fields=["email", "display_name", "role", "agency"],
        payload={"role": role, "by": "the server"},
    )
    return person


@transaction.atomic(durable=True)
def person_setup_link_renew(*, actor: User, person_id) -> User:
    """Email a new set-up link to an account not yet set up; any earlier link stops working."""
    person = access_person(actor, person_id)
    person = User.objects.select_for_update().get(pk=person.pk)
    if not person.is_active:
        raise ValidationError("This account is deactivated. Reactivate it first")
    if person.has_usable_password():
        raise ValidationError("This account has already been set up")
    person.rotate_security_stamp()  # the earlier link is void
    audit_record(actor=actor, verb=Verb.SETUP_LINK_RENEWED, target=person)
    account_setup_email_queue(user_id=person.pk)
    return person


# Not durable, unlike the other services: Django's admin runs its add view in a transaction.
@transaction.atomic
def agency_administrator_create(
    *, actor: User, agency: Agency, display_name: str, email: str
) -> User:
    """Make an agency's administrator (its first, usually), from service administration; they
    set up the account from an emailed one-time link, as any new account does.

    For staff who may add agency administrators (`people.add_agencyadministrator`).
    """
    if not (actor.is_staff and actor.has_perm("people.add_agencyadministrator")):
        raise PermissionDenied
    display_name, email = display_name.strip(), email.strip().lower()
    if not display_name:
        raise ValidationError({"display_name": "Enter their full name"})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": EMAIL_IN_USE})
    person = User(
        email=email, display_name=display_name, agency=agency, role=User.Role.AGENCY_ADMIN
    )
    person.set_unusable_password()
    person.save()
    audit_record(
        actor=actor,
        verb=Verb.ACCOUNT_CREATED,
        target=person,
        fields=["email", "display_name", "role", "agency"],
        payload={"role": User.Role.AGENCY_ADMIN, "by": "service administration"},
    )
    account_setup_email_queue(user_id=person.pk)
    return person


@transaction.atomic(durable=True)
def agency_administrator_setup_link_renew(*, actor: User, person_id) -> User:
    """Email an agency administrator made in service administration a new set-up link, if they
    have not set up their account yet; any earlier link stops working."""
    if not (actor.is_staff and actor.has_perm("people.add_agencyadministrator")):
        raise PermissionDenied
    person = User.objects.select_for_update().get(pk=person_id, role=User.Role.AGENCY_ADMIN)
    if not person.is_active or person.has_usable_password():
        raise ValidationError("This account has already been set up, or is deactivated")
    person.rotate_security_stamp()
    audit_record(actor=actor, verb=Verb.SETUP_LINK_RENEWED, target=person)
    account_setup_email_queue(user_id=person.pk)
    return person
