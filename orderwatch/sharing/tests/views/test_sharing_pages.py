import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests.dates import date_parts
from orderwatch.safety.services import risk_level_set
from orderwatch.sharing.models import Party, Share
from orderwatch.sharing.services import party_add
from orderwatch.sharing.tests.factories import SCHOOL_CONTACT, PartyFactory, ShareFactory

pytestmark = pytest.mark.django_db
NAME = "Sam Teacher"
PURPOSE = "So Sam knows Rory may not collect the children"


@pytest.fixture
def signed_in(client, practitioner):
    return sign_in_with_two_factor(client, practitioner)


@pytest.fixture
def school(practitioner, case):
    return party_add(
        actor=practitioner,
        case=case,
        kind=Party.Kind.SCHOOL,
        name=NAME,
        role="Designated safeguarding lead",
        organisation="Oakfield Primary School",
        contact_details=SCHOOL_CONTACT,
    )


def url(name, case, **kwargs):
    return reverse(f"sharing:{name}", kwargs={"case_id": case.pk, **kwargs})


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)


def share_data(party, **overrides) -> dict:
    data = {
        "party": str(party.pk),
        "what": ["order_summary"],
        **date_parts("shared_on", timezone.localdate()),
        "how": "secure_email",
        "purpose": PURPOSE,
        "lawful_basis": "safeguarding",
        "told_what_to_do_on_breach": "yes",
        "address_included": "no",
    }
    data.update(overrides)
    return data


