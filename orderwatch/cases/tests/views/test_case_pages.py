import re

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.accounts.tests.factories import authenticator_code, sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case
from orderwatch.cases.selectors import MY_CASES_PAGE
from orderwatch.cases.tests.factories import (
    CaseFactory,
    CasePersonFactory,
    CaseTeamMembershipFactory,
)

pytestmark = pytest.mark.django_db

ADDRESS = "1 Test Street, Testtown, TT1 1TT"


@pytest.fixture
def signed_in(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    return client


def _cases_for(user, count):
    for _ in range(count):
        case = CaseFactory()
        CaseTeamMembershipFactory(case=case, user=user, is_lead=True)
        CasePersonFactory(case=case)


def test_my_cases_lists_only_my_cases_with_victim_survivor_and_lead(signed_in, case, outsider):
    other = CaseFactory()
    CaseTeamMembershipFactory(case=other, user=outsider, is_lead=True)
    response = signed_in.get(reverse("cases:list"))
    assert case.reference in response.text
    assert other.reference not in response.text
    victim = case.people.get(role="victim_survivor")
    assert victim.full_name in response.text
    assert "Pat Lead, Test IDVA Service" in response.text


def test_my_cases_takes_the_same_queries_for_1_or_20_cases(
    signed_in, practitioner, django_assert_num_queries
):
    _cases_for(practitioner, 1)
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("cases:list"))
    _cases_for(practitioner, 19)
    with django_assert_num_queries(len(few.captured_queries)):
        response = signed_in.get(reverse("cases:list"))
    assert response.text.count("/cases/") >= 20


def test_my_cases_are_sorted_by_the_victim_survivors_last_then_first_name(signed_in, practitioner):
    """Names are sealed at rest, so the sort happens after reading, case-insensitively."""
    names = [("Zoe", "abbott"), ("Amy", "Young"), ("Ben", "Abbott"), ("Cal", "Morris")]
    references = {}
    for given, family in names:
        case = CaseFactory()
        case.people.filter(role="victim_survivor").update(given_name=given, family_name=family)
        CaseTeamMembershipFactory(case=case, user=practitioner, is_lead=True)
        references[given] = case.reference

    text = signed_in.get(reverse("cases:list")).text

    listed = sorted(references, key=lambda given: text.index(references[given]))
    assert listed == ["Ben", "Zoe", "Cal", "Amy"]


def _named_cases(practitioner, names) -> dict[str, str]:
    """Cases led by the practitioner, one per (given, family) name; references by given name."""
    references = {}
    for given, family in names:
        case = CaseFactory()
        case.people.filter(role="victim_survivor").update(given_name=given, family_name=family)
        CaseTeamMembershipFactory(case=case, user=practitioner, is_lead=True)
        references[given] = case.reference
    return references


def test_my_cases_pages_keep_the_name_order_across_pages_in_the_same_queries(
    signed_in, practitioner, django_assert_num_queries
):
    # Names made in an order unlike the references the database would give them in.
    names = [(f"Given{n:02}", f"Family{(n * 7) % 60:02}") for n in range(MY_CASES_PAGE + 5)]
    references = _named_cases(practitioner, names)
    by_name = sorted(references, key=lambda given: dict(names)[given])
    url = reverse("cases:list")
    with CaptureQueriesContext(connection) as first_queries:
        first = signed_in.get(url).text
    per_page = len(first_queries.captured_queries)  # now: the log keeps only the latest queries
    with django_assert_num_queries(per_page):
        second = signed_in.get(url + "?page=2").text
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    listed = re.findall(r">(OW-[0-9A-Z]+)</a>", first) + re.findall(r">(OW-[0-9A-Z]+)</a>", second)
    assert listed == [references[given] for given in by_name]
    assert len(re.findall(r">(OW-[0-9A-Z]+)</a>", first)) == MY_CASES_PAGE
    # A page past the end is the last page; three times the cases, the same queries a page.
    assert signed_in.get(url + "?page=99").text.count(">OW-") == 5
    _named_cases(practitioner, [(f"More{n:02}", f"Aaron{n:02}") for n in range(MY_CASES_PAGE * 2)])
    with django_assert_num_queries(per_page):
        third = signed_in.get(url + "?page=3").text
    assert "Page 3 of 4" in third
    with django_assert_num_queries(per_page):
        assert "Page 4 of 4" in signed_in.get(url + "?page=4").text


def test_case_page_query_count_does_not_grow_with_people_or_team(
    signed_in, case, django_assert_num_queries
):
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    with CaptureQueriesContext(connection) as few:
        signed_in.get(url)
    for _ in range(10):
        CasePersonFactory(case=case)
        CaseTeamMembershipFactory(case=case)
    # The first view also started the case's audit chain: 2 queries, once per case.
    with django_assert_num_queries(len(few.captured_queries) - 2):
        signed_in.get(url)


def test_viewing_a_case_is_audited(signed_in, practitioner, case):
    signed_in.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    event = AuditEvent.objects.get(verb=Verb.CASE_VIEWED)
    assert (event.actor, event.case_id, event.origin_ip) == (practitioner, case.pk, "127.0.0.1")


def test_case_page_shows_people_and_team_but_never_the_address(signed_in, case):
    response = signed_in.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert "Pat Lead" in response.text
    assert "Reveal the address" in response.text
    assert ADDRESS not in response.text
    assert case.reference in response.text


