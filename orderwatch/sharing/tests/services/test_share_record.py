import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.core.tests.clock import NOW, TODAY
from orderwatch.sharing.models import Share
from orderwatch.sharing.services import share_record
from orderwatch.sharing.tests.factories import PartyFactory
from orderwatch.sharing.tests.services.support import (
    counts,
    share,
    share_values,
)

pytestmark = pytest.mark.django_db
PROTECTED_ADDRESS = "1 Test Street, Testtown, TT1 1TT"  # CaseFactory's address
REASON = "The school runs pick-up from home and needs to know where to go"


def test_a_share_records_what_when_how_why_and_by_whom(practitioner, case, school):
    recorded = share(practitioner, school, what=[Share.What.SAFETY_PLAN, Share.What.ORDER_SUMMARY])
    assert recorded.party == school
    assert recorded.case == case
    assert recorded.what == ["order_summary", "safety_plan"]
    assert recorded.shared_on == TODAY
    assert recorded.created_by == practitioner
    assert recorded.told_what_to_do_on_breach is True
    assert recorded.address_included is False
    assert recorded.informed_as_of == NOW
    assert recorded.purpose == "So the school knows who may not collect the children"
    event = AuditEvent.objects.get(verb=Verb.SHARE_RECORDED)
    assert "collect the children" not in str(event.chain_body())  # no free text in the audit
    assert event.payload == {
        "party": str(school.pk),
        "what": ["order_summary", "safety_plan"],
        "address_included": False,
    }


@pytest.mark.parametrize(
    ("purpose", "message"),
    [
        ("", "Enter why you shared it"),
        ("   ", "Enter why you shared it"),
        ("x" * 201, "Why you shared it must be 200 characters or fewer"),
    ],
)
def test_a_share_needs_a_short_purpose(practitioner, school, purpose, message):
    before = counts()
    with pytest.raises(ValidationError) as error:
        share(practitioner, school, purpose=purpose)
    assert error.value.message_dict["purpose"] == [message]
    assert counts() == before


def test_a_purpose_of_200_characters_is_kept_trimmed(practitioner, school):
    assert share(practitioner, school, purpose=f" {'x' * 200} ").purpose == "x" * 200


def test_a_share_on_an_earlier_day_covers_events_until_the_end_of_that_day(practitioner, school):
    recorded = share(practitioner, school, shared_on=TODAY - dt.timedelta(days=2))
    assert recorded.informed_as_of == dt.datetime(2026, 3, 4, tzinfo=NOW.tzinfo)


def test_including_the_address_records_that_and_why_but_never_the_address(practitioner, school):
    recorded = share(practitioner, school, address_included=True, address_reason=f" {REASON} ")
    assert (recorded.address_included, recorded.address_reason) == (True, REASON)
    stored = {field.name: getattr(recorded, field.name) for field in Share._meta.fields}
    assert PROTECTED_ADDRESS not in str(stored)
    event = AuditEvent.objects.get(verb=Verb.SHARE_RECORDED)
    assert event.fields == ["address_included"]
    assert event.notes.get(name="reason").text == REASON
    assert REASON not in str(event.chain_body())
    assert PROTECTED_ADDRESS not in str(event.chain_body())


def test_including_the_address_needs_the_permission_to_reveal_it(practitioner, school, monkeypatch):
    has_perm = User.has_perm

    def no_reveal(user, perm, obj=None):
        return perm != "cases.reveal_protected_address" and has_perm(user, perm, obj)

    monkeypatch.setattr(User, "has_perm", no_reveal)
    before = counts()
    with pytest.raises(PermissionDenied):
        share(practitioner, school, address_included=True, address_reason=REASON)
    assert counts() == before


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"what": []}, "what", "Select what you shared"),
        ({"what": ["gossip"]}, "what", "Select what you shared"),
        ({"shared_on": None}, "shared_on", "Enter the date you shared it"),
        (
            {"shared_on": TODAY + dt.timedelta(days=1)},
            "shared_on",
            "The date you shared it must be today or in the past",
        ),
        ({"how": "pigeon"}, "how", "Select how you shared it"),
        ({"how": Share.How.OTHER}, "how_details", "Enter how you shared it"),
        ({"lawful_basis": ""}, "lawful_basis", "Select the lawful basis for sharing"),
        (
            {"lawful_basis": Share.LawfulBasis.OTHER, "lawful_basis_details": " "},
            "lawful_basis_details",
            "Explain the lawful basis for sharing",
        ),
        (
            {"told_what_to_do_on_breach": None},
            "told_what_to_do_on_breach",
            "Select whether you told them what to do if the order is breached",
        ),
        (
            {"address_included": True, "address_reason": "needed"},
            "address_reason",
            "Enter why they needed the address, in a few words",
        ),
        ({"party_id": "not-a-party"}, "party", "Select who you shared it with"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    practitioner, school, overrides, field, message
):
    before = counts()
    with pytest.raises(ValidationError) as error:
        share(practitioner, school, **overrides)
    assert error.value.message_dict[field] == [message]
    assert counts() == before


def test_a_party_on_another_case_cannot_be_shared_with(practitioner, case):
    other = PartyFactory()
    with pytest.raises(ValidationError) as error:
        share_record(actor=practitioner, case=case, **share_values(other))
    assert error.value.message_dict["party"] == ["Select who you shared it with"]
    assert not Share.objects.exists()


def test_someone_not_on_the_team_gets_404_and_nothing_is_saved(outsider, school):
    before = counts()
    with pytest.raises(Http404):
        share(outsider, school)
    assert counts() == before


def test_a_read_only_member_gets_403_and_nothing_is_saved(team_auditor, school):
    before = counts()
    with pytest.raises(PermissionDenied):
        share(team_auditor, school)
    assert counts() == before
