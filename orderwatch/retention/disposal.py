"""What disposing of a case's records deletes, and what it keeps (ADR 0041).

Every model that holds anything about a case is named here once: in `DISPOSED`, with the lookup
from its rows to the case, in an order that deletes what refers to a row before the row itself;
or in `KEPT`, with the reason it stays. A test fails when a model reaching a case is in neither.
"""

# (model, lookup to the case's id), children before their parents.
DISPOSED: tuple[tuple[str, str], ...] = (
    ("diary.DiaryEntryCheck", "item__case"),
    ("diary.DiaryOrderShare", "case"),
    ("diary.DiaryPlanShare", "case"),
    ("diary.DiarySetting", "case"),
    ("breaches.BreachedCondition", "breach__case"),
    ("evidence.EvidenceBreachLink", "item__case"),
    ("evidence.EvidenceIncident", "item__case"),
    ("evidence.EvidenceRemoval", "item__case"),
    ("evidence.EvidenceFile", "item__case"),
    ("evidence.EvidenceItem", "case"),
    ("reminders.ExpiryDecision", "order__case"),
    ("orders.OrderChange", "order__case"),
    ("orders.OrderCopy", "order__case"),
    ("orders.Condition", "order__case"),
    ("breaches.Breach", "case"),
    ("orders.Order", "case"),
    ("orders.AddressChange", "case"),
    ("patterns.PatternEscalation", "case"),
    ("tasks.TaskReason", "task__case"),
    ("tasks.Task", "case"),
    ("notifications.Notification", "case"),
    ("webhooks.WebhookDelivery", "entry__case"),
    ("events.CaseEventEntry", "case"),
    ("safety.SafetyAction", "plan__case"),
    ("safety.SafetyMeasure", "plan__case"),
    ("safety.SafetyAgreement", "plan__case"),
    ("safety.SafetyReview", "plan__case"),
    ("safety.SafetyPlan", "case"),
    ("safety.RiskAssessment", "case"),
    ("sharing.Share", "case"),
    ("sharing.SharingEvent", "case"),
    ("sharing.Party", "case"),
    ("exports.Export", "case"),
    ("diary.DiaryAccess", "case"),
    ("diary.DiaryInvite", "case"),
    ("cases.CaseClosure", "case"),
    ("retention.LegalHold", "case"),
    ("cases.CaseTeamChange", "case"),
    ("cases.CaseTeamMembership", "case"),
    ("cases.CasePerson", "case"),
)

# Models that refer to a case and stay, and why.
KEPT: dict[str, str] = {
    "cases.Case": "the tombstone's row: its reference and dates; the address is emptied",
    "retention.CaseRetention": "the class the case was kept under and its review date",
    "retention.CaseDisposal": "the tombstone: reference, dates, class and the batch",
    "evidence.ChainEntry": (
        "the evidence chain: ids, hashes, times and professionals' ids, so it still verifies"
    ),
}
