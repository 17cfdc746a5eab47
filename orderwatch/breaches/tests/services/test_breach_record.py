import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Behaviour, Breach, BreachedCondition, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.breaches.tests.services.support import TOMORROW, YESTERDAY, counts
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.core.tests.clock import LONDON, TODAY
from orderwatch.notifications.models import Notification
from orderwatch.orders.models import OrderChange
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.patterns.models import PatternEscalation
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db

WITNESSES = "Sam Neighbour at number 5, 07700 900456"
WHAT_HAPPENED = "He stood at the end of her road at about nine and shouted that he would be back."


def _full_account(condition, **overrides):
    """An approximate-time breach against `condition`, with every optional part answered."""
    values = {
        "reported_to_practitioner_at": dt.datetime(2026, 3, 4, 9, 15, tzinfo=LONDON),
        "reported_by": Breach.ReportedBy.WITNESS,
        "reported_by_details": "  Her sister  ",
        "occurrence": Occurrence(Precision.APPROXIMATE, dt.date(2026, 3, 3), dt.time(21, 0)),
        "location": Breach.Location.NEAR_PROTECTED_ADDRESS,
        "location_details": "End of the road",
        "what_happened": f"  {WHAT_HAPPENED}  ",
        "behaviours": [Behaviour.THREATS, Behaviour.ATTENDING, Behaviour.THREATS],
        "severity": Breach.Severity.HIGH,
        "police_reported": True,
        "police_reported_on": dt.date(2026, 3, 4),
        "police_method": Breach.PoliceMethod.NON_EMERGENCY,
        "police_reference": " NP-2026-0042 ",
        "police_officer": "PC 1234 Jones",
        "respondent_supervised": Known.GIVEN,
        "probation_informed_on": dt.date(2026, 3, 4),
        "other_agencies": Known.GIVEN,
        "other_agencies_details": "The school's safeguarding lead",
        "others_present": Known.GIVEN,
        "others_present_details": "Her son",
        "witnesses": Known.GIVEN,
        "witness_details": WITNESSES,
        "actions": [Breach.Action.POLICE_REPORT, Breach.Action.MARAC_REFERRAL],
        "breached": {str(condition.pk): "  He came within 100 metres of the house.  "},
    }
    return breach_account(condition, **(values | overrides))


# The happy path


def test_a_breach_of_a_condition_at_an_approximate_time_is_saved_with_every_part(
    practitioner, case, condition
):
    breach = breach_record(actor=practitioner, case=case, account=_full_account(condition))

    breach = Breach.objects.get(pk=breach.pk)
    assert breach.case == case
    assert breach.created_by == practitioner
    assert breach.reported_to_practitioner_at == dt.datetime(2026, 3, 4, 9, 15, tzinfo=LONDON)
    assert (breach.reported_by, breach.reported_by_details) == ("witness", "Her sister")
    assert breach.occurrence == Occurrence(
        Precision.APPROXIMATE, dt.date(2026, 3, 3), dt.time(21, 0)
    )
    assert breach.occurrence.label() == "3 March 2026 at about 9pm"
    assert (breach.location, breach.location_details) == (
        "near_protected_address",
        "End of the road",
    )
    assert breach.what_happened == WHAT_HAPPENED
    assert breach.behaviours == ["attending", "threats"]
    assert breach.severity == Breach.Severity.HIGH
    assert breach.police_reported
    assert breach.police_reported_on == dt.date(2026, 3, 4)
    assert breach.police_method == "101"
    assert (breach.police_reference, breach.police_officer) == ("NP-2026-0042", "PC 1234 Jones")
    assert breach.not_reported_reason == ""
    assert not breach.police_report_outstanding
    assert (breach.respondent_supervised, breach.probation_informed_on) == (
        "given",
        dt.date(2026, 3, 4),
    )
    assert breach.other_agencies_details == "The school's safeguarding lead"
    assert breach.others_present_details == "Her son"
    assert breach.witnesses == "given"
    assert breach.witness_details.reveal() == WITNESSES
    assert str(breach.witness_details) == "[withheld]"
    assert breach.actions == ["marac_referral", "police_report"]
    assert not breach.matches_no_condition


