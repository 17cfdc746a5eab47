"""Rate limits per API client and per signed-in person (DRF throttling), counted in a table
every instance shares (`RateWindow`), in fixed windows: a client that goes over waits for the
next window (`Retry-After`)."""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.throttling import BaseThrottle

from orderwatch.api.models import RateWindow

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def rate_parse(rate: str) -> tuple[int, int]:
    """Return (calls, seconds) from a rate such as "120/minute"."""
    calls, _, period = rate.partition("/")
    return int(calls), PERIODS[period.strip()]


def rate_window_count(*, key: str, window_start: dt.datetime) -> int:
    """Count one more call in the window; return the count so far. One statement, so two
    instances counting at once both count (PostgreSQL and SQLite alike)."""
    table = RateWindow._meta.db_table
    start = RateWindow._meta.get_field("window_start").get_db_prep_value(window_start, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (key, window_start) DO UPDATE SET count = {table}.count + 1 "
            "RETURNING count",
            [key, start],
        )
        return cursor.fetchone()[0]


class _SharedRateThrottle(BaseThrottle):
    setting = ""

    def key_for(self, request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request, view) -> bool:
        key = self.key_for(request)
        if key is None:
            return True
        calls, seconds = rate_parse(getattr(settings, self.setting))
        now = timezone.now()
        elapsed = (now - EPOCH).total_seconds()
        window_start = EPOCH + dt.timedelta(seconds=elapsed - elapsed % seconds)
        self.seconds_left = (window_start + dt.timedelta(seconds=seconds) - now).total_seconds()
        return rate_window_count(key=key, window_start=window_start) <= calls

    def wait(self) -> float:
        return self.seconds_left


class ClientRateThrottle(_SharedRateThrottle):
    """Calls by one API client (whatever tokens it holds)."""

    setting = "ORDERWATCH_API_CLIENT_RATE"

    def key_for(self, request) -> str | None:
        if isinstance(request.auth, AccessToken):
            return f"client:{request.user.pk}"
        return None


class PersonRateThrottle(_SharedRateThrottle):
    """Calls by one person signed in to the service (a script run with their session)."""

    setting = "ORDERWATCH_API_PERSON_RATE"

    def key_for(self, request) -> str | None:
        if request.auth is None and request.user is not None and request.user.is_authenticated:
            return f"person:{request.user.pk}"
        return None
