"""Old rows of the delivery logs are deleted daily (ADR 0045); waiting deliveries stay."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from orderwatch.clients.tests.tokens import client_registered
from orderwatch.core.tests import people
from orderwatch.events.models import CaseEventEntry
from orderwatch.events.table import CaseEvent
from orderwatch.webhooks.models import WebhookDelivery
from orderwatch.webhooks.services import webhook_add

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def test_finished_deliveries_older_than_the_setting_are_deleted(
    idva_service, practitioner, settings
):
    settings.ORDERWATCH_WEBHOOK_LOG_KEEP_DAYS = 30
    client, _ = client_registered(idva_service)
    webhook, _ = webhook_add(
        actor=client.created_by, client_id=client.pk, url="https://hooks.example.org/in"
    )
    case = people.case_led_by(practitioner)
    now = timezone.now()

    def delivery(status, age_days):
        entry = CaseEventEntry.objects.create(
            case=case, kind=CaseEvent.BREACH_RECORDED, subject_id=case.pk
        )
        return WebhookDelivery.objects.create(
            webhook=webhook,
            entry=entry,
            status=status,
            next_attempt_at=now if status == Status.PENDING else None,
            created_at=now - dt.timedelta(days=age_days),
        )

    kept = {
        delivery(Status.DELIVERED, 29).pk,
        delivery(Status.FAILED, 29).pk,
        delivery(Status.PENDING, 40).pk,
    }
    delivery(Status.DELIVERED, 31)
    delivery(Status.FAILED, 31)
    delivery(Status.STOPPED, 31)

    out = StringIO()
    call_command("purge_webhook_deliveries", stdout=out)

    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == kept
    assert out.getvalue() == "3 webhook deliveries deleted.\n"