def test_the_breached_condition_is_linked_exactly_with_how(practitioner, case, condition):
    ConditionFactory(order=condition.order, wording="Must not go within 100 metres.")
    breach = breach_record(actor=practitioner, case=case, account=_full_account(condition))
    linked = BreachedCondition.objects.get(breach=breach)
    assert linked.condition == condition
    assert linked.how == "He came within 100 metres of the house."
    assert list(breach.conditions.all()) == [condition]


def test_a_safety_plan_review_is_opened_once_for_the_lead_due_in_two_working_days(
    practitioner, colleague, case, condition
):
    breach = breach_record(actor=colleague, case=case, account=_full_account(condition))
    task = Task.objects.get(case=case)
    assert task.kind == Task.Kind.SAFETY_REVIEW
    assert (task.origin, task.origin_id) == (Task.Origin.BREACH, breach.pk)
    assert task.assignee == practitioner
    assert task.title == "Review the safety plan after a breach"
    # Recorded on Thursday 5 March: Friday, then (after the weekend) Monday.
    assert task.due_on == dt.date(2026, 3, 9)
    assert not task.is_done
    assert AuditEvent.objects.filter(verb=Verb.TASK_OPENED, object_id=str(task.pk)).count() == 1


def test_two_breaches_and_the_pattern_they_make_are_three_reasons_on_one_review(
    practitioner, case, condition, time_machine
):
    first = breach_record(actor=practitioner, case=case, account=_full_account(condition))
    due_on = Task.objects.get().due_on
    time_machine.shift(dt.timedelta(days=1))
    second = breach_record(actor=practitioner, case=case, account=breach_account(condition))

    (review,) = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW)
    first_reason, *later = [(r.origin, r.origin_id) for r in review.reasons.all()]
    assert first_reason == (Task.Origin.BREACH, first.pk)
    # Added at the same moment (time stands still here), so in either order.
    assert sorted(later) == sorted(
        [
            (Task.Origin.BREACH, second.pk),
            (Task.Origin.PATTERN, PatternEscalation.objects.get(code="course_of_conduct").pk),
        ]
    )
    assert review.title == "Review risk and the safety plan: 3 things have happened"
    assert (review.assignee, review.due_on) == (practitioner, due_on)  # the earlier due date


def test_conduct_matching_no_condition_is_an_incident_to_the_team_and_the_review(
    practitioner, colleague, case
):
    incident = breach_record(actor=colleague, case=case, account=breach_account())
    (review,) = Task.objects.filter(kind=Task.Kind.SAFETY_REVIEW)
    assert (review.origin, review.origin_id) == (Task.Origin.INCIDENT, incident.pk)
    assert review.title == "Review the safety plan after an incident"
    notification = Notification.objects.get(case=case)
    assert notification.kind == Notification.Kind.INCIDENT_RECORDED
    assert notification.get_kind_display() == "An incident that matches no condition was recorded"


def test_the_rest_of_the_team_is_notified_in_app_and_no_one_else(
    practitioner, colleague, case, condition, police, outsider
):
    officer = UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Off Icer")
    CaseTeamMembershipFactory(case=case, user=officer, capacity="Domestic abuse officer")
    former = UserFactory(agency=police, display_name="Form Er")
    CaseTeamMembershipFactory(case=case, user=former, left_at=timezone.now())

    breach = breach_record(actor=colleague, case=case, account=_full_account(condition))

    notified = Notification.objects.filter(case=case)
    assert sorted(n.recipient.display_name for n in notified) == ["Off Icer", "Pat Lead"]
    assert not Notification.objects.filter(recipient__in=[colleague, former, outsider]).exists()
    assert all(n.read_at is None for n in notified)
    assert {n.link for n in notified} == {breach.get_absolute_url()}


def test_a_notification_says_only_the_kind_and_the_case_reference(
    practitioner, case, condition, police
):
    officer = UserFactory(agency=police, role=User.Role.PRACTITIONER)
    CaseTeamMembershipFactory(case=case, user=officer)

    breach_record(actor=practitioner, case=case, account=_full_account(condition))

    notification = Notification.objects.get(recipient=officer)
    assert notification.kind == Notification.Kind.BREACH_RECORDED
    assert notification.message == f"A breach was recorded on case {case.reference}"
    victim = case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
    for secret in (
        victim.given_name,
        victim.family_name,
        practitioner.display_name,
        "Jones",
        "road",
        "Neighbour",
        "NP-2026",
        condition.wording,
    ):
        assert secret not in notification.message
        assert secret not in notification.link


