import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Breach
from orderwatch.breaches.selectors import case_breaches_summary
from orderwatch.breaches.services import breach_police_report_update
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.breaches.tests.services.support import TOMORROW, YESTERDAY
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.core.tests.clock import TODAY

pytestmark = pytest.mark.django_db


def _report(actor, breach, **overrides):
    values = {
        "actor": actor,
        "case": breach.case,
        "breach_id": breach.pk,
        "now_reported": True,
        "reported_on": TODAY,
        "method": Breach.PoliceMethod.ONLINE,
        "reference": " NP-2026-0777 ",
        "officer": "",
        "officer_not_known": True,
    }
    return breach_police_report_update(**(values | overrides))


def _as_stored(breach) -> dict:
    return Breach.objects.filter(pk=breach.pk).values().get()


def test_an_outstanding_breach_now_reported_is_no_longer_flagged(practitioner, unreported):
    assert unreported.police_report_outstanding
    assert case_breaches_summary(case=unreported.case).police_report_outstanding == 1

    _report(practitioner, unreported)

    breach = Breach.objects.get(pk=unreported.pk)
    assert breach.police_reported
    assert (breach.police_reported_on, breach.police_method, breach.police_reference) == (
        TODAY,
        "online",
        "NP-2026-0777",
    )
    assert breach.police_officer == ""
    assert not breach.police_report_outstanding
    assert case_breaches_summary(case=breach.case).police_report_outstanding == 0
    event = AuditEvent.objects.get(verb=Verb.BREACH_POLICE_REPORT)
    assert (event.actor, event.object_id, event.payload) == (
        practitioner,
        str(breach.pk),
        {"now_reported": True},
    )


def test_a_named_officer_is_kept(practitioner, unreported):
    _report(practitioner, unreported, officer=" PC 99 Patel ", officer_not_known=False)
    assert Breach.objects.get(pk=unreported.pk).police_officer == "PC 99 Patel"


def test_a_reason_it_will_not_be_reported_resolves_it(practitioner, unreported):
    breach_police_report_update(
        actor=practitioner,
        case=unreported.case,
        breach_id=unreported.pk,
        now_reported=False,
        resolution="  Agreed with her: a civil order route instead.  ",
    )
    breach = Breach.objects.get(pk=unreported.pk)
    assert not breach.police_reported
    assert breach.not_reported_resolution == "Agreed with her: a civil order route instead."
    assert not breach.police_report_outstanding
    assert AuditEvent.objects.get(verb=Verb.BREACH_POLICE_REPORT).payload == {"now_reported": False}


def test_a_breach_reported_when_recorded_cannot_be_updated(practitioner, recorded):
    before = _as_stored(recorded)
    with pytest.raises(ValidationError, match="already been recorded"):
        _report(practitioner, recorded)
    assert _as_stored(recorded) == before
    assert not AuditEvent.objects.filter(verb=Verb.BREACH_POLICE_REPORT).exists()


def test_a_resolved_breach_cannot_be_resolved_again(practitioner, unreported):
    _report(practitioner, unreported)
    with pytest.raises(ValidationError, match="already been recorded"):
        _report(practitioner, unreported, reference="NP-OTHER")
    assert Breach.objects.get(pk=unreported.pk).police_reference == "NP-2026-0777"
    assert AuditEvent.objects.filter(verb=Verb.BREACH_POLICE_REPORT).count() == 1


BAD_REPORTS = {
    "no reference": ({"reference": "  "}, {"police_reference"}),
    "no date, method or officer": (
        {"reported_on": None, "method": "", "officer_not_known": False},
        {"police_reported_on", "police_method", "police_officer"},
    ),
    "reported in the future": ({"reported_on": TOMORROW}, {"police_reported_on"}),
    "reported before it happened": (
        {"reported_on": YESTERDAY - dt.timedelta(days=1)},
        {"police_reported_on"},
    ),
    "will not be reported, no reason": (
        {"now_reported": False, "resolution": "  "},
        {"resolution"},
    ),
}


@pytest.mark.parametrize(("overrides", "fields"), BAD_REPORTS.values(), ids=BAD_REPORTS.keys())
def test_bad_input_saves_nothing_and_the_breach_stays_flagged(
    practitioner, unreported, overrides, fields
):
    before = _as_stored(unreported)
    with pytest.raises(ValidationError) as refused:
        _report(practitioner, unreported, **overrides)
    assert set(refused.value.message_dict) == fields
    assert _as_stored(unreported) == before
    assert Breach.objects.get(pk=unreported.pk).police_report_outstanding
    assert not AuditEvent.objects.filter(verb=Verb.BREACH_POLICE_REPORT).exists()


def test_someone_not_on_the_team_gets_404(outsider, unreported):
    with pytest.raises(Http404):
        _report(outsider, unreported)
    assert Breach.objects.get(pk=unreported.pk).police_report_outstanding


def test_an_auditor_on_the_team_may_not_update_it(team_auditor, unreported):
    with pytest.raises(PermissionDenied):
        _report(team_auditor, unreported)
    assert Breach.objects.get(pk=unreported.pk).police_report_outstanding


def test_a_breach_on_another_case_is_404_even_to_a_member_of_both(practitioner, case):
    other_case = CaseFactory()
    CaseTeamMembershipFactory(case=other_case, user=practitioner)
    elsewhere = BreachFactory(case=other_case)
    with pytest.raises(Http404):
        breach_police_report_update(
            actor=practitioner,
            case=case,
            breach_id=elsewhere.pk,
            now_reported=False,
            resolution="Decided not to.",
        )
    assert Breach.objects.get(pk=elsewhere.pk).police_report_outstanding


def test_a_decision_not_to_report_can_be_followed_by_a_report(practitioner, unreported):
    breach_police_report_update(
        actor=practitioner,
        case=unreported.case,
        breach_id=unreported.pk,
        now_reported=False,
        resolution="She does not want to report it now.",
    )
    with pytest.raises(ValidationError, match="already been recorded"):
        breach_police_report_update(
            actor=practitioner,
            case=unreported.case,
            breach_id=unreported.pk,
            now_reported=False,
            resolution="Asked again.",
        )
    _report(practitioner, unreported)
    breach = Breach.objects.get(pk=unreported.pk)
    assert breach.police_reported
    assert breach.police_reference == "NP-2026-0777"
