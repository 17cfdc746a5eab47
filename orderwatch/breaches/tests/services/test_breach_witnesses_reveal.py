import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Breach, Known
from orderwatch.breaches.services import breach_record, breach_witnesses_reveal
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.breaches.tests.services.support import fresh_step_up
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory

pytestmark = pytest.mark.django_db

WITNESSES = "Jo Bystander, 07700 900987, works at the corner shop"
REASON = "Passing to the officer in charge for statements"


@pytest.fixture
def witnessed(practitioner, case, condition):
    account = breach_account(condition, witnesses=Known.GIVEN, witness_details=WITNESSES)
    return breach_record(actor=practitioner, case=case, account=account)


def _raw_witness_details(breach) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT witness_details FROM {Breach._meta.db_table} WHERE id = %s",  # noqa: S608
            [breach.pk.hex if connection.vendor == "sqlite" else breach.pk],
        )
        return cursor.fetchone()[0]


def _reveal(actor, breach, *, reason=REASON, step_up=None):
    return breach_witnesses_reveal(
        actor=actor,
        case=breach.case,
        breach_id=breach.pk,
        reason=reason,
        step_up=step_up or fresh_step_up(actor),
    )


def _reveals() -> int:
    return AuditEvent.objects.filter(verb=Verb.WITNESSES_REVEALED).count()


def test_witness_details_are_stored_encrypted(witnessed):
    raw = _raw_witness_details(witnessed)
    assert raw
    assert "Bystander" not in raw
    assert "07700" not in raw


def test_reveal_gives_the_details_and_records_who_and_why(practitioner, witnessed):
    assert _reveal(practitioner, witnessed, reason=f"  {REASON} ") == WITNESSES
    event = AuditEvent.objects.get(verb=Verb.WITNESSES_REVEALED)
    assert (event.actor, event.case_id, event.object_id) == (
        practitioner,
        witnessed.case_id,
        str(witnessed.pk),
    )
    assert event.fields == ["witness_details"]
    assert event.notes.get(name="reason").text == REASON
    assert "Bystander" not in str(event.chain_body())
    assert REASON not in str(event.chain_body())


def test_another_practitioner_on_the_team_may_reveal(colleague, witnessed):
    assert _reveal(colleague, witnessed) == WITNESSES


def test_reveal_needs_a_real_reason(practitioner, witnessed):
    with pytest.raises(ValidationError) as refused:
        _reveal(practitioner, witnessed, reason="  need  ")
    assert list(refused.value.message_dict) == ["reason"]
    assert _reveals() == 0


def test_reveal_needs_a_step_up_from_the_same_person(practitioner, colleague, witnessed):
    with pytest.raises(PermissionDenied):
        _reveal(practitioner, witnessed, step_up=fresh_step_up(colleague))
    assert _reveals() == 0


def test_reveal_needs_a_fresh_step_up(practitioner, witnessed, time_machine):
    stale = fresh_step_up(practitioner)
    time_machine.shift(dt.timedelta(minutes=3))
    with pytest.raises(PermissionDenied):
        _reveal(practitioner, witnessed, step_up=stale)
    assert _reveals() == 0


def test_someone_not_on_the_team_gets_404(outsider, witnessed):
    with pytest.raises(Http404):
        _reveal(outsider, witnessed)
    assert _reveals() == 0


def test_someone_who_has_left_the_team_gets_404(idva_service, case, witnessed):
    former = UserFactory(agency=idva_service)
    CaseTeamMembershipFactory(case=case, user=former, left_at=timezone.now())
    with pytest.raises(Http404):
        _reveal(former, witnessed)


def test_an_auditor_on_the_team_may_not_reveal(team_auditor, witnessed):
    with pytest.raises(PermissionDenied):
        _reveal(team_auditor, witnessed)
    assert _reveals() == 0


def test_a_breach_on_another_case_is_404_even_to_a_member_of_both(practitioner, case):
    other_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=practitioner)
    elsewhere = BreachFactory(case=other_case)
    with pytest.raises(Http404):
        breach_witnesses_reveal(
            actor=practitioner,
            case=case,
            breach_id=elsewhere.pk,
            reason=REASON,
            step_up=fresh_step_up(practitioner),
        )
    assert _reveals() == 0
