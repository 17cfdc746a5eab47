"""The case record: everything held about a case, for a subject access request or a transfer.

Every model that holds anything about a case is named here once: in `SECTIONS`, with the lookup
from its rows to the case and the fields it gives, or in `NOT_EXPORTED`, with the reason. A test
fails when a model reaching a case is in neither (as `retention/disposal.py` does for disposal).

`case_record_read` reads the case in a fixed number of queries, whatever its size, and returns
the record twice over: as plain data for the JSON document (`orderwatch-case-record/1`,
described in docs/case-export.md) and as labelled rows for the readable PDF. Fields are named
one by one, never "all fields", so a new confidential field is not exported by accident.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.text import capfirst

from orderwatch.accounts.models import User
from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.cases.models import Case
from orderwatch.confidential.fields import Confidential
from orderwatch.core.govuk_dates import day_label, moment_label

FORMAT = "orderwatch-case-record/1"

# What a confidential field is withheld under, unless its requester chose to include it.
ADDRESS = "protected_address"
WITNESSES = "witness_details"
PARTS = (ADDRESS, WITNESSES)


@dataclass(frozen=True)
class Section:
    key: str  # its name in the JSON document
    title: str  # its heading in the PDF
    model: str
    lookup: str  # from its rows to the case's id
    fields: tuple[str, ...]
    record_label: str  # each record is "<record_label> <n>" in the PDF
    confidential: dict[str, str] = field(default_factory=dict)  # field -> part it needs
    order_by: tuple[str, ...] = ("created_at", "pk")


SECTIONS: tuple[Section, ...] = (
    Section(
        "people",
        "People",
        "cases.CasePerson",
        "case",
        ("role", "given_name", "family_name", "date_of_birth", "aliases"),
        "Person",
    ),
    Section(
        "team",
        "Case team",
        "cases.CaseTeamMembership",
        "case",
        ("user", "agency", "capacity", "is_lead", "may_see_address", "left_at", "left_reason"),
        "Member",
    ),
    Section(
        "team_changes",
        "Changes to the case team",
        "cases.CaseTeamChange",
        "case",
        ("membership", "kind", "reason"),
        "Team change",
    ),
    Section(
        "orders",
        "Orders",
        "orders.Order",
        "case",
        (
            "order_type",
            "court",
            "court_reference",
            "respondent",
            "made_on",
            "served_on",
            "starts_on",
            "ends_on",
            "until_further_order",
            "copy_checked_at",
            "copy_checked_by",
        ),
        "Order",
    ),
    Section(
        "conditions",
        "Conditions of the orders",
        "orders.Condition",
        "order__case",
        ("order", "kind", "wording", "protects", "place", "exceptions", "ended_on", "ended_reason"),
        "Condition",
        confidential={"place": ADDRESS},
    ),
    Section(
        "order_changes",
        "Changes to the orders (variations, extensions, discharges)",
        "orders.OrderChange",
        "order__case",
        ("order", "kind", "made_on", "new_ends_on", "until_further_order", "what_changed"),
        "Order change",
    ),
    Section(
        "order_copies",
        "Copies of the orders (details only; the files are not included)",
        "orders.OrderCopy",
        "order__case",
        ("order", "content_type", "size", "sha256"),
        "Copy",
    ),
    Section(
        "expiry_decisions",
        "Decisions as orders came to an end",
        "reminders.ExpiryDecision",
        "order__case",
        ("order", "ends_on", "decision", "alternative", "reason"),
        "Decision",
    ),
    Section(
        "moves",
        "Address changes",
        "orders.AddressChange",
        "case",
        ("previous_address", "moved_on", "disclosure_risk", "discussion", "next_step", "reason"),
        "Address change",
        confidential={"previous_address": ADDRESS},
    ),
    Section(
        "breaches",
        "Breaches and incidents",
        "breaches.Breach",
        "case",
        (
            "happened_precision",
            "happened_on",
            "happened_at_time",
            "happened_until",
            "reported_to_practitioner_at",
            "reported_by",
            "reported_by_details",
            "location",
            "location_details",
            "what_happened",
            "behaviours",
            "severity",
            "matches_no_condition",
            "police_reported",
            "police_reported_on",
            "police_method",
            "police_reference",
            "police_officer",
            "not_reported_reason",
            "not_reported_resolution",
            "respondent_supervised",
            "probation_informed_on",
            "other_agencies",
            "other_agencies_details",
            "others_present",
            "others_present_details",
            "witnesses",
            "witness_details",
            "actions",
            "action_details",
        ),
        "Breach",
        confidential={"witness_details": WITNESSES},
    ),
    Section(
        "breached_conditions",
        "Which conditions each breach broke, and how",
        "breaches.BreachedCondition",
        "breach__case",
        ("breach", "condition", "how"),
        "Breached condition",
        order_by=("breach__created_at", "pk"),
    ),
    Section(
        "risk_assessments",
        "Risk levels",
        "safety.RiskAssessment",
        "case",
        ("level", "reason"),
        "Risk level",
    ),
    Section("safety_plans", "Safety plan", "safety.SafetyPlan", "case", (), "Safety plan"),
    Section(
        "safety_actions",
        "Safety plan actions",
        "safety.SafetyAction",
        "plan__case",
        ("plan", "what", "who", "due_on", "done_at", "done_by"),
        "Action",
    ),
    Section(
        "safety_measures",
        "Practical safety measures",
        "safety.SafetyMeasure",
        "plan__case",
        ("plan", "kind", "details", "status"),
        "Measure",
    ),
    Section(
        "safety_agreements",
        "Written agreements and statements of expectations",
        "safety.SafetyAgreement",
        "plan__case",
        ("plan", "kind", "made_with", "agreed_on", "says", "review_on"),
        "Agreement",
    ),
    Section(
        "safety_reviews",
        "Safety plan reviews",
        "safety.SafetyReview",
        "plan__case",
        ("plan", "what_changed", "agreements_still_right"),
        "Review",
    ),
    Section(
        "parties",
        "Who needs to know",
        "sharing.Party",
        "case",
        ("kind", "user", "name", "role", "organisation", "contact_details"),
        "Party",
    ),
    Section(
        "shares",
        "Sharing log",
        "sharing.Share",
        "case",
        (
            "party",
            "what",
            "shared_on",
            "how",
            "how_details",
            "purpose",
            "lawful_basis",
            "lawful_basis_details",
            "told_what_to_do_on_breach",
            "address_included",
            "address_reason",
            "informed_as_of",
        ),
        "Share",
    ),
    Section(
        "sharing_events",
        "Events that asked for the people who need to know to be updated",
        "sharing.SharingEvent",
        "case",
        ("kind",),
        "Sharing event",
    ),
    Section(
        "evidence_items",
        "Evidence and diary entries (details and hashes only; the files are not included)",
        "evidence.EvidenceItem",
        "case",
        (
            "kind",
            "author_kind",
            "description",
            "happened_precision",
            "happened_on",
            "happened_at_time",
            "happened_until",
            "corrects",
            "content_sha256",
        ),
        "Evidence item",
    ),
    Section(
        "evidence_files",
        "Evidence files (details and hashes only)",
        "evidence.EvidenceFile",
        "item__case",
        ("item", "position", "original_name", "content_type", "size", "sha256", "removed_at"),
        "File",
    ),
    Section(
        "evidence_removals",
        "Evidence removed",
        "evidence.EvidenceRemoval",
        "item__case",
        ("item", "reason"),
        "Removal",
    ),
    Section(
        "evidence_incidents",
        "Evidence marked as recording an incident",
        "evidence.EvidenceIncident",
        "item__case",
        ("item", "behaviours", "severity"),
        "Marked incident",
    ),
    Section(
        "evidence_breach_links",
        "Evidence linked to breaches",
        "evidence.EvidenceBreachLink",
        "item__case",
        ("item", "breach"),
        "Link",
    ),
    Section(
        "evidence_chain",
        "Evidence integrity chain",
        "evidence.ChainEntry",
        "case",
        (
            "sequence",
            "kind",
            "item",
            "item_hash",
            "removal_hash",
            "previous_hash",
            "entry_hash",
            "recorded_at",
            "author",
        ),
        "Chain entry",
        order_by=("sequence",),
    ),
    Section(
        "pattern_escalations",
        "Escalations in the pattern of incidents",
        "patterns.PatternEscalation",
        "case",
        ("code", "reason", "review"),
        "Escalation",
    ),
    Section(
        "tasks",
        "Tasks",
        "tasks.Task",
        "case",
        ("kind", "title", "assignee", "due_on", "origin", "origin_id", "done_at", "done_by"),
        "Task",
    ),
    Section(
        "task_reasons",
        "Why each review was opened",
        "tasks.TaskReason",
        "task__case",
        ("task", "origin", "origin_id"),
        "Reason",
    ),
    Section(
        "diary_access",
        "The victim-survivor's diary",
        "diary.DiaryAccess",
        "case",
        ("user", "ended_at", "ended_by"),
        "Diary",
    ),
    # What the lead showed in the diary (ADR 0046). Which actions and measures a plan share
    # named, and which conditions an entry's answer named, are not in the record: the audit
    # events `diary.plan_shared` and `diary.entry_checked` hold their ids.
    Section(
        "diary_order_shares",
        "Orders shown in the diary",
        "diary.DiaryOrderShare",
        "case",
        ("order", "withdrawn_at", "withdrawn_by"),
        "Order shown",
    ),
    Section(
        "diary_plan_shares",
        "The safety plan shown in the diary",
        "diary.DiaryPlanShare",
        "case",
        ("review_on", "withdrawn_at", "withdrawn_by"),
        "Safety plan shown",
    ),
    Section(
        "diary_settings",
        "How the diary shows the order",
        "diary.DiarySetting",
        "case",
        ("order_hidden", "changed_by"),
        "Setting",
    ),
    Section(
        "diary_entry_checks",
        "What the victim-survivor ticked on a diary entry",
        "diary.DiaryEntryCheck",
        "item__case",
        ("item", "happened"),
        "Answer",
    ),
    Section(
        "closures",
        "Closing and reopening",
        "cases.CaseClosure",
        "case",
        ("kind", "reason", "reason_text", "decisions"),
        "Closure",
    ),
    Section(
        "retention",
        "Retention",
        "retention.CaseRetention",
        "case",
        (
            "closed_on",
            "retention_class",
            "classes",
            "review_on",
            "confirm_before_disposal",
            "schedule_version",
        ),
        "Retention",
    ),
    Section(
        "legal_holds",
        "Legal holds",
        "retention.LegalHold",
        "case",
        (
            "kind",
            "other_reason",
            "placed_by",
            "placed_at",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ),
        "Legal hold",
    ),
)

# Models that reach a case and are left out of its record, and why.
NOT_EXPORTED: dict[str, str] = {
    "exports.Export": "documents prepared from the case: asking for one is in the audit summary",
    "notifications.Notification": (
        "alerts to the team about events that are in the record already"
    ),
    "diary.DiaryInvite": "one-time invitation links: secrets, of no use once the diary is set up",
    "retention.CaseDisposal": "a case whose records were disposed of cannot be exported",
    "events.CaseEventEntry": (
        "the API's feed of what happened (ids, kinds, times): the records it points to are in "
        "the record"
    ),
}

# Told to whoever receives the record, in the document itself.
LEFT_OUT = (
    "The files themselves (evidence, copies of orders): their details and SHA-256 hashes are "
    "here, and the signed evidence bundle holds the evidence files.",
    "Alerts sent to the case team, and one-time diary invitation links.",
    "The audit log itself: a summary of what was done on the case, and how often, is at the end.",
)

WITHHELD_TEXT = {
    ADDRESS: "Withheld (the protected address was not chosen)",
    WITNESSES: "Withheld (witness details were not chosen)",
}


@dataclass
class CaseRecord:
    """The record as JSON-ready data and as labelled rows for the PDF."""

    data: dict
    sections: list[dict]  # {"key", "title", "records": [{"label", "rows": [(name, shown)]}]}
    audit: list[dict]


def case_record_read(
    *, case: Case, made_by: User, include: frozenset[str] = frozenset()
) -> CaseRecord:
    """Read everything held about `case` (already granted to `made_by`), withholding each
    confidential part not in `include`, in a fixed number of queries."""
    now = timezone.now()
    rows = {section.key: _rows(section, case) for section in SECTIONS}
    labels = _record_labels(rows)
    related = _related_objects(rows)
    data = {
        "format": FORMAT,
        "made_at": _iso(now),
        "made_by": _person(made_by),
        "included": {part: part in include for part in PARTS},
        "not_included": list(LEFT_OUT),
        "case": {
            "id": str(case.pk),
            "reference": case.reference,
            "status": case.status,
            "opened_at": _iso(case.created_at),
            "closed_at": _iso(case.closed_at),
            "protected_address": _confidential(case.protected_address, ADDRESS, include),
        },
    }
    sections = [
        {
            "key": "case",
            "title": "The case",
            "records": [
                {
                    "label": f"Case {case.reference}",
                    "rows": [
                        ("Reference", case.reference),
                        ("Status", case.get_status_display()),
                        ("Opened", moment_label(case.created_at)),
                        ("Closed", moment_label(case.closed_at) if case.closed_at else "–"),
                        (
                            "Protected address",
                            _shown_confidential(case.protected_address, ADDRESS, include),
                        ),
                    ],
                }
            ],
        }
    ]
    for section in SECTIONS:
        records, shown = [], []
        for obj in rows[section.key]:
            record, lines = _record(section, obj, include=include, labels=labels, related=related)
            records.append(record)
            shown.append({"label": labels[obj.pk], "rows": lines})
        data[section.key] = records
        sections.append({"key": section.key, "title": section.title, "records": shown})
    audit = _audit_summary(case)
    data["audit_summary"] = [
        {**entry, "first": _iso(entry["first"]), "last": _iso(entry["last"])} for entry in audit
    ]
    return CaseRecord(data=data, sections=sections, audit=audit)


def _rows(section: Section, case: Case) -> list:
    model = apps.get_model(section.model)
    return list(model._base_manager.filter(**{section.lookup: case.pk}).order_by(*section.order_by))


def _record_labels(rows: dict[str, list]) -> dict:
    """Name each record as the PDF shows it ("Order 2"), so records can point at each other."""
    by_key = {section.key: section for section in SECTIONS}
    return {
        obj.pk: f"{by_key[key].record_label} {number}"
        for key, objs in rows.items()
        for number, obj in enumerate(objs, start=1)
    }


def _related_objects(rows: dict[str, list]) -> dict[tuple[str, object], object]:
    """Fetch what records point at outside the record (people's accounts, agencies, order
    types), one query per kind, so the record's size does not change the number of queries."""
    wanted: dict[type, set] = defaultdict(set)
    exported = {section.model for section in SECTIONS}
    for section in SECTIONS:
        model = apps.get_model(section.model)
        recorder = ("created_by",) if hasattr(model, "created_at") else ()
        for name in (*section.fields, *recorder):
            fk = model._meta.get_field(name)
            if fk.is_relation and fk.related_model._meta.label not in exported:
                for obj in rows[section.key]:
                    value = getattr(obj, fk.attname)
                    if value is not None:
                        wanted[fk.related_model].add(value)
    found = {}
    for model, ids in wanted.items():
        queryset = model._base_manager.all()
        if model is User:
            queryset = queryset.select_related("agency")
        for pk, obj in queryset.in_bulk(list(ids)).items():
            found[(model._meta.label, pk)] = obj
    return found