def test_adding_an_external_contact_puts_them_on_the_list_not_yet_informed(signed_in, case):
    response = signed_in.post(
        url("party-new", case),
        {
            "kind": "school",
            "name": NAME,
            "organisation": "Oakfield Primary School",
            "contact_details": SCHOOL_CONTACT,
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("list", case)
    assert "Added to who needs to know" in response.text
    assert NAME in response.text
    assert "Not yet informed" in response.text
    assert SCHOOL_CONTACT not in response.text


def test_bad_party_input_is_explained_and_nothing_is_saved(signed_in, case):
    response = signed_in.post(url("party-new", case), {"kind": "school", "name": NAME})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter the organisation they work for" in response.text
    assert title(response).startswith("Error: ")
    assert not Party.objects.exists()


def test_contact_details_are_hidden_on_the_list_and_shown_on_request(signed_in, case, school):
    listing = signed_in.get(url("list", case)).text
    assert SCHOOL_CONTACT not in listing
    assert "Show contact details" in listing
    response = signed_in.get(url("party-contact", case, party_id=school.pk))
    assert SCHOOL_CONTACT in response.text
    assert AuditEvent.objects.filter(
        verb=Verb.PARTY_CONTACT_REVEALED, fields=["contact_details"]
    ).exists()


def test_the_change_page_shows_the_details_to_change_and_saves(signed_in, case, school):
    response = signed_in.get(url("party-edit", case, party_id=school.pk))
    assert SCHOOL_CONTACT in response.text
    response = signed_in.post(
        url("party-edit", case, party_id=school.pk),
        {"kind": "school", "name": NAME, "organisation": "Oakfield Academy"},
        follow=True,
    )
    assert "Changes saved" in response.text
    school.refresh_from_db()
    assert school.organisation == "Oakfield Academy"
    assert not school.contact_details


def test_a_read_only_member_sees_the_list_but_no_way_to_change_or_see_contacts(
    client, case, school, auditor
):
    CaseTeamMembershipFactory(case=case, user=auditor)
    sign_in_with_two_factor(client, auditor)
    text = client.get(url("list", case)).text
    assert NAME in text
    assert "Record a share" not in text
    assert "Show contact details" not in text
    assert "Add someone who needs to know" not in text


def test_the_share_page_picks_the_party_from_the_link(signed_in, case, school):
    text = signed_in.get(url("share-new", case) + f"?party={school.pk}").text
    assert re.search(rf'value="{school.pk}"\s+checked', text)
    assert "Schedule 1, paragraph 18" in text
    assert "check with your information governance lead" in text


def test_recording_a_share_informs_them(signed_in, case, school):
    response = signed_in.post(url("share-new", case), share_data(school), follow=True)
    assert response.redirect_chain[-1][0] == url("list", case)
    assert "Sharing recorded" in response.text
    assert "Informed" in response.text
    assert "Not included" in response.text
    assert PURPOSE in response.text  # shown in the log
    share = Share.objects.get()
    assert (share.party, share.address_included, share.purpose) == (school, False, PURPOSE)


def test_a_share_without_a_purpose_or_with_too_long_a_one_is_explained_and_not_saved(
    signed_in, case, school
):
    response = signed_in.post(url("share-new", case), share_data(school, purpose="  "))
    assert "Enter why you shared it" in response.text
    response = signed_in.post(url("share-new", case), share_data(school, purpose="x" * 201))
    assert "Why you shared it must be 200 characters or fewer" in response.text
    assert "x" * 201 in response.text  # what was typed is kept
    assert not Share.objects.exists()


def test_a_share_recorded_before_purposes_were_asked_reads_not_recorded(signed_in, case, school):
    ShareFactory(party=school, purpose="")
    log = signed_in.get(url("list", case)).text
    log = log[log.index('data-testid="sharing-log"') :]
    assert "Not recorded" in log


def test_bad_share_input_is_explained_and_nothing_is_saved(signed_in, case, school):
    response = signed_in.post(
        url("share-new", case),
        share_data(school, what=[], address_included="yes", address_reason=""),
    )
    assert "Select what you shared" in response.text
    assert "There is a problem" in response.text
    assert not Share.objects.exists()
    response = signed_in.post(
        url("share-new", case), share_data(school, address_included="yes", address_reason="x")
    )
    assert "Enter why they needed the address, in a few words" in response.text
    assert not Share.objects.exists()


def test_no_page_title_names_anyone(signed_in, case, school):
    ShareFactory(party=school)
    for name, kwargs in [
        ("list", {}),
        ("party-new", {}),
        ("party-edit", {"party_id": school.pk}),
        ("party-contact", {"party_id": school.pk}),
        ("share-new", {}),
    ]:
        page_title = title(signed_in.get(url(name, case, **kwargs)))
        assert case.reference in page_title
        assert NAME not in page_title
        assert "Oakfield" not in page_title


def test_the_case_page_shows_who_is_still_to_be_told(signed_in, case, school):
    text = signed_in.get(case.get_absolute_url()).text
    section = text[text.index('id="sharing"') :]
    assert "1 of 1</strong> still to be told" in section
    assert NAME in section
    assert "Not yet informed" in section
    assert SCHOOL_CONTACT not in text


def _fill(case, parties: int, shares_each: int) -> None:
    for _ in range(parties):
        party = PartyFactory(case=case)
        ShareFactory.create_batch(shares_each, party=party)


def test_case_page_queries_stay_fixed_however_many_parties_and_shares(
    signed_in, practitioner, order, django_assert_num_queries
):
    # Something of every kind the page shows, so no lookup is skipped for want of rows.
    breach_record(
        actor=practitioner, case=order.case, account=breach_account(order.conditions.get())
    )
    risk_level_set(actor=practitioner, case=order.case, level="medium", reason="After a breach")
    _fill(order.case, parties=1, shares_each=1)
    PartyFactory(case=order.case)
    with CaptureQueriesContext(connection) as few:
        response = signed_in.get(order.case.get_absolute_url())
    assert "1 of 2</strong> still to be told" in response.text
    _fill(order.case, parties=25, shares_each=3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(order.case.get_absolute_url())
    assert "1 of 27</strong> still to be told" in response.text


def test_list_page_queries_stay_fixed_however_many_parties_and_shares(
    signed_in, case, django_assert_num_queries
):
    _fill(case, parties=1, shares_each=1)
    PartyFactory(case=case, user=None)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url("list", case))
    _fill(case, parties=25, shares_each=3)
    # The first view also started the case's audit chain: 2 queries, once per case.
    with django_assert_num_queries(len(few.captured_queries) - 2):
        response = signed_in.get(url("list", case))
    assert response.text.count('data-testid="party"') == 27


def test_the_share_page_queries_stay_fixed(signed_in, case, django_assert_num_queries):
    _fill(case, parties=1, shares_each=0)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url("share-new", case))
    _fill(case, parties=25, shares_each=0)
    with django_assert_num_queries(len(few.captured_queries)):
        signed_in.get(url("share-new", case))
