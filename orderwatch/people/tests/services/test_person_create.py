"""Making an account: the administrator's own agency, a one-time link by email, nothing shown."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import TestCase

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.people.services import person_create, person_setup_link_renew
from orderwatch.people.tests.factories import agency_admin, not_set_up

pytestmark = pytest.mark.django_db


def create(actor, **fields):
    data = {
        "display_name": "Nia Newcomer",
        "email": "Nia.Newcomer@Police.example",
        "role": "practitioner",
    }
    with TestCase.captureOnCommitCallbacks(execute=True):
        return person_create(actor=actor, **(data | fields))


def test_an_administrator_makes_an_account_in_their_own_agency_not_yet_usable(police):
    admin = agency_admin(police)
    person = create(admin)
    assert (person.agency, person.role, person.email) == (
        police,
        "practitioner",
        "nia.newcomer@police.example",
    )
    assert person.is_active
    assert not person.has_usable_password()
    assert AuditEvent.objects.filter(verb=Verb.ACCOUNT_CREATED, actor=admin).count() == 1


def test_the_holder_is_emailed_a_link_and_nothing_else(police):
    create(agency_admin(police))
    (email,) = mail.outbox
    assert email.to == ["nia.newcomer@police.example"]
    assert email.subject == "OrderWatch: set up your account"
    assert "https://orderwatch.test/accounts/set-up/" in email.body
    assert "72 hours" in email.body
    assert "Nia" not in email.body
    assert "Police" not in email.body
    assert AuditEvent.objects.filter(verb=Verb.ACCOUNT_SETUP_EMAILED).count() == 1


@pytest.mark.parametrize(
    "role", [User.Role.TEAM_MANAGER, User.Role.AUDITOR, User.Role.AGENCY_ADMIN]
)
def test_each_professional_role_can_be_given(police, role):
    assert create(agency_admin(police), role=role).role == role


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"display_name": "  "}, "display_name"),
        ({"email": ""}, "email"),
        ({"role": User.Role.VICTIM_SURVIVOR}, "role"),
        ({"role": "superuser"}, "role"),
    ],
)
def test_bad_input_changes_nothing(police, fields, field):
    admin = agency_admin(police)
    before = User.objects.count()
    with pytest.raises(ValidationError) as error:
        create(admin, **fields)
    assert field in error.value.message_dict
    assert User.objects.count() == before
    assert mail.outbox == []


def test_an_address_in_use_anywhere_is_refused_in_the_same_words_and_nothing_changes(
    police, practitioner
):
    admin = agency_admin(police)
    before = User.objects.count()
    with pytest.raises(ValidationError) as error:
        create(admin, email=practitioner.email.upper())  # another agency's account
    assert error.value.message_dict["email"] == [
        "This email address cannot be used for a new account. Check it, or use another"
    ]
    assert User.objects.count() == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    "role", [User.Role.PRACTITIONER, User.Role.TEAM_MANAGER, User.Role.AUDITOR]
)
def test_only_an_agency_administrator_makes_accounts(police, role):
    actor = UserFactory(agency=police, role=role)
    before = User.objects.count()
    with pytest.raises(PermissionDenied):
        create(actor)
    assert User.objects.count() == before


def test_a_new_link_voids_the_earlier_one(police):
    admin = agency_admin(police)
    person = not_set_up(police)
    stamp = person.security_stamp
    with TestCase.captureOnCommitCallbacks(execute=True):
        person_setup_link_renew(actor=admin, person_id=person.pk)
    person.refresh_from_db()
    assert person.security_stamp != stamp
    assert len(mail.outbox) == 1


def test_no_new_link_for_an_account_already_set_up(police):
    admin = agency_admin(police)
    person = UserFactory(agency=police)
    stamp = person.security_stamp
    with pytest.raises(ValidationError):
        person_setup_link_renew(actor=admin, person_id=person.pk)
    person.refresh_from_db()
    assert person.security_stamp == stamp
    assert mail.outbox == []


def test_another_agencys_administrator_cannot_send_a_new_link(police, idva_service):
    person = not_set_up(police)
    stamp = person.security_stamp
    with pytest.raises(Http404):
        person_setup_link_renew(actor=agency_admin(idva_service), person_id=person.pk)
    person.refresh_from_db()
    assert person.security_stamp == stamp
    assert mail.outbox == []