def test_the_lead_recording_gets_the_task_but_no_notification(practitioner, case, condition):
    breach_record(actor=practitioner, case=case, account=_full_account(condition))
    assert Task.objects.get().assignee == practitioner
    assert not Notification.objects.exists()


def test_recording_is_audited_without_the_witness_details(practitioner, case, condition):
    breach = breach_record(actor=practitioner, case=case, account=_full_account(condition))
    event = AuditEvent.objects.get(verb=Verb.BREACH_RECORDED)
    assert (event.actor, event.case_id, event.object_id) == (practitioner, case.pk, str(breach.pk))
    assert event.fields == ["witness_details"]
    assert event.payload == {"conditions": [str(condition.pk)]}
    body = str(event.chain_body())
    assert "Neighbour" not in body
    assert WHAT_HAPPENED not in body


def test_a_breach_matching_no_condition_is_recorded_as_such(practitioner, case, order):
    breach = breach_record(actor=practitioner, case=case, account=breach_account())
    breach.refresh_from_db()
    assert breach.matches_no_condition
    assert not breach.conditions.exists()
    assert Task.objects.filter(origin_id=breach.pk).exists()
    assert AuditEvent.objects.get(verb=Verb.BREACH_RECORDED).payload == {"conditions": []}


def test_a_breach_on_a_case_with_no_order_may_match_no_condition(practitioner, case):
    breach = breach_record(actor=practitioner, case=case, account=breach_account())
    assert breach.matches_no_condition


def test_police_details_are_not_kept_for_a_breach_not_reported(practitioner, case, condition):
    account = breach_account(
        condition,
        police_reported=False,
        police_reference="NP-LEFTOVER",
        not_reported_reason="  Not yet: she is deciding.  ",
    )
    breach = breach_record(actor=practitioner, case=case, account=account)
    breach.refresh_from_db()
    assert (breach.police_reported_on, breach.police_method, breach.police_reference) == (
        None,
        "",
        "",
    )
    assert breach.not_reported_reason == "Not yet: she is deciding."
    assert breach.police_report_outstanding


def test_details_for_answers_other_than_yes_are_not_kept(practitioner, case, condition):
    account = breach_account(
        condition,
        witnesses=Known.NOT_KNOWN,
        witness_details="Someone she half remembers",
        others_present=Known.NONE,
        others_present_details="Leftover",
        respondent_supervised=Known.NOT_KNOWN,
        probation_informed_on=YESTERDAY,
    )
    breach = breach_record(actor=practitioner, case=case, account=account)
    breach.refresh_from_db()
    assert breach.witness_details.reveal() == ""
    assert breach.others_present_details == ""
    assert breach.probation_informed_on is None
    assert AuditEvent.objects.get(verb=Verb.BREACH_RECORDED).fields == []


def test_a_range_ending_in_force_counts_for_an_order_that_started_during_it(practitioner, case):
    order = OrderFactory(case=case, made_on=TODAY - dt.timedelta(days=3))
    condition = ConditionFactory(order=order)
    account = breach_account(
        condition,
        occurrence=Occurrence(Precision.RANGE, TODAY - dt.timedelta(days=7), until=YESTERDAY),
        police_reported_on=YESTERDAY,
    )
    breach = breach_record(actor=practitioner, case=case, account=account)
    assert breach.happened_until == YESTERDAY
    assert breach.happened_at_time is None


# Bad input: a clear error on the right field, and nothing saved


def _other_case_condition(case, condition):
    return ConditionFactory(order=OrderFactory(case=CaseFactory()))


def _not_yet_in_force(case, condition):
    return ConditionFactory(order=OrderFactory(case=case, made_on=TODAY))


def _discharged(case, condition):
    order = OrderFactory(case=case)
    OrderChange.objects.create(
        order=order, kind=OrderChange.Kind.DISCHARGED, made_on=TODAY - dt.timedelta(days=5)
    )
    return ConditionFactory(order=order)


def _expired(case, condition):
    return ConditionFactory(
        order=OrderFactory(
            case=case, made_on=TODAY - dt.timedelta(days=400), ends_on=TODAY - dt.timedelta(days=2)
        )
    )


def _ended(case, condition):
    return ConditionFactory(order=condition.order, ended_on=TODAY - dt.timedelta(days=5))


