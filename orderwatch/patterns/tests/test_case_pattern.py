"""The case's pattern as read from the database: which records count, as what, and for whom."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orderwatch.access.policy import case_lock_for_change
from orderwatch.breaches.models import Behaviour, BreachedCondition
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import BreachFactory, breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CasePersonFactory
from orderwatch.evidence.models import EvidenceIncident, EvidenceRemoval
from orderwatch.evidence.tests.factories import (
    EvidenceBreachLinkFactory,
    EvidenceItemFactory,
)
from orderwatch.orders.models import OrderChange
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.patterns.kept import Kept
from orderwatch.patterns.selectors import case_pattern
from orderwatch.safety.services import risk_level_set

pytestmark = pytest.mark.django_db


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def marked(case, *, on, behaviours=("online",), severity=None, **item):
    evidence = EvidenceItemFactory(case=case, happened_on=on, **item)
    EvidenceIncident.objects.create(item=evidence, behaviours=list(behaviours), severity=severity)
    return evidence


@pytest.fixture
def order_case(order):
    return order.case


def test_one_breach_is_counted_with_no_prompt(order_case):
    BreachFactory(case=order_case, happened_on=days_ago(2), matches_no_condition=False)
    pattern = case_pattern(case=order_case)
    assert pattern.analysis.window(7).words() == "1"
    assert pattern.flags == []
    assert (pattern.breach_count, pattern.no_condition_count) == (1, 0)


def test_an_incident_that_matches_no_condition_is_counted_apart_and_in_the_pattern(
    practitioner, order
):
    condition = order.conditions.get()
    breach_record(
        actor=practitioner,
        case=order.case,
        account=breach_account(condition, occurrence=Occurrence(Precision.DATE, days_ago(3))),
    )
    breach_record(
        actor=practitioner,
        case=order.case,
        account=breach_account(
            None, occurrence=Occurrence(Precision.DATE, days_ago(1)), matches_no_condition=True
        ),
    )
    pattern = case_pattern(case=order.case)
    assert (pattern.breach_count, pattern.no_condition_count, pattern.evidence_count) == (1, 1, 0)
    # Both are incidents of the pattern: two occasions, so a possible course of conduct.
    assert len(pattern.incidents) == 2
    assert pattern.analysis.window(7).words() == "2"
    (flag,) = [f for f in pattern.flags if f.flag.code == "course_of_conduct"]
    assert sorted(incident.label.split(":")[0] for incident in flag.incidents) == [
        "Breach",
        "Incident",
    ]


def test_two_breaches_by_the_orders_respondent_prompt_a_course_of_conduct(practitioner, order):
    condition = order.conditions.get()
    for days in (3, 1):
        occurrence_day = days_ago(days)
        breach_record(
            actor=practitioner,
            case=order.case,
            account=breach_account(
                condition,
                occurrence=Occurrence(Precision.DATE, occurrence_day),
                police_reported_on=occurrence_day,
            ),
        )
    pattern = case_pattern(case=order.case)
    (flag,) = [f for f in pattern.flags if f.flag.code == "course_of_conduct"]
    assert flag.flag.respondent == str(order.respondent_id)
    assert flag.flag.towards == str(order.case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR).pk)
    assert [incident.source for incident in flag.incidents] == ["breach", "breach"]
    assert all(incident.label.startswith("Breach: ") for incident in flag.incidents)
    assert "may amount to harassment" in flag.flag.reason
    assert flag.title == "May be a course of conduct (harassment)"


def test_evidence_marked_as_an_incident_counts_alongside_breaches(order_case):
    BreachFactory(case=order_case, happened_on=days_ago(5))
    marked(order_case, on=days_ago(2), severity=2)
    pattern = case_pattern(case=order_case)
    assert (pattern.breach_count, pattern.no_condition_count, pattern.evidence_count) == (0, 1, 1)
    assert pattern.analysis.window(7).words() == "2"
    assert {f.flag.code for f in pattern.flags} >= {"course_of_conduct"}


def test_evidence_linked_to_a_breach_is_counted_once_as_that_breach(order_case):
    breach = BreachFactory(case=order_case, happened_on=days_ago(5))
    item = marked(order_case, on=days_ago(5))
    EvidenceBreachLinkFactory(item=item, breach=breach)
    pattern = case_pattern(case=order_case)
    assert [incident.source for incident in pattern.incidents] == ["breach"]
    assert pattern.flags == []


def test_removed_and_corrected_items_are_not_counted(order_case, practitioner):
    removed = marked(order_case, on=days_ago(5))
    EvidenceRemoval.objects.create(item=removed, reason="Added to the wrong case")
    earlier = marked(order_case, on=days_ago(4))
    correction = marked(order_case, on=days_ago(3), corrects=earlier)
    pattern = case_pattern(case=order_case)
    assert [incident.id for incident in pattern.incidents] == [str(correction.pk)]


def test_a_removed_correction_puts_the_item_it_corrected_back(order_case):
    earlier = marked(order_case, on=days_ago(4))
    correction = marked(order_case, on=days_ago(3), corrects=earlier)
    EvidenceRemoval.objects.create(item=correction, reason="Added by mistake")
    pattern = case_pattern(case=order_case)
    assert [incident.id for incident in pattern.incidents] == [str(earlier.pk)]


def test_a_correction_of_evidence_linked_to_a_breach_still_counts_as_that_breach(order_case):
    breach = BreachFactory(case=order_case, happened_on=days_ago(5))
    earlier = marked(order_case, on=days_ago(5))
    EvidenceBreachLinkFactory(item=earlier, breach=breach)
    marked(order_case, on=days_ago(5), corrects=earlier)
    pattern = case_pattern(case=order_case)
    assert [incident.source for incident in pattern.incidents] == ["breach"]


def breach_of(order, days: int):
    breach = BreachFactory(case=order.case, happened_on=days_ago(days), matches_no_condition=False)
    BreachedCondition.objects.create(
        breach=breach, condition=ConditionFactory(order=order), how="As described."
    )
    return breach


def towards_of(case) -> set:
    return {incident.towards for incident in case_pattern(case=case).incidents}


def test_an_order_protecting_the_victim_survivor_and_a_child_is_towards_the_victim_survivor(
    order_case,
):
    victim_survivor = order_case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
    child = CasePersonFactory(case=order_case, role=CasePerson.Role.CHILD)
    order = OrderFactory(case=order_case)
    order.protected_people.set([victim_survivor, child])
    breach_of(order, 3)
    assert towards_of(order_case) == {str(victim_survivor.pk)}


def test_an_order_protecting_only_a_child_is_towards_the_child(order_case):
    child = CasePersonFactory(case=order_case, role=CasePerson.Role.CHILD)
    order = OrderFactory(case=order_case)
    order.protected_people.set([child])
    breach_of(order, 3)
    assert towards_of(order_case) == {str(child.pk)}


def test_an_order_protecting_two_others_does_not_guess_between_them(order_case):
    children = CasePersonFactory.create_batch(2, case=order_case, role=CasePerson.Role.CHILD)
    order = OrderFactory(case=order_case)
    order.protected_people.set(children)
    breach_of(order, 3)
    breach_of(order, 1)
    pattern = case_pattern(case=order_case)
    assert towards_of(order_case) == {None}
    assert "course_of_conduct" not in {f.flag.code for f in pattern.flags}
    assert any("do not say who they were towards" in note for note in pattern.analysis.notes)


def test_incidents_before_the_order_are_history_not_breaches(order_case, order):
    BreachFactory(case=order_case, happened_on=order.starts_on - dt.timedelta(days=10))
    BreachFactory(case=order_case, happened_on=days_ago(1))
    pattern = case_pattern(case=order_case)
    assert pattern.analysis.order_life.words() == "1"
    assert len(pattern.analysis.history) == 1
    assert "course_of_conduct" in {f.flag.code for f in pattern.flags}  # history still counts


def test_a_discharged_order_stops_counting_after_its_day(order_case, order):
    OrderChange.objects.create(
        order=order, kind=OrderChange.Kind.DISCHARGED, made_on=days_ago(10), what_changed="Ended"
    )
    BreachFactory(case=order_case, happened_on=days_ago(2))
    pattern = case_pattern(case=order_case)
    assert pattern.analysis.order_life.words() == "0"
    assert "Discharged" in pattern.chart


def test_with_two_respondents_an_unlinked_incident_is_left_out_of_the_pattern(order_case):
    CasePersonFactory(case=order_case, role=CasePerson.Role.RESPONDENT)
    BreachFactory(case=order_case, happened_on=days_ago(3))
    BreachFactory(case=order_case, happened_on=days_ago(1))
    pattern = case_pattern(case=order_case)
    assert pattern.flags == []
    assert any("do not say who was responsible" in note for note in pattern.analysis.notes)


def test_the_chart_marks_the_order_and_lists_incidents_in_its_table(order_case, order):
    order.ends_on = timezone.localdate() + dt.timedelta(days=60)
    order.save()
    BreachFactory(case=order_case, happened_on=days_ago(3), behaviours=[Behaviour.THREATS])
    pattern = case_pattern(case=order_case)
    assert "Order starts" in pattern.chart
    assert "Order ends" in pattern.chart
    assert ("Threats", "Low") in [row[1:] for row in pattern.rows]


def test_an_end_far_ahead_is_in_the_table_but_not_squeezing_the_chart(order_case, order):
    BreachFactory(case=order_case, happened_on=days_ago(3))
    pattern = case_pattern(case=order_case)
    assert "Order ends" not in pattern.chart
    assert ("Order ends", "") in [row[1:] for row in pattern.rows]


def test_no_free_text_reaches_the_pattern(order_case):
    BreachFactory(case=order_case, happened_on=days_ago(3), what_happened="Canary-7741 words")
    marked(order_case, on=days_ago(2), description="Canary-7742 words")
    pattern = case_pattern(case=order_case)
    text = repr(pattern)
    assert "Canary-7741" not in text
    assert "Canary-7742" not in text


def test_queries_stay_fixed_as_incidents_grow(order_case, django_assert_num_queries):
    other = OrderFactory(case=order_case)
    OrderChange.objects.create(
        order=other, kind=OrderChange.Kind.VARIED, made_on=days_ago(3), what_changed="Varied"
    )
    BreachFactory(case=order_case, happened_on=days_ago(3))
    marked(order_case, on=days_ago(2))
    with CaptureQueriesContext(connection) as few:
        case_pattern(case=order_case)
    BreachFactory.create_batch(40, case=order_case)
    for days in range(40):
        marked(order_case, on=days_ago(days))
    with django_assert_num_queries(len(few.captured_queries)):
        pattern = case_pattern(case=order_case)
    assert len(pattern.incidents) == 82


# A large case's sources, kept until the case's version moves on --------------------------------


@pytest.fixture
def keep_above_two(monkeypatch):
    monkeypatch.setattr("orderwatch.patterns.selectors.KEEP_ABOVE", 2)
    monkeypatch.setattr("orderwatch.patterns.selectors.KEPT", Kept(size=4))


def breach_reads(queries) -> int:
    return sum('FROM "breaches_breach"' in query["sql"] for query in queries.captured_queries)


def test_a_large_cases_pattern_is_read_again_only_after_a_write(
    practitioner, order, keep_above_two, django_capture_on_commit_callbacks
):
    case = order.case
    BreachFactory.create_batch(3, case=case, happened_on=days_ago(4))
    with django_capture_on_commit_callbacks(execute=True):
        assert case_pattern(case=case).no_condition_count == 3
    with CaptureQueriesContext(connection) as queries:
        assert case_pattern(case=case).no_condition_count == 3
    assert breach_reads(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        risk_level_set(actor=practitioner, case=case, level="high", reason="A new threat")
    case.refresh_from_db()  # a new version: read again
    with CaptureQueriesContext(connection) as queries:
        assert case_pattern(case=case).no_condition_count == 3
    assert breach_reads(queries) == 1
    with django_capture_on_commit_callbacks(execute=True):
        breach_record(actor=practitioner, case=case, account=breach_account(order.conditions.get()))
    case.refresh_from_db()  # the save worked the pattern out with its breach, and kept it
    with CaptureQueriesContext(connection) as queries:
        pattern = case_pattern(case=case)
        assert (pattern.breach_count, pattern.no_condition_count) == (1, 3)
    assert breach_reads(queries) == 0


def test_what_a_rolled_back_write_read_is_never_kept(
    practitioner, order, keep_above_two, django_capture_on_commit_callbacks
):
    case = order.case
    BreachFactory.create_batch(3, case=case, happened_on=days_ago(4))

    def failed_save():
        with transaction.atomic():
            locked = case_lock_for_change(practitioner, case.pk)
            BreachFactory(case=case, happened_on=days_ago(1))
            assert case_pattern(case=locked).no_condition_count == 4
            raise RuntimeError("the save failed")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        failed_save()
    # The next save takes the version the failed one had: its reading must not come back.
    with django_capture_on_commit_callbacks(execute=True):
        risk_level_set(actor=practitioner, case=case, level="high", reason="A new threat")
    case.refresh_from_db()
    assert case_pattern(case=case).no_condition_count == 3


def test_a_small_cases_pattern_is_not_kept(order, django_capture_on_commit_callbacks):
    BreachFactory.create_batch(3, case=order.case, happened_on=days_ago(4))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case_pattern(case=order.case)
    assert callbacks == []


def test_every_write_moves_the_cases_version_on_and_a_rollback_moves_it_back(practitioner, order):
    case = order.case
    case.refresh_from_db()
    before = case.version
    with transaction.atomic():
        assert case_lock_for_change(practitioner, case.pk).version == before + 1
    case.refresh_from_db()
    assert case.version == before + 1
    with pytest.raises(RuntimeError), transaction.atomic():  # noqa: PT012 (the write, then its failure)
        case_lock_for_change(practitioner, case.pk)
        raise RuntimeError("the save failed")
    case.refresh_from_db()
    assert case.version == before + 1
