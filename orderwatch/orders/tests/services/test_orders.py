import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory, authenticator_code
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CasePersonFactory, CaseTeamMembershipFactory
from orderwatch.confidential.files import encrypted_file_chunks
from orderwatch.orders import selectors
from orderwatch.orders.models import Order, OrderChange, OrderCopy
from orderwatch.orders.services import (
    address_change_record,
    condition_add,
    order_change_record,
    order_copy_add,
    order_copy_mark_checked,
    order_create,
)
from orderwatch.orders.tests.factories import PDF_BYTES, OrderFactory, order_type, pdf_upload

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


def _victim(case):
    return case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)


def _new_order(actor, case, **overrides):
    values = {
        "actor": actor,
        "case": case,
        "order_type": order_type(),
        "made_on": TODAY,
        "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=180),
        "until_further_order": False,
        "protected_people": [_victim(case)],
    }
    return order_create(**(values | overrides))


def test_catalogue_is_loaded_with_sources_and_alternatives():
    nmo = order_type("non_molestation_order")
    assert nmo.breach_is_offence
    assert "42A" in nmo.breach
    assert nmo.sources
    assert order_type("domestic_violence_protection_order").fixed_maximum_days == 28
    assert order_type("restraining_order_acquittal").alternatives.exists()


def test_an_order_is_recorded_for_the_case_and_audited(practitioner, case):
    respondent = CasePersonFactory(case=case, role=CasePerson.Role.RESPONDENT)
    order = _new_order(practitioner, case, respondent=respondent, court=" Northtown ")
    assert (order.case, order.respondent, order.court) == (case, respondent, "Northtown")
    assert list(order.protected_people.all()) == [_victim(case)]
    assert AuditEvent.objects.filter(verb=Verb.ORDER_ADDED, case_id=case.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": None}, "ends_on", "Enter the date the order ends"),
        ({"until_further_order": True}, "ends_on", "Leave the end date empty"),
        ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on", "same as or after the start"),
        ({"served_on": TODAY - dt.timedelta(days=1)}, "served_on", "after it was made"),
        ({"protected_people": []}, "protected_people", "Select who the order protects"),
    ],
)
def test_inconsistent_orders_are_refused_and_nothing_is_saved(
    practitioner, case, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        _new_order(practitioner, case, **overrides)
    assert message in " ".join(error.value.message_dict[field])
    assert not Order.objects.exists()


def test_people_from_another_case_cannot_be_named(practitioner, case):
    elsewhere = CasePersonFactory(role=CasePerson.Role.RESPONDENT)
    with pytest.raises(ValidationError):
        _new_order(practitioner, case, respondent=elsewhere)


def test_an_auditor_on_the_team_cannot_record_orders(case, idva_service):
    auditor = UserFactory(agency=idva_service, role=User.Role.AUDITOR)
    CaseTeamMembershipFactory(case=case, user=auditor)
    with pytest.raises(PermissionDenied):
        _new_order(auditor, case)


def test_an_outsider_gets_404(outsider, case):
    with pytest.raises(Http404):
        _new_order(outsider, case)


def test_a_place_named_in_a_condition_is_confidential(practitioner, case):
    order = OrderFactory(case=case)
    condition = condition_add(
        actor=practitioner,
        order=order,
        kind="exclusion",
        wording="Must not go within 100 metres of the address",
        place="4 Hidden Lane",
    )
    condition.refresh_from_db()
    assert str(condition.place) == "[withheld]"
    assert condition.place.reveal() == "4 Hidden Lane"
    event = AuditEvent.objects.get(verb=Verb.CONDITION_ADDED)
    assert "place" in event.fields
    assert "Hidden" not in str(event.chain_body())


def test_copy_is_stored_encrypted_and_can_be_checked_once_conditions_exist(practitioner, case):
    order = OrderFactory(case=case)
    copy = order_copy_add(actor=practitioner, order=order, upload=pdf_upload())
    assert b"".join(encrypted_file_chunks(name=copy.file_name)) == PDF_BYTES
    with pytest.raises(ValidationError, match="Add the order's conditions"):
        order_copy_mark_checked(actor=practitioner, order=order)
    condition_add(actor=practitioner, order=order, kind="no_direct_contact", wording="No contact")
    order = order_copy_mark_checked(actor=practitioner, order=order)
    assert order.copy_checked_by == practitioner


def test_a_wrong_file_type_is_refused_and_nothing_is_stored(practitioner, case, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    order = OrderFactory(case=case)
    fake = SimpleUploadedFile("order.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError, match="must be a PDF, JPG or PNG"):
        order_copy_add(actor=practitioner, order=order, upload=fake)
    assert not OrderCopy.objects.exists()


def test_checking_a_copy_needs_a_copy(practitioner, case):
    order = OrderFactory(case=case)
    with pytest.raises(ValidationError, match="Upload a copy"):
        order_copy_mark_checked(actor=practitioner, order=order)


def test_a_new_condition_or_variation_needs_checking_again(practitioner, order):
    order_copy_mark_checked(actor=practitioner, order=order)
    condition_add(actor=practitioner, order=order, kind="no_posting", wording="Must not post")
    order.refresh_from_db()
    assert order.copy_checked_at is None
    order_copy_mark_checked(actor=practitioner, order=order)
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.VARIED,
        made_on=order.made_on + dt.timedelta(days=1),
        what_changed="Exclusion zone widened",
    )
    order.refresh_from_db()
    assert order.copy_checked_at is None


def test_an_extension_moves_the_end_and_the_status_says_so(practitioner, order):
    new_end = order.ends_on + dt.timedelta(days=365)
    order_change_record(
        actor=practitioner,
        order=order,
        kind=OrderChange.Kind.EXTENDED,
        made_on=timezone.localdate(),
        new_ends_on=new_end,
        what_changed="Extended for a year",
    )
    order = selectors.order_get(user=practitioner, case_id=order.case_id, order_id=order.pk)
    state = selectors.order_state(order)
    assert (state.ends_on, state.label) == (new_end, "In force (extended)")


@pytest.mark.parametrize(
    ("kind", "extra", "field"),
    [
        (OrderChange.Kind.EXTENDED, {}, "new_ends_on"),
        (OrderChange.Kind.VARIED, {"new_ends_on": TODAY}, "new_ends_on"),
        (OrderChange.Kind.DISCHARGED, {"what_changed": " "}, "what_changed"),
    ],
)
def test_changes_that_do_not_add_up_are_refused(practitioner, order, kind, extra, field):
    values = {"what_changed": "Changed", "made_on": timezone.localdate()} | extra
    with pytest.raises(ValidationError) as error:
        order_change_record(actor=practitioner, order=order, kind=kind, **values)
    assert field in error.value.message_dict
    assert not order.changes.exists()


def test_a_move_records_the_new_address_and_the_agreed_step(practitioner, case):
    step_up = mfa_step_up(user=practitioner, code=authenticator_code(practitioner))
    change = address_change_record(
        actor=practitioner,
        case=case,
        new_address="8 New Place, Elsewhere",
        moved_on=None,
        disclosure_risk="Varying the exclusion zone would name the new street",
        discussion="Discussed with her and the police officer",
        next_step="do_not_vary",
        reason="The current order still covers contact; no need to reveal the street",
        step_up=step_up,
    )
    case.refresh_from_db()
    assert case.protected_address.reveal() == "8 New Place, Elsewhere"
    assert change.next_step == "do_not_vary"
    event = AuditEvent.objects.get(verb=Verb.ADDRESS_CHANGED)
    assert "New Place" not in str(event.chain_body())


def test_a_move_without_the_discussion_is_refused_and_the_address_stays(practitioner, case):
    step_up = mfa_step_up(user=practitioner, code=authenticator_code(practitioner))
    with pytest.raises(ValidationError) as error:
        address_change_record(
            actor=practitioner,
            case=case,
            new_address="8 New Place",
            moved_on=None,
            disclosure_risk="",
            discussion="",
            next_step="vary",
            reason="",
            step_up=step_up,
        )
    assert set(error.value.message_dict) == {"disclosure_risk", "discussion", "reason"}
    case.refresh_from_db()
    assert case.protected_address.reveal() == "1 Test Street, Testtown, TT1 1TT"


def test_a_dvpo_cannot_run_past_its_legal_maximum_or_be_extended(practitioner, case):
    dvpo = order_type("domestic_violence_protection_order")
    with pytest.raises(ValidationError, match="at most 28 days"):
        _new_order(practitioner, case, order_type=dvpo, ends_on=TODAY + dt.timedelta(days=28))
    order = _new_order(practitioner, case, order_type=dvpo, ends_on=TODAY + dt.timedelta(days=27))
    with pytest.raises(ValidationError, match="cannot be extended"):
        order_change_record(
            actor=practitioner,
            order=order,
            kind=OrderChange.Kind.EXTENDED,
            made_on=TODAY,
            new_ends_on=TODAY + dt.timedelta(days=60),
            what_changed="Extended",
        )


def test_an_extension_must_end_after_the_current_end(practitioner, order):
    with pytest.raises(ValidationError, match="after the current end date"):
        order_change_record(
            actor=practitioner,
            order=order,
            kind=OrderChange.Kind.EXTENDED,
            made_on=timezone.localdate(),
            new_ends_on=order.ends_on,
            what_changed="Extended",
        )


def test_a_move_keeps_the_previous_address_encrypted_in_the_history(practitioner, case):
    step_up = mfa_step_up(user=practitioner, code=authenticator_code(practitioner))
    change = address_change_record(
        actor=practitioner,
        case=case,
        new_address="8 New Place",
        moved_on=None,
        disclosure_risk="Exclusion zone would name the street",
        discussion="With her and the officer",
        next_step="seek_advice",
        reason="Solicitor to advise before any variation",
        step_up=step_up,
    )
    change.refresh_from_db()
    assert change.previous_address.reveal() == "1 Test Street, Testtown, TT1 1TT"


def test_an_order_or_copy_from_another_case_is_404_under_your_own_case(practitioner, case, order):
    from orderwatch.cases.tests.factories import CaseFactory

    mine = CaseFactory()
    CaseTeamMembershipFactory(case=mine, user=practitioner, is_lead=True)
    with pytest.raises(Http404):
        selectors.order_get(user=practitioner, case_id=mine.pk, order_id=order.pk)
    other_order = OrderFactory(case=mine)
    from orderwatch.orders.services import order_copy_open

    with pytest.raises(Http404):
        order_copy_open(actor=practitioner, order=other_order, copy_id=order.copies.get().pk)


def test_a_condition_removed_by_a_variation_stops_counting_but_stays_on_record(practitioner, order):
    from orderwatch.orders.services import condition_end

    order_copy_mark_checked(actor=practitioner, order=order)
    condition = order.conditions.get()
    condition_end(
        actor=practitioner,
        order=order,
        condition_id=condition.pk,
        ended_on=timezone.localdate() - dt.timedelta(days=1),
        reason="Removed when the order was varied",
    )
    order = selectors.order_get(user=practitioner, case_id=order.case_id, order_id=order.pk)
    assert selectors.conditions_in_force(order) == []
    assert [c.pk for c in selectors.conditions_ended(order)] == [condition.pk]
    direct = next(r for r in selectors.order_restrictions(order) if r.kind == "no_direct_contact")
    assert direct.answer == "Not stated"  # the check was cleared: the copy must be checked again
    assert AuditEvent.objects.filter(verb=Verb.CONDITION_ENDED).exists()


def test_ending_a_condition_needs_a_reason_and_only_happens_once(practitioner, order):
    from orderwatch.orders.services import condition_end

    condition = order.conditions.get()
    with pytest.raises(ValidationError, match="Enter why"):
        condition_end(
            actor=practitioner,
            order=order,
            condition_id=condition.pk,
            ended_on=timezone.localdate(),
            reason=" ",
        )
    condition_end(
        actor=practitioner,
        order=order,
        condition_id=condition.pk,
        ended_on=timezone.localdate(),
        reason="Recorded in error",
    )
    with pytest.raises(ValidationError, match="already ended"):
        condition_end(
            actor=practitioner,
            order=order,
            condition_id=condition.pk,
            ended_on=timezone.localdate(),
            reason="Again",
        )
