"""Importing an agency's existing cases from a CSV file (ADR 0043).

Both the dry run and the import run every row through the same inner functions as the case
and order services (`case_make`, `case_person_make`, `order_make`, `condition_make`), with
their validation, audit events and case events, in one durable transaction. The dry run then
rolls it all back and reports every row's problems; the import commits only if no row has one.
"""

import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from orderwatch.access.policy import case_lock
from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.cases.models import Case, CasePerson
from orderwatch.cases.services.case import LEAD_REFUSED, case_make, case_person_make
from orderwatch.core.submissions import submission_claim
from orderwatch.imports.models import CaseImport
from orderwatch.imports.sheet import HEADINGS, Name, Problem, Row, Sheet, sheet_read
from orderwatch.orders.models import Condition, OrderType
from orderwatch.orders.services import condition_make, order_make

# Where each service's field is in the file, for the row's problems.
VICTIM_COLUMNS = {
    "lead": "lead_email",
    "given_name": "victim_given_name",
    "family_name": "victim_family_name",
    "date_of_birth": "victim_date_of_birth",
}
RESPONDENT_COLUMNS = {
    "given_name": "respondent_given_name",
    "family_name": "respondent_family_name",
}
CHILD_COLUMNS = {"given_name": "protected_children", "family_name": "protected_children"}
ORDER_COLUMNS = {"protected_people": "protected_children", "respondent": "respondent_given_name"}


@dataclass
class ImportOutcome:
    """What a file makes, or would make: its problems, or the cases and counts."""

    problems: list[Problem] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    people: int = 0
    orders: int = 0
    conditions: int = 0

    @property
    def cases(self) -> int:
        return len(self.references)


def _require(actor: User) -> None:
    if not actor.has_perm("cases.import_cases") or actor.agency_id is None:
        raise PermissionDenied


def sheet_for(text: str) -> Sheet:
    """Read an import file against the catalogue's order types and the kinds of condition."""
    return sheet_read(
        text,
        order_types=set(OrderType.objects.values_list("code", flat=True)),
        condition_kinds=set(Condition.Kind.values),
        today=timezone.localdate(),
        max_rows=settings.ORDERWATCH_IMPORT_MAX_ROWS,
    )


@transaction.atomic(durable=True)
def case_import_check(*, actor: User, text: str) -> ImportOutcome:
    """Dry run: import the file and undo it all, returning every row's problems (or, if none,
    what the import will make). Not audited: it keeps nothing and shows nothing held here."""
    _require(actor)
    outcome = _rows_import(actor, sheet_for(text))
    transaction.set_rollback(True)
    return outcome


@transaction.atomic(durable=True)
def case_import_confirm(
    *, actor: User, text: str, submission_key: uuid.UUID | None = None
) -> CaseImport:
    """Import every case in the file, or, if any row has a problem, nothing at all."""
    _require(actor)
    record = CaseImport.objects.create(agency_id=actor.agency_id, created_by=actor)
    submission_claim(key=submission_key, actor=actor, url=record.get_absolute_url())
    outcome = _rows_import(actor, sheet_for(text))
    if outcome.problems:
        raise ValidationError(
            [f"Row {problem.row}: {problem.message}" for problem in outcome.problems]
        )
    record.references = outcome.references
    record.cases, record.people = outcome.cases, outcome.people
    record.orders, record.conditions = outcome.orders, outcome.conditions
    record.save()
    audit_record(
        actor=actor,
        verb=Verb.CASES_IMPORTED,
        target=record,
        payload={
            "cases": record.cases,
            "people": record.people,
            "orders": record.orders,
            "conditions": record.conditions,
        },
    )
    return record


class _RowRefused(Exception):
    pass


def _rows_import(actor: User, sheet: Sheet) -> ImportOutcome:
    outcome = ImportOutcome(problems=list(sheet.problems))
    order_types = {order_type.code: order_type for order_type in OrderType.objects.all()}
    leads: dict[str, User | None] = {}
    for rows in sheet.cases():
        first = rows[0]
        if first.lead_email.casefold() not in leads:
            leads[first.lead_email.casefold()] = User.objects.filter(
                email__iexact=first.lead_email
            ).first()
        try:
            with transaction.atomic():
                case = _case_open(actor, first, leads[first.lead_email.casefold()], outcome)
        except _RowRefused:
            continue
        adding = _CaseRows(actor, case, outcome)
        for row in rows:
            adding.order_add(row, order_types[row.order_type])
    outcome.problems.sort(key=lambda problem: problem.row)
    return outcome


