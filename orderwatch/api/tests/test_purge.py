import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from orderwatch.api.models import IdempotentRequest, RateWindow

pytestmark = pytest.mark.django_db


def test_the_daily_purge_keeps_what_is_still_read(practitioner):
    now = timezone.now()
    RateWindow.objects.create(key="client:old", window_start=now - dt.timedelta(days=3))
    RateWindow.objects.create(key="client:now", window_start=now)
    old = IdempotentRequest.objects.create(
        key="00000000-0000-4000-8000-000000000001", user=practitioner, fingerprint="a"
    )
    IdempotentRequest.objects.filter(pk=old.pk).update(saved_at=now - dt.timedelta(days=8))
    IdempotentRequest.objects.create(
        key="00000000-0000-4000-8000-000000000002", user=practitioner, fingerprint="b"
    )
    call_command("purge_api_records")
    assert list(RateWindow.objects.values_list("key", flat=True)) == ["client:now"]
    assert list(IdempotentRequest.objects.values_list("fingerprint", flat=True)) == ["b"]
