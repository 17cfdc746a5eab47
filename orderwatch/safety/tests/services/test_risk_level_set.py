"""Setting the risk level keeps every earlier level as history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.safety.models import RiskAssessment
from orderwatch.safety.selectors import risk_history, risk_picture
from orderwatch.safety.services import risk_level_set

pytestmark = pytest.mark.django_db


def test_each_level_set_is_kept_and_the_newest_is_current(
    practitioner, colleague, case, time_machine
):
    first = risk_level_set(
        actor=practitioner, case=case, level="standard", reason=" First assessment. "
    )
    time_machine.shift(dt.timedelta(days=3))
    second = risk_level_set(
        actor=colleague, case=case, level="high", reason="Threats made at the school gate."
    )
    assert list(risk_history(case=case)) == [second, first]
    assert first.reason == "First assessment."
    picture = risk_picture(case=case)
    assert (picture.current, picture.breach_since) == (second, False)
    assert (second.created_by, second.get_level_display()) == (colleague, "High")
    events = AuditEvent.objects.filter(verb=Verb.RISK_LEVEL_SET).order_by("sequence")
    assert [e.payload for e in events] == [{"level": "standard"}, {"level": "high"}]


def test_a_breach_after_the_level_was_set_asks_for_a_reassessment(practitioner, case, time_machine):
    risk_level_set(actor=practitioner, case=case, level="medium", reason="After the first visit.")
    assert not risk_picture(case=case).breach_since
    time_machine.shift(dt.timedelta(hours=1))
    BreachFactory(case=case)
    assert risk_picture(case=case).breach_since
    time_machine.shift(dt.timedelta(hours=1))
    risk_level_set(actor=practitioner, case=case, level="high", reason="After the breach.")
    assert not risk_picture(case=case).breach_since


@pytest.mark.parametrize(
    ("level", "reason", "field"),
    [("severe", "Why", "level"), ("", "Why", "level"), ("high", "  ", "reason")],
)
def test_a_level_without_a_known_level_or_a_reason_is_refused(
    practitioner, case, level, reason, field
):
    with pytest.raises(ValidationError) as error:
        risk_level_set(actor=practitioner, case=case, level=level, reason=reason)
    assert field in error.value.message_dict
    assert not RiskAssessment.objects.exists()
    assert not AuditEvent.objects.filter(verb=Verb.RISK_LEVEL_SET).exists()


def test_only_the_case_team_who_work_with_the_family_may_set_it(case, team_auditor, outsider):
    with pytest.raises(PermissionDenied):
        risk_level_set(actor=team_auditor, case=case, level="high", reason="Because.")
    with pytest.raises(Http404):
        risk_level_set(actor=outsider, case=case, level="high", reason="Because.")
    assert not RiskAssessment.objects.exists()
