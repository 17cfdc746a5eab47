import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.sharing.models import Party
from orderwatch.sharing.services import party_change, party_contact_reveal
from orderwatch.sharing.tests.factories import PartyFactory
from orderwatch.sharing.tests.services.support import SCHOOL_CONTACT, school_values

pytestmark = pytest.mark.django_db


def _change(actor, party, **overrides):
    return party_change(
        actor=actor, case=party.case, party_id=party.pk, **school_values(**overrides)
    )


def test_a_change_is_saved_and_audited_naming_only_the_fields(practitioner, school):
    _change(practitioner, school, role="Headteacher", contact_details="head@oakfield.example")
    school.refresh_from_db()
    assert school.role == "Headteacher"
    assert school.contact_details.reveal() == "head@oakfield.example"
    event = AuditEvent.objects.get(verb=Verb.PARTY_CHANGED)
    assert event.fields == ["contact_details", "role"]
    assert "oakfield" not in str(event.chain_body())


def test_saving_without_a_change_records_nothing(practitioner, school):
    _change(practitioner, school)
    assert not AuditEvent.objects.filter(verb=Verb.PARTY_CHANGED).exists()


def test_an_external_contact_can_become_a_user(practitioner, school, colleague):
    party_change(
        actor=practitioner,
        case=school.case,
        party_id=school.pk,
        kind=Party.Kind.SCHOOL,
        user=colleague,
    )
    school.refresh_from_db()
    assert (school.user, school.name, school.organisation) == (colleague, "", "")
    assert not school.contact_details


def test_bad_input_changes_nothing(practitioner, school):
    with pytest.raises(ValidationError):
        _change(practitioner, school, name="", role="Headteacher")
    school.refresh_from_db()
    assert school.role == "Designated safeguarding lead"


def test_a_party_on_another_case_is_404(practitioner, case):
    other = PartyFactory()
    with pytest.raises(Http404):
        party_change(actor=practitioner, case=case, party_id=other.pk, **school_values())


def test_a_read_only_member_gets_403(team_auditor, school):
    with pytest.raises(PermissionDenied):
        _change(team_auditor, school, role="Headteacher")


def test_contact_details_are_revealed_to_a_sharer_and_the_look_is_recorded(practitioner, school):
    party, details = party_contact_reveal(
        actor=practitioner, case_id=school.case_id, party_id=school.pk
    )
    assert (party, details) == (school, SCHOOL_CONTACT)
    assert repr(details) == "[revealed, withheld]"
    event = AuditEvent.objects.get(verb=Verb.PARTY_CONTACT_REVEALED, object_id=str(school.pk))
    assert event.fields == ["contact_details"]
    assert event.actor == practitioner


def test_contact_details_are_not_for_read_only_members_or_outsiders(team_auditor, outsider, school):
    with pytest.raises(PermissionDenied):
        party_contact_reveal(actor=team_auditor, case_id=school.case_id, party_id=school.pk)
    with pytest.raises(Http404):
        party_contact_reveal(actor=outsider, case_id=school.case_id, party_id=school.pk)
    assert not AuditEvent.objects.filter(verb=Verb.PARTY_CONTACT_REVEALED).exists()
