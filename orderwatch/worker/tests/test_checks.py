"""Worker timings that would take tasks from live workers are refused at start-up."""

import pytest

from orderwatch.worker.checks import worker_timings_check


def test_a_lease_of_three_heartbeats_or_more_passes(settings):
    settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS = 10
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = 30
    assert worker_timings_check(None) == []


@pytest.mark.parametrize(("heartbeat", "lease"), [(10, 20), (0, 60), (-1, 60)])
def test_a_lease_shorter_than_three_heartbeats_is_refused(settings, heartbeat, lease):
    settings.ORDERWATCH_WORKER_HEARTBEAT_SECONDS = heartbeat
    settings.ORDERWATCH_WORKER_LEASE_SECONDS = lease
    (error,) = worker_timings_check(None)
    assert error.id == "worker.E001"
