import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.sharing.models import Party
from orderwatch.sharing.services import party_add
from orderwatch.sharing.tests.services.support import (
    SCHOOL_CONTACT,
    counts,
    open_share_tasks,
    school_values,
)
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db


def _raw_contact_details(party) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT contact_details FROM {Party._meta.db_table} WHERE id = %s",  # noqa: S608
            [party.pk.hex if connection.vendor == "sqlite" else party.pk],
        )
        return cursor.fetchone()[0]


def test_an_external_contact_is_added_with_contact_details_encrypted(school):
    assert school.display_name == "Sam Teacher"
    assert school.display_organisation == "Oakfield Primary School"
    raw = _raw_contact_details(school)
    assert raw
    assert "oakfield" not in raw
    assert "01632" not in raw
    assert school.contact_details.reveal() == SCHOOL_CONTACT
    assert str(school.contact_details) == "[withheld]"


def test_adding_a_party_is_audited_without_their_details(practitioner, case, school):
    event = AuditEvent.objects.get(verb=Verb.PARTY_ADDED)
    assert (event.actor, event.object_id, event.case_id) == (practitioner, str(school.pk), case.pk)
    assert event.fields == ["contact_details", "kind", "name", "organisation", "role"]
    assert event.payload == {"kind": "school", "user": None}
    assert "Sam Teacher" not in str(event.chain_body())


def test_adding_a_party_opens_one_task_to_tell_them_for_the_lead(practitioner, school):
    (task,) = open_share_tasks(school)
    assert task.kind == Task.Kind.SHARE
    assert task.origin_key == "added"
    assert task.assignee == practitioner
    assert task.due_on == dt.date(2026, 3, 9)
    assert task.title == "Tell someone who needs to know about the order (School or nursery)"
    assert "Sam Teacher" not in task.title


def test_someone_who_uses_orderwatch_can_be_added_without_being_on_the_team(
    practitioner, case, colleague
):
    party = party_add(
        actor=practitioner, case=case, kind=Party.Kind.IDVA, user=colleague, role="Outreach"
    )
    assert party.display_name == "Col League"
    assert party.display_organisation == colleague.agency.name
    assert not case.team_memberships.filter(user=colleague).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"kind": ""}, "kind", "Select what kind of service they are from"),
        ({"kind": "cafe"}, "kind", "Select what kind of service they are from"),
        ({"name": "  "}, "name", "Enter their name, or choose someone who uses OrderWatch"),
        ({"organisation": ""}, "organisation", "Enter the organisation they work for"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(practitioner, case, overrides, field, message):
    before = counts()
    with pytest.raises(ValidationError) as error:
        party_add(actor=practitioner, case=case, **school_values(**overrides))
    assert error.value.message_dict[field] == [message]
    assert counts() == before


def test_a_user_and_an_external_contact_at_once_is_refused(practitioner, case, colleague):
    before = counts()
    with pytest.raises(ValidationError) as error:
        party_add(actor=practitioner, case=case, user=colleague, **school_values())
    assert error.value.message_dict["user"] == [
        "Choose someone who uses OrderWatch, or enter an external contact – not both"
    ]
    assert counts() == before


@pytest.mark.parametrize(
    "user_values",
    [{"is_active": False}, {"role": User.Role.AUDITOR}],
    ids=["inactive", "auditor"],
)
def test_only_active_practitioners_and_managers_can_be_chosen(practitioner, case, user_values):
    user = UserFactory(**user_values)
    with pytest.raises(ValidationError) as error:
        party_add(actor=practitioner, case=case, kind=Party.Kind.POLICE, user=user)
    assert error.value.message_dict["user"] == ["Choose someone who uses OrderWatch now"]
    assert not Party.objects.exists()


def test_the_same_user_is_added_once(practitioner, case, colleague):
    party_add(actor=practitioner, case=case, kind=Party.Kind.IDVA, user=colleague)
    with pytest.raises(ValidationError) as error:
        party_add(actor=practitioner, case=case, kind=Party.Kind.OTHER, user=colleague)
    assert error.value.message_dict["user"] == ["They are already on the list for this case"]
    assert Party.objects.count() == 1


def test_someone_not_on_the_team_gets_404_and_nothing_is_saved(outsider, case):
    before = counts()
    with pytest.raises(Http404):
        party_add(actor=outsider, case=case, **school_values())
    assert counts() == before


def test_a_read_only_member_gets_403_and_nothing_is_saved(team_auditor, case):
    before = counts()
    with pytest.raises(PermissionDenied):
        party_add(actor=team_auditor, case=case, **school_values())
    assert counts() == before