def test_case_page_title_carries_no_names(signed_in, case):
    response = signed_in.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    title = response.text.split("<title>")[1].split("</title>")[0]
    assert title.strip() == f"Case {case.reference} – OrderWatch"


def test_reveal_form_without_reason_shows_error_and_no_address(signed_in, case):
    url = reverse("cases:address-reveal", kwargs={"case_id": case.pk})
    response = signed_in.post(url, {"reason": ""})
    assert "There is a problem" in response.text
    assert "Enter why you need to see the address" in response.text
    assert ADDRESS not in response.text
    assert response.text.count('href="#id_reason"') == 1


def test_reveal_with_reason_and_fresh_code_shows_address_and_is_not_cached(
    signed_in, practitioner, case
):
    url = reverse("cases:address-reveal", kwargs={"case_id": case.pk})
    code = authenticator_code(practitioner)
    response = signed_in.post(url, {"reason": "Arranging a home visit", "code": code})
    assert ADDRESS in response.text
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(verb=Verb.ADDRESS_REVEALED).count() == 1


def test_when_audit_fails_the_reveal_fails_and_shows_nothing(
    client, practitioner, case, monkeypatch
):
    client.raise_request_exception = False
    sign_in_with_two_factor(client, practitioner)

    def broken_audit_store(*args, **kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken_audit_store)
    url = reverse("cases:address-reveal", kwargs={"case_id": case.pk})
    code = authenticator_code(practitioner)
    response = client.post(url, {"reason": "Arranging a home visit", "code": code})
    assert response.status_code == 503
    assert "could not be recorded" in response.text
    assert ADDRESS not in response.text


def test_open_a_case_from_the_form(signed_in, practitioner):
    response = signed_in.post(
        reverse("cases:new"),
        {"victim_given_name": "Alex", "victim_family_name": "Rivers", "lead_capacity": "IDVA"},
        follow=True,
    )
    case = Case.objects.get()
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert f"Case {case.reference} opened" in response.text


def test_open_a_case_with_missing_answers_saves_nothing(signed_in):
    response = signed_in.post(
        reverse("cases:new"),
        {
            "victim_date_of_birth-day": "31",
            "victim_date_of_birth-month": "2",
            "victim_date_of_birth-year": "1990",
        },
    )
    assert "Enter the victim-survivor&#x27;s first name" in response.text
    assert "Enter your role on this case" in response.text
    assert "Victim-survivor&#x27;s date of birth must be a real date" in response.text
    assert not Case.objects.exists()


def test_add_a_person_then_see_them_on_the_case(signed_in, case):
    url = reverse("cases:person-new", kwargs={"case_id": case.pk})
    response = signed_in.post(
        url,
        {"role": "child", "given_name": "Robin", "family_name": "Rivers", "aliases": "Bobbie\n"},
        follow=True,
    )
    assert "Robin Rivers" in response.text
    assert "Also known as Bobbie" in response.text


def test_add_a_person_rejects_victim_survivor_role(signed_in, case):
    url = reverse("cases:person-new", kwargs={"case_id": case.pk})
    response = signed_in.post(url, {"role": "victim_survivor", "given_name": "Second"})
    assert "Select a valid choice" in response.text
    assert case.people.count() == 1


def test_reveal_with_a_wrong_code_says_so_and_shows_nothing(signed_in, case):
    url = reverse("cases:address-reveal", kwargs={"case_id": case.pk})
    response = signed_in.post(url, {"reason": "Arranging a home visit", "code": "000000"})
    assert "The code is not right" in response.text
    assert ADDRESS not in response.text
    assert not AuditEvent.objects.filter(verb=Verb.ADDRESS_REVEALED).exists()


def test_when_the_view_cannot_be_audited_the_case_is_not_shown(
    client, practitioner, case, monkeypatch
):
    client.raise_request_exception = False
    sign_in_with_two_factor(client, practitioner)

    def broken_audit_store(*args, **kwargs):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(AuditEvent, "save", broken_audit_store)
    response = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 503
    victim = case.people.get(role="victim_survivor")
    assert victim.given_name not in response.text
    assert "nothing has been saved or shown" in response.text


def test_the_first_address_is_recorded_from_its_own_page_with_a_reason_and_a_code(
    signed_in, practitioner, case
):
    Case.objects.filter(pk=case.pk).update(protected_address="")
    page = signed_in.get(case.get_absolute_url()).text
    assert "Record the protected address" in page
    assert "Record that the victim-survivor has moved" not in page
    url = reverse("cases:address-record", kwargs={"case_id": case.pk})
    response = signed_in.post(url, {"address": "4 Quiet Lane", "reason": "", "code": "000000"})
    assert "Enter why you are recording the address" in response.text
    case.refresh_from_db()
    assert not case.protected_address
    response = signed_in.post(
        url,
        {
            "address": "4 Quiet Lane",
            "reason": "Needed for the police marker",
            "code": authenticator_code(practitioner),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.protected_address.reveal() == "4 Quiet Lane"
    page = signed_in.get(case.get_absolute_url()).text
    assert "4 Quiet Lane" not in page
    assert "Record that the victim-survivor has moved" in page
