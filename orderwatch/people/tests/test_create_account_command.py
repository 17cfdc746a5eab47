"""`manage.py create_account`: a usable account made from the server, audited, refusing bad
input with a message and leaving nothing behind."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from orderwatch.accounts.models import Agency, AuthenticatorApp, User
from orderwatch.audit.models import AuditEvent, Origin, Verb

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-practitioner-password-42"


@pytest.fixture
def typed(monkeypatch):
    """Answer the password prompts with the given strings, in turn."""

    def answer(*answers: str) -> None:
        replies = iter(answers)
        monkeypatch.setattr(
            "orderwatch.people.management.commands.create_account.getpass",
            lambda prompt: next(replies),
        )

    return answer


def create(**options):
    options = {"agency": "Northshire IDVA Service", "role": "practitioner"} | options
    call_command("create_account", "Pat.Lead@IDVA.example", "Pat Lead", **options)


def test_makes_a_usable_account_in_a_new_agency_and_audits_both(typed):
    typed(PASSWORD, PASSWORD)

    create(new_agency_kind="idva_service")

    person = User.objects.get(email="pat.lead@idva.example")
    assert (person.role, person.agency.name, person.agency.kind) == (
        "practitioner",
        "Northshire IDVA Service",
        "idva_service",
    )
    assert person.check_password(PASSWORD)
    assert not AuthenticatorApp.objects.filter(user=person).exists()  # set up at sign-in
    created = AuditEvent.objects.get(verb=Verb.ACCOUNT_CREATED)
    assert (created.actor, created.origin, created.object_id) == (
        None,
        Origin.COMMAND,
        str(person.pk),
    )
    assert created.payload == {"role": "practitioner", "by": "the server"}
    assert AuditEvent.objects.filter(verb=Verb.AGENCY_CREATED).count() == 1


def test_joins_an_existing_agency(typed, idva_service):
    typed(PASSWORD, PASSWORD)

    create(agency=idva_service.name, role="team_manager")

    assert User.objects.get(email="pat.lead@idva.example").agency == idva_service
    assert not AuditEvent.objects.filter(verb=Verb.AGENCY_CREATED).exists()


def test_an_unknown_agency_is_refused_naming_the_agencies(typed, idva_service):
    typed(PASSWORD, PASSWORD)

    with pytest.raises(
        CommandError, match=f"No agency is called that. Agencies: {idva_service.name}"
    ):
        create(agency="Nowhere")

    assert not User.objects.filter(email="pat.lead@idva.example").exists()


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ((PASSWORD, PASSWORD + "x"), "The passwords do not match."),
        (("short", "short"), "This password is too short"),
        (("password1234", "password1234"), "This password is too common"),
    ],
)
def test_a_bad_password_is_refused_and_nothing_is_made(typed, answers, message):
    typed(*answers)

    with pytest.raises(CommandError, match=message):
        create(new_agency_kind="idva_service")

    assert not User.objects.exists()
    assert not Agency.objects.filter(name="Northshire IDVA Service").exists()
    assert not AuditEvent.objects.filter(verb=Verb.ACCOUNT_CREATED).exists()


def test_an_email_in_use_is_refused(typed, practitioner):
    typed(PASSWORD, PASSWORD)

    with pytest.raises(CommandError, match="This email address cannot be used"):
        call_command(
            "create_account",
            practitioner.email.upper(),
            "Someone Else",
            agency=practitioner.agency.name,
            role="practitioner",
        )

    assert User.objects.filter(email=practitioner.email).count() == 1


@pytest.mark.parametrize("role", ["victim_survivor", "superuser"])
def test_only_professional_roles_can_be_given(typed, role):
    typed(PASSWORD, PASSWORD)

    with pytest.raises(CommandError, match="role"):
        create(role=role, new_agency_kind="idva_service")

    assert not User.objects.exists()


def test_the_password_cannot_be_given_on_the_command_line(typed):
    with pytest.raises(CommandError, match="unrecognized arguments: --password"):
        call_command(
            "create_account",
            "pat@idva.example",
            "Pat Lead",
            "--agency=Northshire IDVA Service",
            "--role=practitioner",
            f"--password={PASSWORD}",
        )
