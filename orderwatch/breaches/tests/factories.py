"""Breach data for tests: a valid account to pass to `breach_record`, and a model factory for
volume (query-count) tests that do not need the service's side effects."""

import datetime as dt

import factory
from django.utils import timezone

from orderwatch.breaches.models import Behaviour, Breach, Known
from orderwatch.breaches.occurrence import Occurrence, Precision
from orderwatch.breaches.services import BreachAccount
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.confidential.fields import Confidential


def breach_account(condition=None, **overrides) -> BreachAccount:
    """Return a complete, valid account of a breach yesterday afternoon, reported to police.

    With `condition`, the account says it breached that condition; otherwise that it matches
    none.
    """
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    values = {
        "reported_to_practitioner_at": timezone.now() - dt.timedelta(hours=1),
        "reported_by": Breach.ReportedBy.VICTIM_SURVIVOR,
        "occurrence": Occurrence(Precision.APPROXIMATE, yesterday, dt.time(15, 0)),
        "location": Breach.Location.PUBLIC_PLACE,
        "what_happened": "He waited outside the school gates and shouted at her.",
        "behaviours": [Behaviour.DIRECT_CONTACT],
        "severity": Breach.Severity.MODERATE,
        "police_reported": True,
        "police_reported_on": yesterday,
        "police_method": Breach.PoliceMethod.NON_EMERGENCY,
        "police_reference": "NP-2026-0001",
        "police_officer_not_known": True,
        "respondent_supervised": Known.NOT_KNOWN,
        "other_agencies": Known.NONE,
        "others_present": Known.NOT_KNOWN,
        "witnesses": Known.NONE,
        "actions": [Breach.Action.POLICE_REPORT],
    }
    if condition is not None:
        values["breached"] = {str(condition.pk): "He spoke to her directly."}
    else:
        values["matches_no_condition"] = True
    values.update(overrides)
    return BreachAccount(**values)


class BreachFactory(factory.django.DjangoModelFactory):
    """A breach stored directly, without opening reviews or notifying (volume tests only)."""

    class Meta:
        model = Breach

    case = factory.SubFactory(CaseFactory)
    reported_to_practitioner_at = factory.LazyFunction(timezone.now)
    reported_by = Breach.ReportedBy.VICTIM_SURVIVOR
    happened_precision = Precision.DATE
    happened_on = factory.Sequence(lambda n: timezone.localdate() - dt.timedelta(days=n % 300))
    location = Breach.Location.PUBLIC_PLACE
    what_happened = "Sent a message through a friend."
    behaviours = factory.LazyFunction(lambda: [Behaviour.THIRD_PARTY])
    severity = Breach.Severity.LOW
    police_reported = False
    not_reported_reason = "The victim-survivor is thinking about it."
    respondent_supervised = Known.NOT_KNOWN
    other_agencies = Known.NONE
    others_present = Known.NONE
    witnesses = Known.NONE
    witness_details = factory.LazyFunction(lambda: Confidential.from_plaintext(""))
    matches_no_condition = True
    actions = factory.LazyFunction(lambda: [Breach.Action.NOTHING_YET])