def _record(section: Section, obj, *, include, labels, related) -> tuple[dict, list]:
    """Return one record as JSON data and as the PDF's (name, shown) rows."""
    model = obj._meta.model
    record: dict = {"id": str(obj.pk)}
    lines: list[tuple[str, str]] = []
    if hasattr(obj, "created_at"):
        by = related.get((User._meta.label, obj.created_by_id))
        record["recorded_at"] = _iso(obj.created_at)
        record["recorded_by"] = _person(by)
        lines.append(("Recorded", _recorded_line(obj.created_at, by)))
    for name in section.fields:
        model_field = model._meta.get_field(name)
        title = capfirst(model_field.verbose_name)
        part = section.confidential.get(name)
        value = getattr(obj, model_field.attname)
        if part is not None:
            record[name] = _confidential(value, part, include)
            lines.append((title, _shown_confidential(value, part, include)))
        elif model_field.is_relation:
            target = related.get((model_field.related_model._meta.label, value))
            record[name] = _related_data(value, target)
            lines.append((title, _related_shown(value, target, labels)))
        elif isinstance(value, Confidential):
            # Contact details: shown to everyone who may export the record (audited).
            record[name] = value.reveal()
            lines.append((title, value.reveal() or "–"))
        else:
            record[name] = _plain(value)
            lines.append((title, _shown(obj, model_field, value)))
    return record, lines