def _future_time_today(condition):
    occurrence = Occurrence(Precision.EXACT, TODAY, dt.time(18, 0))
    return breach_account(condition, occurrence=occurrence, police_reported_on=TODAY)


BAD_ACCOUNTS = {
    "exact time later today": (_future_time_today, "happened_at_time"),
    "date tomorrow": (
        lambda c: breach_account(
            c,
            occurrence=Occurrence(Precision.DATE, TOMORROW),
            police_reported=False,
            not_reported_reason="Deciding.",
        ),
        "happened_on",
    ),
    "range ending tomorrow": (
        lambda c: breach_account(
            c, occurrence=Occurrence(Precision.RANGE, YESTERDAY, None, TOMORROW)
        ),
        "happened_until",
    ),
    "range ending before it starts": (
        lambda c: breach_account(
            c,
            occurrence=Occurrence(
                Precision.RANGE, YESTERDAY, None, YESTERDAY - dt.timedelta(days=3)
            ),
        ),
        "happened_until",
    ),
    "reported to practitioner before it happened": (
        lambda c: breach_account(
            c, reported_to_practitioner_at=dt.datetime(2026, 3, 4, 13, 30, tzinfo=LONDON)
        ),
        "reported_to_practitioner_at",
    ),
    "reported to practitioner in the future": (
        lambda c: breach_account(
            c, reported_to_practitioner_at=dt.datetime(2026, 3, 5, 10, 30, tzinfo=LONDON)
        ),
        "reported_to_practitioner_at",
    ),
    "police reported without a reference": (
        lambda c: breach_account(c, police_reference=""),
        "police_reference",
    ),
    "not reported without a reason": (
        lambda c: breach_account(c, police_reported=False, not_reported_reason=" "),
        "not_reported_reason",
    ),
    "conditions and matches none": (
        lambda c: breach_account(c, matches_no_condition=True),
        "conditions",
    ),
    "neither conditions nor matches none": (
        lambda c: breach_account(matches_no_condition=False),
        "conditions",
    ),
    "how missing": (
        lambda c: breach_account(c, breached={str(c.pk): "   "}),
        None,  # how_<condition id>
    ),
    "witnesses given without details": (
        lambda c: breach_account(c, witnesses=Known.GIVEN, witness_details=""),
        "witness_details",
    ),
    "nothing yet and another action": (
        lambda c: breach_account(
            c, actions=[Breach.Action.NOTHING_YET, Breach.Action.SUPPORT_REFERRAL]
        ),
        "actions",
    ),
    "other action without details": (
        lambda c: breach_account(c, actions=[Breach.Action.OTHER], action_details=""),
        "action_details",
    ),
    "probation informed in the future": (
        lambda c: breach_account(
            c, respondent_supervised=Known.GIVEN, probation_informed_on=TOMORROW
        ),
        "probation_informed_on",
    ),
}


@pytest.mark.parametrize(("make", "field"), BAD_ACCOUNTS.values(), ids=BAD_ACCOUNTS.keys())
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    practitioner, colleague, case, condition, make, field
):
    account = make(condition)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        breach_record(actor=practitioner, case=case, account=account)
    assert set(refused.value.message_dict) == {field or f"how_{condition.pk}"}
    assert counts() == before


def test_police_reported_with_nothing_else_asks_for_every_part(practitioner, case, condition):
    account = breach_account(
        condition,
        police_reported_on=None,
        police_method="",
        police_reference="",
        police_officer="",
        police_officer_not_known=False,
    )
    before = counts()
    with pytest.raises(ValidationError) as refused:
        breach_record(actor=practitioner, case=case, account=account)
    assert set(refused.value.message_dict) == {
        "police_reported_on",
        "police_method",
        "police_reference",
        "police_officer",
    }
    assert counts() == before


BAD_CONDITIONS = {
    "from another case's order": (_other_case_condition, "Select conditions from the orders"),
    "of an order not yet in force then": (_not_yet_in_force, "was not in force"),
    "of an order discharged before": (_discharged, "was not in force"),
    "of an order that had expired": (_expired, "was not in force"),
    "that had ended": (_ended, "no longer applied"),
}


