"""Checking a breach account is complete and consistent, before anything is saved.

No queries here: the service adds the checks that need the database (the conditions).
"""

import datetime as dt
from typing import TYPE_CHECKING

from orderwatch.breaches.models import Behaviour, Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision

if TYPE_CHECKING:
    from orderwatch.breaches.services import BreachAccount

TIMED = (Precision.EXACT, Precision.APPROXIMATE)
NOT_REPORTED = "Enter why it has not been reported to the police"
PLACE_NEEDED = "Enter where it happened"
PROBATION_TOLD_IN_FUTURE = "The date probation was told cannot be in the future"
# A "Yes" that needs its details: details field -> (answer field, message).
DETAILS_WHEN_GIVEN = {
    "other_agencies_details": ("other_agencies", "Enter which other agencies were told"),
    "others_present_details": ("others_present", "Enter who else was there"),
    "witness_details": ("witnesses", "Enter the witnesses' names and how to contact them"),
}


def problems(account: "BreachAccount", *, now: dt.datetime) -> dict[str, str]:
    """Return every problem with the account, keyed by the form field to fix."""
    tz = now.tzinfo
    today = now.date()
    errors = occurrence_problems(account.occurrence, now)
    reported_at = account.reported_to_practitioner_at
    if reported_at > now:
        errors["reported_to_practitioner_at"] = (
            "The time it was reported to you cannot be in the future"
        )
    elif not errors and reported_at < account.occurrence.earliest(tz):
        errors["reported_to_practitioner_at"] = (
            "The time it was reported to you must be after it happened. Check both dates"
        )
    errors |= _record_problems(account)
    if account.police_reported:
        errors |= police_report_problems(
            reported_on=account.police_reported_on,
            method=account.police_method,
            reference=account.police_reference,
            officer=account.police_officer,
            officer_not_known=account.police_officer_not_known,
            happened_on=account.occurrence.first_day,
            today=today,
        )
    elif not account.not_reported_reason.strip():
        errors["not_reported_reason"] = NOT_REPORTED
    errors |= _probation_problems(account, today)
    for name, (answer, message) in DETAILS_WHEN_GIVEN.items():
        if getattr(account, answer) == Known.GIVEN and not getattr(account, name).strip():
            errors[name] = message
    errors |= action_problems(account.actions, account.action_details)
    return errors


def _record_problems(account: "BreachAccount") -> dict[str, str]:
    errors = {}
    if account.location == Breach.Location.OTHER and not account.location_details.strip():
        errors["location_details"] = PLACE_NEEDED
    if not account.what_happened.strip():
        errors["what_happened"] = "Enter what happened, in as much detail as you have"
    if not account.behaviours or not set(account.behaviours) <= set(Behaviour.values):
        errors["behaviours"] = "Select the kind of behaviour"
    if account.severity not in Breach.Severity.values:
        errors["severity"] = "Select how serious it was"
    return errors


def _probation_problems(account: "BreachAccount", today: dt.date) -> dict[str, str]:
    informed_on = account.probation_informed_on
    if account.respondent_supervised != Known.GIVEN or informed_on is None:
        return {}
    if informed_on > today:
        return {"probation_informed_on": PROBATION_TOLD_IN_FUTURE}
    if informed_on < account.occurrence.first_day:
        return {"probation_informed_on": "The date probation was told must be after it happened"}
    return {}


def occurrence_problems(occurrence: Occurrence, now: dt.datetime) -> dict[str, str]:
    """Return what is missing or impossible (in the future) about when something happened."""
    names = {"at": "happened_at_time", "until": "happened_until"}
    errors = {names[part]: message for part, message in occurrence.problems().items()}
    if errors:
        return errors
    if occurrence.first_day > now.date():
        errors["happened_on"] = "The date it happened cannot be in the future"
    elif occurrence.earliest(now.tzinfo) > now:
        # Today, but at a time still to come: the time is what needs fixing, not the date.
        errors["happened_at_time"] = "The time it happened cannot be in the future"
    elif occurrence.precision == Precision.RANGE and occurrence.last_day > now.date():
        errors["happened_until"] = "The last date it could have happened cannot be in the future"
    return errors


def police_report_problems(
    *,
    reported_on: dt.date | None,
    method: str,
    reference: str,
    officer: str,
    officer_not_known: bool,
    happened_on: dt.date | None,
    today: dt.date,
) -> dict[str, str]:
    """Return what is missing from a police report: when, how, the reference, the officer.

    With `happened_on` not yet answered, the report's date is not compared with it.
    """
    errors = {}
    if reported_on is None:
        errors["police_reported_on"] = "Enter the date it was reported to the police"
    elif reported_on > today:
        errors["police_reported_on"] = "The date it was reported cannot be in the future"
    elif happened_on is not None and reported_on < happened_on:
        errors["police_reported_on"] = (
            "The date it was reported to the police must be on or after the date it happened"
        )
    if method not in Breach.PoliceMethod.values:
        errors["police_method"] = "Select how it was reported to the police"
    if not reference.strip():
        errors["police_reference"] = (
            "Enter the police reference. If there is none yet, answer no and say why"
        )
    if not officer.strip() and not officer_not_known:
        errors["police_officer"] = "Enter the officer's name, or tick that it is not known"
    return errors


def action_problems(actions: list[str], details: str) -> dict[str, str]:
    """Return what is wrong with what was done as a result."""
    chosen = set(actions)
    if not chosen or not chosen <= set(Breach.Action.values):
        return {"actions": "Select what was done as a result, or nothing yet"}
    if Breach.Action.NOTHING_YET in chosen and len(chosen) > 1:
        return {"actions": "Select what was done, or nothing yet – not both"}
    if Breach.Action.OTHER in chosen and not details.strip():
        return {"action_details": "Enter what else was done"}
    return {}


def conditions_picked_problems(breached: dict[str, str], *, matches_no_condition: bool) -> dict:
    """Return what is wrong with the conditions picked: none and not "matches none", both, or
    a condition without how the conduct breached it."""
    errors = {}
    if not breached and not matches_no_condition:
        errors["conditions"] = "Select the conditions it breached, or that it matches none of them"
    elif breached and matches_no_condition:
        errors["conditions"] = (
            "Select the conditions it breached, or that it matches none – not both"
        )
    for condition_id, how in breached.items():
        if not how.strip():
            errors[f"how_{condition_id}"] = "Enter how the conduct breached this condition"
    return errors
