"""When each scheduled job is next due, from when it last ran (ADR 0036). No Django.

A job runs every so often (`Every`) or at a time of day, daily or on one day of the week
(`Daily`, `Weekly`). It is due when one of its moments has passed since it last started; a
scheduler that was down for days runs it once, not once for every moment it missed. A job that
has never run is due at once.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Every:
    """Every `interval`, counted from the start of the last run."""

    interval: dt.timedelta

    def __post_init__(self) -> None:
        if self.interval <= dt.timedelta(0):
            raise ValueError("A job's interval must be longer than nothing.")

    def next_after(self, last_run: dt.datetime) -> dt.datetime:
        return last_run + self.interval


@dataclass(frozen=True)
class Daily:
    """Every day at `at`, the local time in the zone `tz` (the service's `TIME_ZONE`)."""

    at: dt.time
    tz: dt.tzinfo

    def next_after(self, last_run: dt.datetime) -> dt.datetime:
        return _next_moment(last_run, at=self.at, tz=self.tz, days=range(7))


@dataclass(frozen=True)
class Weekly:
    """Every week on `weekday` (Monday is 0) at `at`, local time in `tz`."""

    weekday: int
    at: dt.time
    tz: dt.tzinfo

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValueError("A weekday is 0 (Monday) to 6 (Sunday).")

    def next_after(self, last_run: dt.datetime) -> dt.datetime:
        return _next_moment(last_run, at=self.at, tz=self.tz, days=(self.weekday,))


When = Every | Daily | Weekly


@dataclass(frozen=True)
class Job:
    """A management command the scheduler runs (by its name, with no arguments), and when."""

    command: str
    when: When


def next_due(when: When, last_run: dt.datetime | None) -> dt.datetime | None:
    """Return when a job that last started at `last_run` is next due; None (due now) if never."""
    return None if last_run is None else when.next_after(last_run)


def is_due(when: When, last_run: dt.datetime | None, now: dt.datetime) -> bool:
    """Return whether a job that last started at `last_run` is due at `now`."""
    due = next_due(when, last_run)
    return due is None or due <= now


def due_jobs(jobs: list[Job], last_runs: dict[str, dt.datetime], now: dt.datetime) -> list[Job]:
    """Return the jobs due at `now`, in the order given, from each job's last start by command."""
    return [job for job in jobs if is_due(job.when, last_runs.get(job.command), now)]


def seconds_until_next(
    jobs: list[Job], last_runs: dict[str, dt.datetime], now: dt.datetime
) -> float:
    """Return how long until the next job is due: 0 if one is due now."""
    soonest = min(
        (next_due(job.when, last_runs.get(job.command)) or now for job in jobs), default=None
    )
    if soonest is None:
        raise ValueError("A schedule needs at least one job.")
    return max((soonest - now).total_seconds(), 0.0)


def _next_moment(
    after: dt.datetime, *, at: dt.time, tz: dt.tzinfo, days: range | tuple[int, ...]
) -> dt.datetime:
    """Return the first `at` (local time in `tz`) on one of the weekdays `days` after `after`.

    A time that a clock change skips counts at the same offset as before the change.
    """
    local = after.astimezone(tz)
    for ahead in range(8):
        day = local.date() + dt.timedelta(days=ahead)
        moment = dt.datetime.combine(day, at, tzinfo=tz)
        if day.weekday() in days and moment.astimezone(dt.UTC) > after.astimezone(dt.UTC):
            return moment
    raise AssertionError("unreachable: a weekday recurs within 8 days")


def service_jobs(tz: dt.tzinfo) -> list[Job]:
    """Return the service's scheduled jobs, in the order a pass runs them.

    Reminders come first, so the alerts they make are sent in the same pass. Daily and weekly
    jobs run in the small hours, local time in `tz`.
    """
    quarter_hour = Every(dt.timedelta(minutes=15))
    return [
        Job("send_reminders", quarter_hour),
        Job("audit_checkpoint", quarter_hour),
        Job("send_pending_emails", quarter_hour),
        Job("prepare_pending_exports", quarter_hour),
        Job("send_webhooks", Every(dt.timedelta(minutes=1))),
        Job("sweep_stored_files", Daily(dt.time(3, 30), tz)),
        Job("purge_sign_in_records", Daily(dt.time(3, 40), tz)),
        # Django's own: expired sessions (with any sealed breach draft in them) are deleted.
        Job("clearsessions", Daily(dt.time(3, 45), tz)),
        Job("purge_api_records", Daily(dt.time(3, 50), tz)),
        Job("purge_webhook_deliveries", Daily(dt.time(3, 55), tz)),
        Job("verify_stored_files", Weekly(6, dt.time(4, 0), tz)),
    ]