@pytest.mark.parametrize(("make", "message"), BAD_CONDITIONS.values(), ids=BAD_CONDITIONS.keys())
def test_a_condition_that_could_not_have_been_breached_is_refused(
    practitioner, colleague, case, condition, make, message
):
    bad = make(case, condition)
    account = breach_account(bad)
    before = counts()
    with pytest.raises(ValidationError) as refused:
        breach_record(actor=practitioner, case=case, account=account)
    assert list(refused.value.message_dict) == ["conditions"]
    assert message in refused.value.message_dict["conditions"][0]
    assert counts() == before


def test_a_good_condition_with_a_bad_one_saves_nothing(practitioner, colleague, case, condition):
    bad = _other_case_condition(case, condition)
    account = breach_account(
        condition, breached={str(condition.pk): "Called her.", str(bad.pk): "Called her."}
    )
    before = counts()
    with pytest.raises(ValidationError, match="Select conditions from the orders on this case"):
        breach_record(actor=practitioner, case=case, account=account)
    assert counts() == before


# Who may record


def test_someone_not_on_the_team_gets_404_and_nothing_is_saved(outsider, case, condition):
    before = counts()
    with pytest.raises(Http404):
        breach_record(actor=outsider, case=case, account=breach_account(condition))
    assert counts() == before


def test_someone_who_has_left_the_team_gets_404(idva_service, case, condition):
    former = UserFactory(agency=idva_service)
    CaseTeamMembershipFactory(case=case, user=former, left_at=timezone.now())
    with pytest.raises(Http404):
        breach_record(actor=former, case=case, account=breach_account(condition))


def test_an_auditor_on_the_team_may_not_record_a_breach(team_auditor, case, condition):
    before = counts()
    with pytest.raises(PermissionDenied):
        breach_record(actor=team_auditor, case=case, account=breach_account(condition))
    assert counts() == before


@pytest.mark.parametrize("spelling", [str.upper, lambda pk: pk.replace("-", "")])
def test_a_condition_id_spelled_another_way_still_links_that_condition(
    practitioner, case, condition, spelling
):
    account = breach_account(condition, breached={spelling(str(condition.pk)): "Rang her."})
    breach = breach_record(actor=practitioner, case=case, account=account)
    assert BreachedCondition.objects.get(breach=breach).condition == condition


def test_a_condition_id_that_is_not_an_id_is_refused_on_conditions(practitioner, case, order):
    account = breach_account(breached={"not-a-condition": "Rang her."})
    before = counts()
    with pytest.raises(ValidationError) as refused:
        breach_record(actor=practitioner, case=case, account=account)
    assert refused.value.message_dict == {
        "conditions": ["Select conditions from the orders on this case"]
    }
    assert counts() == before


def test_a_range_counts_for_an_order_in_force_only_in_the_middle_of_it(practitioner, case):
    """A short order (such as a 28-day DVPO) made and ended inside a range of dates."""
    order = OrderFactory(
        case=case,
        made_on=TODAY - dt.timedelta(days=40),
        ends_on=TODAY - dt.timedelta(days=20),
    )
    condition = ConditionFactory(order=order)
    account = breach_account(
        condition,
        occurrence=Occurrence(
            Precision.RANGE, TODAY - dt.timedelta(days=50), until=TODAY - dt.timedelta(days=10)
        ),
        police_reported_on=YESTERDAY,
    )
    breach = breach_record(actor=practitioner, case=case, account=account)
    assert list(breach.conditions.all()) == [condition]


def test_a_range_wholly_before_an_order_started_is_refused(practitioner, case):
    order = OrderFactory(case=case, made_on=TODAY - dt.timedelta(days=5))
    account = breach_account(
        ConditionFactory(order=order),
        occurrence=Occurrence(
            Precision.RANGE, TODAY - dt.timedelta(days=20), until=TODAY - dt.timedelta(days=6)
        ),
        police_reported_on=YESTERDAY,
    )
    with pytest.raises(ValidationError, match="was not in force when this happened"):
        breach_record(actor=practitioner, case=case, account=account)


def test_a_report_shortly_before_an_approximate_time_is_accepted(practitioner, condition):
    """ "About 3pm" could have been 2:30pm: a report at 2:45pm is not "before it happened"."""
    breach = breach_record(
        actor=practitioner,
        case=condition.order.case,
        account=breach_account(
            condition, reported_to_practitioner_at=dt.datetime(2026, 3, 4, 14, 45, tzinfo=LONDON)
        ),
    )
    assert breach.reported_to_practitioner_at.hour == 14