class _Refusals:
    """Note a service's refusal as the row's problems, in the file's columns."""

    def __init__(self, outcome: ImportOutcome, row: Row, columns: dict[str, str]):
        self.outcome, self.row, self.columns = outcome, row, columns

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if not isinstance(error, ValidationError):
            return False
        for name, messages in error.message_dict.items():
            for message in messages:
                self.outcome.problems.append(
                    Problem(self.row.number, self.columns.get(name, _column(name)), message)
                )
        raise _RowRefused from error


def _column(name: str) -> str:
    """Return the column a service's field is read from (most have the same name), if any."""
    return name if name in HEADINGS else ""


def _case_open(actor: User, row: Row, lead: User | None, outcome: ImportOutcome) -> Case:
    with _Refusals(outcome, row, VICTIM_COLUMNS):
        if lead is None:  # as for a lead of another agency: whose accounts exist is not said
            raise ValidationError({"lead": LEAD_REFUSED})
        case = case_make(
            actor=actor,
            victim_given_name=row.victim.given,
            victim_family_name=row.victim.family,
            victim_date_of_birth=row.victim_date_of_birth,
            lead_capacity=row.lead_capacity,
            lead=lead,
        )
    outcome.references.append(case.reference)
    outcome.people += 1
    # The administrator is on no case team, so the new case is locked without asking for a
    # membership (`case_lock`): every write to a case locks its row first, and the follow-ups
    # of each order's event need it locked.
    return case_lock(case.pk)


class _CaseRows:
    """Add each row's order to one case, and the people it names, once each."""

    def __init__(self, actor: User, case: Case, outcome: ImportOutcome):
        self.actor, self.case, self.outcome = actor, case, outcome
        self.victim = case.people.get(role=CasePerson.Role.VICTIM_SURVIVOR)
        self.people: dict[tuple, CasePerson] = {}

    def order_add(self, row: Row, order_type: OrderType) -> None:
        kept = dict(self.people)
        try:
            with transaction.atomic():
                self._order_add(row, order_type)
        except _RowRefused:
            self.people = kept  # those the row added were undone with it

    def _order_add(self, row: Row, order_type: OrderType) -> None:
        respondent = self._person(row, CasePerson.Role.RESPONDENT, row.respondent)
        children = [self._person(row, CasePerson.Role.CHILD, child) for child in row.children]
        with _Refusals(self.outcome, row, ORDER_COLUMNS):
            order = order_make(
                actor=self.actor,
                case=self.case,
                order_type=order_type,
                made_on=row.made_on,
                starts_on=row.starts_on,
                ends_on=row.ends_on,
                until_further_order=row.until_further_order,
                served_on=row.served_on,
                court=row.court,
                court_reference=row.court_reference,
                respondent=respondent,
                protected_people=[self.victim, *children],
            )
        self.outcome.orders += 1
        for number, (kind, wording) in enumerate(row.conditions, start=1):
            columns = {"kind": f"condition_{number}_kind", "wording": f"condition_{number}_wording"}
            with _Refusals(self.outcome, row, columns):
                condition_make(actor=self.actor, order=order, kind=kind, wording=wording)
            self.outcome.conditions += 1

    def _person(self, row: Row, role: CasePerson.Role, name: Name) -> CasePerson:
        """Return the person of `role` with `name`, added by the first row naming them."""
        key = (role, *name.key)
        if key not in self.people:
            columns = RESPONDENT_COLUMNS if role == CasePerson.Role.RESPONDENT else CHILD_COLUMNS
            with _Refusals(self.outcome, row, columns):
                self.people[key] = case_person_make(
                    actor=self.actor,
                    case=self.case,
                    role=role,
                    given_name=name.given,
                    family_name=name.family,
                )
            self.outcome.people += 1
        return self.people[key]
