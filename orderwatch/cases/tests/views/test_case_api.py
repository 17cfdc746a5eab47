import pytest
from django.urls import reverse

from orderwatch.accounts.tests.factories import sign_in_with_two_factor
from orderwatch.audit.models import AuditEvent, Verb

pytestmark = pytest.mark.django_db

ADDRESS = "1 Test Street, Testtown, TT1 1TT"


def test_api_lists_only_the_users_cases(client, practitioner, case, outsider):
    sign_in_with_two_factor(client, outsider)
    assert client.get(reverse("api:case-list")).json()["results"] == []
    sign_in_with_two_factor(client, practitioner)
    results = client.get(reverse("api:case-list")).json()["results"]
    assert [r["reference"] for r in results] == [case.reference]


def test_api_case_detail_has_people_and_team_but_never_the_address(client, practitioner, case):
    sign_in_with_two_factor(client, practitioner)
    response = client.get(reverse("api:case-detail", kwargs={"case_id": case.pk}))
    body = response.json()
    assert body["has_protected_address"] is True
    assert [p["role"] for p in body["people"]] == ["victim_survivor"]
    assert body["team"][0]["name"] == "Pat Lead"
    assert ADDRESS not in response.text
    assert AuditEvent.objects.get(verb=Verb.CASE_VIEWED).origin == "api"


def test_api_case_detail_for_a_case_elsewhere_is_404(client, outsider, case):
    sign_in_with_two_factor(client, outsider)
    response = client.get(reverse("api:case-detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 404
    assert case.reference not in response.text


def test_openapi_schema_describes_the_case_endpoints(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    response = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    paths = response.json()["paths"]
    assert "/api/v1/cases/" in paths
    assert "/api/v1/cases/{case_id}/" in paths


def test_an_api_error_is_problem_details_that_say_nothing_of_the_case(client, outsider, case):
    sign_in_with_two_factor(client, outsider)
    response = client.get(reverse("api:case-detail", kwargs={"case_id": case.pk}))
    assert response["Content-Type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "Not found.",
    }


def test_an_api_call_without_credentials_is_a_401_that_asks_for_a_bearer_token(client, case):
    response = client.get(reverse("api:case-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith('Bearer realm="OrderWatch API"')
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (401, "Unauthorized")
    assert "credentials" in body["detail"]


def test_the_schema_documents_the_problem_statuses_for_every_operation(client, practitioner):
    sign_in_with_two_factor(client, practitioner)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json").json()
    assert "Problem" in schema["components"]["schemas"]
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 3
    for operation in operations:
        for status in ("400", "401", "403", "404", "409", "412", "413", "429"):
            content = operation["responses"][status]["content"]
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }


def test_the_api_says_whether_a_case_is_open_or_closed(client, practitioner, case):
    from orderwatch.cases.tests.closing import closed

    closed(practitioner, case)
    sign_in_with_two_factor(client, practitioner)
    (listed,) = client.get(reverse("api:case-list")).json()["results"]
    detail = client.get(reverse("api:case-detail", kwargs={"case_id": case.pk})).json()
    assert listed["status"] == detail["status"] == "closed"
    assert detail["closed_at"] is not None
