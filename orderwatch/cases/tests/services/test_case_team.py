import pytest
from django.core.exceptions import ValidationError

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.services import case_person_add

pytestmark = pytest.mark.django_db


def test_person_added_with_aliases_and_audited(practitioner, case):
    person = case_person_add(
        actor=practitioner,
        case=case,
        role="respondent",
        given_name="Chris",
        family_name="Rivers",
        aliases=[" Kit ", "", "K. Rivers"],
    )
    assert person.aliases == ["Kit", "K. Rivers"]
    event = AuditEvent.objects.get(verb=Verb.PERSON_ADDED, object_id=str(person.pk))
    assert "Chris" not in str(event.payload)


def test_a_second_victim_survivor_is_refused(practitioner, case):
    with pytest.raises(ValidationError):
        case_person_add(actor=practitioner, case=case, role="victim_survivor", given_name="X")
