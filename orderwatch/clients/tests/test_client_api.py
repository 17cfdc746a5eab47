"""An agency's system over the API (ADR 0042): what its token lets it read and write, and what
it never reaches."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.models import Breach
from orderwatch.cases.models import Case
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.clients.models import ApiClient
from orderwatch.clients.services import api_client_revoke
from orderwatch.clients.tests.tokens import (
    TokenClient,
    client_registered,
    token_for,
    token_request,
)
from orderwatch.core.tests import people
from orderwatch.orders.tests.factories import ConditionFactory, OrderFactory
from orderwatch.people.selectors import people_list

pytestmark = pytest.mark.django_db


def breach_body(condition) -> dict:
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    return {
        "reported_to_practitioner_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "reported_by": "victim_survivor",
        "occurrence": {"precision": "approximate", "on": yesterday, "at": "15:00"},
        "location": "public_place",
        "what_happened": "He waited outside the school gates and shouted at her.",
        "behaviours": ["direct_contact"],
        "severity": 2,
        "police_reported": True,
        "police_reported_on": yesterday,
        "police_method": "101",
        "police_reference": "NP-2026-0001",
        "police_officer_not_known": True,
        "respondent_supervised": "not_known",
        "other_agencies": "none",
        "others_present": "not_known",
        "witnesses": "none",
        "actions": ["police_report"],
        "breached": [{"condition": str(condition.pk), "how": "He spoke to her directly."}],
    }


@pytest.fixture
def agency_a(idva_service):
    return idva_service


@pytest.fixture
def system(agency_a):
    """A client of agency A with every scope, and a token."""
    client, secret = client_registered(agency_a)
    return TokenClient(token_for(client, secret))


@pytest.fixture
def our_case(practitioner):
    """A case with someone from agency A on its team, an order and a condition."""
    case = people.case_led_by(practitioner)
    order = OrderFactory(case=case)
    ConditionFactory(order=order)
    return case


@pytest.fixture
def their_case(police):
    """A case whose team has no one from agency A."""
    case = people.case_led_by(people.outsider(police))
    ConditionFactory(order=OrderFactory(case=case))
    return case


def breach_url(case) -> str:
    return reverse("api:breach-list", kwargs={"case_id": case.pk})


def condition_of(case):
    return case.orders.get().conditions.get()


def test_a_client_reads_the_cases_its_agency_works_on_and_no_others(system, our_case, their_case):
    listed = system.get(reverse("api:case-list")).json()["results"]
    assert [row["id"] for row in listed] == [str(our_case.pk)]
    assert (
        system.get(reverse("api:case-detail", kwargs={"case_id": our_case.pk})).status_code == 200
    )
    response = system.get(reverse("api:case-detail", kwargs={"case_id": their_case.pk}))
    assert (response.status_code, response.json()["detail"]) == (404, "Not found.")


def test_a_client_cannot_write_to_a_case_without_its_agency_and_nothing_is_saved(
    system, their_case
):
    response = system.post(breach_url(their_case), breach_body(condition_of(their_case)))
    assert response.status_code == 404
    assert not Breach.objects.exists()


def test_a_client_writes_once_its_agency_joins_the_team(system, their_case, agency_a):
    CaseTeamMembershipFactory(case=their_case, user=UserFactory(agency=agency_a))
    response = system.post(breach_url(their_case), breach_body(condition_of(their_case)))
    assert response.status_code == 201, response.content
    assert Breach.objects.filter(case=their_case).count() == 1


def test_a_member_who_left_no_longer_lets_the_client_in(system, our_case):
    our_case.team_memberships.update(left_at=timezone.now())
    response = system.get(reverse("api:case-detail", kwargs={"case_id": our_case.pk}))
    assert response.status_code == 404


def test_a_client_cannot_go_beyond_its_scopes(agency_a, our_case):
    client, secret = client_registered(agency_a, scopes=["cases:read"])
    reader = TokenClient(token_for(client, secret))
    assert reader.get(reverse("api:case-list")).status_code == 200
    response = reader.post(breach_url(our_case), breach_body(condition_of(our_case)))
    assert response.status_code == 403
    assert "breaches:write" in response.json()["detail"]
    assert not Breach.objects.exists()


def test_a_client_cannot_ask_for_a_scope_it_was_not_given(agency_a):
    client, secret = client_registered(agency_a, scopes=["cases:read"])
    response = token_request(client, secret, scope="cases:read breaches:write")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_a_token_never_reveals_the_address_or_witnesses(system, our_case):
    our_case.protected_address = "1 Canary Row"
    our_case.save()
    body = system.get(reverse("api:case-detail", kwargs={"case_id": our_case.pk})).content
    assert b"Canary" not in body


def test_a_client_is_throttled_with_a_problem_and_retry_after(system, our_case, settings):
    settings.ORDERWATCH_API_CLIENT_RATE = "3/minute"
    statuses = [system.get(reverse("api:case-list")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = system.get(reverse("api:case-list"))
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 60


def test_the_limit_counts_each_client_apart(system, agency_a, our_case, settings):
    settings.ORDERWATCH_API_CLIENT_RATE = "2/minute"
    other, secret = client_registered(agency_a)
    second = TokenClient(token_for(other, secret))
    for _ in range(2):
        assert system.get(reverse("api:case-list")).status_code == 200
    assert system.get(reverse("api:case-list")).status_code == 429
    assert second.get(reverse("api:case-list")).status_code == 200


def test_the_same_idempotency_key_makes_one_breach(system, our_case):
    body = breach_body(condition_of(our_case))
    first = system.post(breach_url(our_case), body, key="retry-me")
    again = system.post(breach_url(our_case), body, key="retry-me")
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Breach.objects.count() == 1


def test_a_key_sent_again_with_a_different_request_is_refused(system, our_case):
    body = breach_body(condition_of(our_case))
    system.post(breach_url(our_case), body, key="one-key")
    response = system.post(breach_url(our_case), {**body, "severity": 3}, key="one-key")
    assert response.status_code == 409
    assert Breach.objects.count() == 1


def test_two_clients_may_use_the_same_key_words(system, agency_a, our_case):
    other, secret = client_registered(agency_a)
    second = TokenClient(token_for(other, secret))
    body = breach_body(condition_of(our_case))
    assert system.post(breach_url(our_case), body, key="k1").status_code == 201
    assert second.post(breach_url(our_case), body, key="k1").status_code == 201
    assert Breach.objects.count() == 2


def test_a_post_without_a_key_is_a_400_and_saves_nothing(system, our_case):
    response = system.post(
        breach_url(our_case), breach_body(condition_of(our_case)), HTTP_IDEMPOTENCY_KEY=""
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Breach.objects.exists()


def test_a_breach_with_problems_gets_them_by_field_and_saves_nothing(system, our_case):
    body = breach_body(condition_of(our_case))
    body["police_reference"] = ""
    body["behaviours"] = ["shouting at the moon"]
    response = system.post(breach_url(our_case), body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"behaviours"}
    body["behaviours"] = ["direct_contact"]
    response = system.post(breach_url(our_case), body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"police_reference"}
    assert not Breach.objects.exists()


def test_a_stale_if_match_is_412_and_saves_nothing(system, our_case):
    order = our_case.orders.get()
    order_url = reverse("api:order-detail", kwargs={"case_id": our_case.pk, "order_id": order.pk})
    changes_url = reverse(
        "api:order-changes", kwargs={"case_id": our_case.pk, "order_id": order.pk}
    )
    etag = system.get(order_url)["ETag"]
    change = {"kind": "varied", "made_on": timezone.localdate().isoformat(), "what_changed": "x"}
    system.post(breach_url(our_case), breach_body(condition_of(our_case)))  # the case moves on
    stale = system.post(changes_url, change, HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert not order.changes.exists()
    fresh = system.post(changes_url, change, HTTP_IF_MATCH=system.get(order_url)["ETag"])
    assert fresh.status_code == 201, fresh.content
    assert order.changes.count() == 1


def test_a_closed_case_refuses_writes_with_a_conflict(system, our_case):
    closed = {"status": Case.Status.CLOSED, "closed_at": timezone.now()}
    Case.objects.filter(pk=our_case.pk).update(**closed)
    response = system.post(breach_url(our_case), breach_body(condition_of(our_case)))
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_every_call_is_audited_as_the_client_and_who_registered_it(system, our_case):
    client = ApiClient.objects.get()
    system.get(reverse("api:case-list"))
    system.get(
        reverse("api:case-detail", kwargs={"case_id": "00000000-0000-0000-0000-000000000000"})
    )
    calls = AuditEvent.objects.filter(verb=Verb.API_CLIENT_CALLED).order_by("occurred_at")
    assert [(e.actor_id, e.payload["route"], e.payload["status"]) for e in calls] == [
        (client.account_id, "api:case-list", 200),
        (client.account_id, "api:case-detail", 404),
    ]
    assert {e.payload["registered_by"] for e in calls} == {str(client.created_by_id)}


def test_a_revoked_client_is_refused_at_once(system, our_case):
    client = ApiClient.objects.get()
    api_client_revoke(actor=client.created_by, client_id=client.pk)
    response = system.get(reverse("api:case-list"))
    assert response.status_code == 401
    assert "invalid_token" in response["WWW-Authenticate"]
    client.refresh_from_db()
    assert client.revoked_at is not None
    assert not client.account.is_active


def test_a_client_past_its_end_date_gets_no_token(agency_a, time_machine):
    client, secret = client_registered(agency_a)
    time_machine.move_to(timezone.now() + dt.timedelta(days=91))
    assert token_request(client, secret).status_code == 401


def test_a_client_account_cannot_sign_in_or_be_listed_as_a_person(agency_a, client):
    registered, _ = client_registered(agency_a)
    account = registered.account
    assert account.role == User.Role.API_CLIENT
    assert not account.has_usable_password()
    assert account not in list(people_list(actor=registered.created_by).page)


def test_a_client_records_a_share_with_a_party_and_sees_them_informed(system, our_case):
    from orderwatch.sharing.models import Party, Share

    party = Party.objects.create(case=our_case, kind="school", name="Head", organisation="School")
    url = reverse("api:case-shares", kwargs={"case_id": our_case.pk})
    before = system.get(url).json()["parties"]
    assert [(p["id"], p["state"]) for p in before] == [(str(party.pk), "not_yet_informed")]
    assert "contact_details" not in before[0]
    body = {
        "party": str(party.pk),
        "what": ["order_summary"],
        "shared_on": timezone.localdate().isoformat(),
        "how": "secure_email",
        "purpose": "So the school knows who may collect the children",
        "lawful_basis": "safeguarding",
        "told_what_to_do_on_breach": True,
    }
    response = system.post(url, body)
    assert response.status_code == 201, response.content
    assert response.json()["parties"][0]["state"] == "informed"
    assert Share.objects.get().created_by == ApiClient.objects.get().account


def test_a_client_adds_evidence_with_a_file_streamed_hashed_and_chained(system, our_case):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client as HttpClient

    from orderwatch.evidence.models import EvidenceItem
    from orderwatch.evidence.tests.factories import PNG as content

    url = reverse("api:case-evidence", kwargs={"case_id": our_case.pk})
    form = {
        "kind": "photo",
        "happened_precision": "date",
        "happened_on": timezone.localdate().isoformat(),
        "description": "Photo of the message on the door",
        "files": [SimpleUploadedFile("door.png", content, content_type="image/png")],
    }
    sender = HttpClient(HTTP_AUTHORIZATION=system.defaults["HTTP_AUTHORIZATION"])
    response = sender.post(url, form, HTTP_IDEMPOTENCY_KEY="photo-1")
    assert response.status_code == 201, response.content
    assert response.json()["files"][0]["sha256"] == hashlib.sha256(content).hexdigest()
    form["files"] = [SimpleUploadedFile("door.png", content, content_type="image/png")]
    again = sender.post(url, form, HTTP_IDEMPOTENCY_KEY="photo-1")
    assert again["Idempotent-Replayed"] == "true"
    assert EvidenceItem.objects.filter(case=our_case).count() == 1