def _confidential(value, part: str, include) -> str | None:
    """The plaintext if its part was chosen; otherwise None (withheld)."""
    if part not in include:
        return None
    return str(value.reveal()) if isinstance(value, Confidential) else str(value or "")


def _shown_confidential(value, part: str, include) -> str:
    if part not in include:
        return WITHHELD_TEXT[part]
    return _confidential(value, part, include) or "None recorded"


def _related_data(value, target):
    if value is None:
        return None
    if isinstance(target, User):
        return _person(target)
    if target is not None:
        return str(target)
    return str(value)


def _related_shown(value, target, labels) -> str:
    if value is None:
        return "–"
    if isinstance(target, User):
        return _person_line(target)
    if target is not None:
        return str(target)
    return labels.get(value, str(value))


def _person(user: User | None) -> dict | None:
    if user is None:
        return None
    return {"name": user.display_name, "agency": user.agency.name if user.agency_id else None}


def _person_line(user: User | None) -> str:
    if user is None:
        return "OrderWatch"
    return f"{user.display_name}, {user.agency.name}" if user.agency_id else user.display_name


def _recorded_line(at: dt.datetime, by: User | None) -> str:
    return f"{moment_label(at)} by {_person_line(by)}"


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _plain(value):
    """Return a value as JSON has it: dates and times in ISO 8601, ids as strings."""
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, str | int | float | bool | list | dict) or value is None:
        return value
    return str(value)


