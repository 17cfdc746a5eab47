"""Notice new escalations in a case's pattern, once each, and ask the lead to review."""

from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case
from orderwatch.patterns.models import PatternEscalation
from orderwatch.patterns.selectors import case_analysis
from orderwatch.safety.services import safety_review_open
from orderwatch.tasks.models import Task


def pattern_escalations_note(*, actor: User, case: Case) -> list[PatternEscalation]:
    """Record the flags not seen before on the case and open one review for them.

    Only `events` calls it, after an incident is added or changed, with the case row locked:
    calls for one case take turns, so two incidents saved at once are seen together by the
    second, and each escalation is stored once even so (a unique key). Page views never call
    it, so a review is opened once per escalation, however often the pattern is read.
    """
    analysis = case_analysis(case=case)
    known = set(
        PatternEscalation.objects.filter(case=case).values_list("escalation_key", flat=True)
    )
    fresh = [
        PatternEscalation(
            case=case,
            escalation_key=flag.escalation_key,
            code=flag.code,
            reason=flag.reason,
            created_by=actor,
        )
        for flag in analysis.flags
        if flag.escalation_key not in known
    ]
    if not fresh:
        return []
    PatternEscalation.objects.bulk_create(fresh, ignore_conflicts=True)
    noticed = list(PatternEscalation.objects.filter(pk__in=[e.pk for e in fresh]))
    if not noticed:
        return []  # a concurrent call noticed them first, and opened the review
    noticed.sort(key=lambda e: e.escalation_key)
    review = safety_review_open(
        actor=actor, case=case, origin=Task.Origin.PATTERN, origin_id=noticed[0].pk
    )
    PatternEscalation.objects.filter(pk__in=[e.pk for e in noticed]).update(review=review)
    for escalation in noticed:
        escalation.review = review
    for escalation in noticed:
        audit_record(
            actor=actor,
            verb=Verb.PATTERN_ESCALATED,
            target=escalation,
            case=case,
            payload={"code": escalation.code},
        )
    return noticed
