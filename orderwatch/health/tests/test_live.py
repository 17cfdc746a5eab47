"""`/health/live`: the process answers, whatever the database is doing (ADR 0032)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIVE = reverse("health:live")


def test_live_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(LIVE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_live_stays_ok_while_the_database_is_down(client, database_down):
    database_down(down=True)
    response = client.get(LIVE)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_live_answers_a_head_request(client):
    assert client.head(LIVE).status_code == 200