# How the PDF shows a value of each type, tried in order (a datetime is a date too).
_SHOWN_BY_TYPE = (
    (bool, lambda value: "Yes" if value else "No"),
    (dt.datetime, moment_label),
    (dt.date, day_label),
    (dt.time, lambda value: value.strftime("%H:%M")),
    (list, lambda value: ", ".join(str(item) for item in value)),
    (dict, lambda value: "; ".join(f"{key}: {item}" for key, item in value.items())),
)


def _shown(obj, model_field, value) -> str:
    """Return a value as the PDF shows it: choices by their label, dates the GOV.UK way."""
    if value is None or value in ("", [], {}):
        return "–"
    if model_field.choices:
        return str(getattr(obj, f"get_{model_field.name}_display")())
    for kind, show in _SHOWN_BY_TYPE:
        if isinstance(value, kind):
            return show(value)
    return str(value)


def _audit_summary(case: Case) -> list[dict]:
    """What was done on the case, how often, first and last: no one's personal data."""
    rows = (
        AuditEvent.objects.filter(case_id=case.pk)
        .values("verb")
        .annotate(count=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("verb")
    )
    labels = dict(Verb.choices)
    return [
        {
            "verb": row["verb"],
            "what": labels.get(row["verb"], row["verb"]),
            "count": row["count"],
            "first": row["first"],
            "last": row["last"],
        }
        for row in rows
    ]
