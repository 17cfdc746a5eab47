"""When a scheduled job is due: every so often from its last start, or once for each time of
day (or of the week) passed since it last started, however many were missed. No database."""

import datetime as dt
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from orderwatch.worker.schedule import (
    Daily,
    Every,
    Job,
    Weekly,
    due_jobs,
    is_due,
    next_due,
    seconds_until_next,
    service_jobs,
)

LONDON = zoneinfo.ZoneInfo("Europe/London")
UTC = dt.UTC
QUARTER_HOUR = Every(dt.timedelta(minutes=15))
SWEEP = Daily(dt.time(3, 30), LONDON)
VERIFY = Weekly(6, dt.time(4, 0), LONDON)

# Hypothesis bounds are naive; the moments drawn are in UTC.
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001
    max_value=dt.datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)
schedules = st.one_of(
    st.builds(
        Every, st.timedeltas(min_value=dt.timedelta(seconds=1), max_value=dt.timedelta(days=8))
    ),
    st.builds(Daily, st.times(), st.just(LONDON)),
    st.builds(Weekly, st.integers(0, 6), st.times(), st.just(LONDON)),
)


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_a_job_never_run_is_due_at_once():
    now = london(2026, 3, 5, 10, 0)
    assert is_due(SWEEP, None, now)
    assert next_due(SWEEP, None) is None


def test_a_frequent_job_is_due_fifteen_minutes_after_it_last_started():
    started = london(2026, 3, 5, 10, 0)
    assert not is_due(QUARTER_HOUR, started, started + dt.timedelta(minutes=14, seconds=59))
    assert is_due(QUARTER_HOUR, started, started + dt.timedelta(minutes=15))


def test_a_daily_job_run_today_waits_for_tomorrows_time():
    ran = london(2026, 3, 5, 3, 30)
    assert not is_due(SWEEP, ran, london(2026, 3, 5, 23, 59))
    assert next_due(SWEEP, ran) == london(2026, 3, 6, 3, 30)
    assert is_due(SWEEP, ran, london(2026, 3, 6, 3, 30))


def test_a_daily_job_started_by_hand_before_its_time_still_runs_at_its_time():
    ran_by_hand = london(2026, 3, 5, 1, 0)
    assert next_due(SWEEP, ran_by_hand) == london(2026, 3, 5, 3, 30)


def test_a_scheduler_down_for_days_runs_a_daily_job_once_on_return():
    jobs = [Job("sweep_stored_files", SWEEP)]
    ran = london(2026, 3, 1, 3, 30)
    back = london(2026, 3, 5, 12, 0)

    assert due_jobs(jobs, {"sweep_stored_files": ran}, back) == jobs
    assert due_jobs(jobs, {"sweep_stored_files": back}, back + dt.timedelta(hours=12)) == []


def test_the_weekly_check_runs_on_sunday_morning():
    thursday = london(2026, 3, 5, 4, 0)
    assert next_due(VERIFY, thursday) == london(2026, 3, 8, 4, 0)
    assert next_due(VERIFY, london(2026, 3, 8, 4, 0)) == london(2026, 3, 15, 4, 0)


def test_the_daily_time_is_local_time_through_a_clock_change():
    # The clocks go forward on Sunday 29 March 2026: 03:30 is in BST after, GMT before.
    assert next_due(SWEEP, london(2026, 3, 28, 3, 30)).astimezone(UTC) == dt.datetime(
        2026, 3, 29, 2, 30, tzinfo=UTC
    )
    assert next_due(SWEEP, london(2026, 3, 27, 3, 30)).astimezone(UTC) == dt.datetime(
        2026, 3, 28, 3, 30, tzinfo=UTC
    )


def test_a_time_the_clocks_skip_still_comes_once_that_day():
    skipped = Daily(dt.time(1, 30), LONDON)  # 01:00 to 02:00 does not happen on 29 March 2026
    due = next_due(skipped, london(2026, 3, 28, 12, 0))
    assert due.astimezone(UTC) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert next_due(skipped, due).date() == dt.date(2026, 3, 30)


def test_the_next_wake_is_when_the_soonest_job_falls_due():
    now = london(2026, 3, 5, 10, 0)
    jobs = [Job("send_reminders", QUARTER_HOUR), Job("sweep_stored_files", SWEEP)]
    last = {"send_reminders": now - dt.timedelta(minutes=10), "sweep_stored_files": now}
    assert seconds_until_next(jobs, last, now) == 5 * 60
    assert seconds_until_next(jobs, {"send_reminders": now}, now) == 0, "the sweep never ran"


def test_a_schedule_refuses_nonsense():
    with pytest.raises(ValueError, match="longer than nothing"):
        Every(dt.timedelta(0))
    with pytest.raises(ValueError, match="weekday"):
        Weekly(7, dt.time(4, 0), LONDON)
    with pytest.raises(ValueError, match="at least one job"):
        seconds_until_next([], {}, london(2026, 3, 5, 10, 0))


def test_the_service_runs_every_job_the_old_cron_lines_ran():
    jobs = {job.command: job.when for job in service_jobs(LONDON)}
    assert jobs == {
        "send_reminders": QUARTER_HOUR,
        "audit_checkpoint": QUARTER_HOUR,
        "send_pending_emails": QUARTER_HOUR,
        "prepare_pending_exports": QUARTER_HOUR,
        "send_webhooks": Every(dt.timedelta(minutes=1)),
        "sweep_stored_files": SWEEP,
        "purge_sign_in_records": Daily(dt.time(3, 40), LONDON),
        "clearsessions": Daily(dt.time(3, 45), LONDON),
        "purge_api_records": Daily(dt.time(3, 50), LONDON),
        "purge_webhook_deliveries": Daily(dt.time(3, 55), LONDON),
        "verify_stored_files": VERIFY,
    }


@given(when=schedules, last_run=moments)
def test_a_job_is_next_due_after_its_last_start_and_not_before(when, last_run):
    due = next_due(when, last_run)
    assert due > last_run
    assert not is_due(when, last_run, last_run)
    assert not is_due(when, last_run, due - dt.timedelta(microseconds=1))
    assert is_due(when, last_run, due)


@given(when=st.one_of(schedules.filter(lambda w: not isinstance(w, Every))), last_run=moments)
def test_a_calendar_job_falls_due_at_its_time_and_within_a_week(when, last_run):
    due = next_due(when, last_run)
    local = due.astimezone(LONDON)
    assert due - last_run <= dt.timedelta(days=7, hours=1)
    if isinstance(when, Weekly):
        assert local.weekday() == when.weekday
    # It is the job's time on that local day (a time the clocks skip counts at the old offset).
    assert due == dt.datetime.combine(local.date(), when.at, tzinfo=LONDON)
    # It is the first such moment: none between the last start and it.
    assert next_due(when, last_run) == next_due(when, due - dt.timedelta(microseconds=1))


@given(
    when=schedules, last_run=moments, waited=st.timedeltas(dt.timedelta(0), dt.timedelta(days=60))
)
def test_however_long_the_scheduler_was_away_a_due_job_runs_once(when, last_run, waited):
    now = last_run + waited
    jobs = [Job("job", when)]
    due = due_jobs(jobs, {"job": last_run}, now)
    assert len(due) <= 1
    # Run now: not due again at the same moment.
    assert due_jobs(jobs, {"job": now}, now) == []
    assert (seconds_until_next(jobs, {"job": last_run}, now) == 0) == bool(due)
