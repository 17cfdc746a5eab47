"""The import file (ADR 0043): its columns, and reading it into rows. Pure: no Django.

One row per order. Rows with the same `case_key` are one case: its first row names the
victim-survivor and the lead; later rows leave those columns empty or repeat them exactly.
What the services check (a lead of the administrator's own agency, dates that fit the order
type) they check themselves, at the dry run and again at the import.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

YES, NO = {"yes", "y", "true"}, {"no", "n", "false", ""}
CONDITIONS = 3  # condition_1_kind, condition_1_wording, ... condition_3_wording
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    about: str


COLUMNS = [
    Column("case_key", True, "Your own key for the case, so rows of one case go together."),
    Column("victim_given_name", True, "The victim-survivor's given name (first row of a case)."),
    Column("victim_family_name", False, "The victim-survivor's family name."),
    Column("victim_date_of_birth", False, "The victim-survivor's date of birth, YYYY-MM-DD."),
    Column("lead_email", True, "The email address of the case lead (first row of a case)."),
    Column("lead_capacity", True, "The lead's role on the case, for example Allocated IDVA."),
    Column("respondent_given_name", True, "The respondent's given name."),
    Column("respondent_family_name", False, "The respondent's family name."),
    Column("order_type", True, "The order type's code from the catalogue."),
    Column("made_on", True, "The date the order was made, YYYY-MM-DD."),
    Column("served_on", False, "The date it was served, YYYY-MM-DD."),
    Column("starts_on", True, "The date it starts, YYYY-MM-DD."),
    Column("ends_on", False, "The date it ends, YYYY-MM-DD; empty if until further order."),
    Column("until_further_order", False, "yes if it lasts until further order; else no."),
    Column("court", False, "The court that made it."),
    Column("court_reference", False, "The court's reference."),
    Column("protected_children", False, "Children it also protects, names separated by ;"),
] + [
    column
    for number in range(1, CONDITIONS + 1)
    for column in (
        Column(f"condition_{number}_kind", False, "A condition's kind code."),
        Column(f"condition_{number}_wording", False, "That condition in the order's words."),
    )
]
HEADINGS = [column.name for column in COLUMNS]
CASE_COLUMNS = [
    "victim_given_name",
    "victim_family_name",
    "victim_date_of_birth",
    "lead_email",
    "lead_capacity",
]
# Longest words the records keep (the services check names themselves).
LONGEST = {"lead_capacity": 100, "court": 200, "court_reference": 100, "case_key": 100}
DATE_WORDS = {
    "victim_date_of_birth": "the victim-survivor's date of birth",
    "made_on": "the date the order was made",
    "served_on": "the date the order was served",
    "starts_on": "the date the order starts",
    "ends_on": "the date the order ends",
}
REQUIRED_WORDS = {
    "case_key": "Enter a case key",
    "victim_given_name": "Enter the victim-survivor's given name",
    "lead_email": "Enter the email address of the case lead",
    "lead_capacity": "Enter the lead's role on the case",
    "respondent_given_name": "Enter the respondent's given name",
    "order_type": "Enter the order type's code",
    "made_on": "Enter the date the order was made",
    "starts_on": "Enter the date the order starts",
}


class FileProblem(Exception):
    """The file as a whole cannot be read: nothing in it was looked at row by row."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    row: int  # as a spreadsheet numbers it: the headings are row 1
    column: str
    message: str


@dataclass(frozen=True)
class Name:
    given: str
    family: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.given.casefold(), self.family.casefold())


@dataclass
class Row:
    """One order and what it needs, as read from one row."""

    number: int
    case_key: str
    victim: Name | None
    victim_date_of_birth: dt.date | None
    lead_email: str
    lead_capacity: str
    respondent: Name
    order_type: str
    made_on: dt.date
    served_on: dt.date | None
    starts_on: dt.date
    ends_on: dt.date | None
    until_further_order: bool
    court: str
    court_reference: str
    children: list[Name]
    conditions: list[tuple[str, str]]  # (kind, wording)


@dataclass
class Sheet:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def cases(self) -> list[list[Row]]:
        """Return the rows of each case, cases in the order the file first names them."""
        cases: dict[str, list[Row]] = {}
        for row in self.rows:
            cases.setdefault(row.case_key.casefold(), []).append(row)
        return list(cases.values())


def file_text(data: bytes, file_name: str) -> str:
    """Return the text of an uploaded CSV file (UTF-8, with or without a byte order mark)."""
    if not file_name.lower().endswith(".csv"):
        raise FileProblem("The selected file must be a CSV file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem(
            "The selected file must be saved as CSV UTF-8. In your spreadsheet, choose "
            "Save as, then CSV UTF-8"
        ) from None
    if "\x00" in text:
        raise FileProblem("The selected file must be a CSV file")
    return text


def sheet_read(
    text: str,
    *,
    order_types: set[str],
    condition_kinds: set[str],
    today: dt.date,
    max_rows: int,
) -> Sheet:
    """Read the rows of an import file, noting every problem a row has on its own."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headings = [heading.strip().casefold() for heading in next(reader)]
        records = list(reader)
    except StopIteration:
        raise FileProblem("The selected file is empty") from None
    except csv.Error:
        raise FileProblem("The selected file could not be read as CSV") from None
    missing = [column.name for column in COLUMNS if column.required and column.name not in headings]
    unknown = [name for name in headings if name not in HEADINGS]
    if missing:
        raise FileProblem(f"The file is missing these columns: {', '.join(missing)}")
    if unknown:
        raise FileProblem(
            f"The file has columns the template does not: {', '.join(unknown)}. Remove them"
        )
    records = [record for record in records if any(value.strip() for value in record)]
    if not records:
        raise FileProblem("The file has no rows below its headings")
    if len(records) > max_rows:
        raise FileProblem(
            f"The file has more than {max_rows} rows. Split it into files of {max_rows} rows "
            "or fewer"
        )
    sheet = Sheet()
    firsts: dict[str, dict[str, str]] = {}
    for index, record in enumerate(records):
        values = {
            name: value.strip() for name, value in zip(headings, record, strict=False) if name
        }
        reading = _RowReading(number=index + 2, values=values, today=today)
        first = firsts.setdefault(values.get("case_key", "").casefold(), values)
        row = reading.row(
            first=first if first is not values else None,
            order_types=order_types,
            condition_kinds=condition_kinds,
        )
        sheet.problems.extend(reading.problems)
        if row is not None:
            sheet.rows.append(row)
    return sheet


class _RowReading:
    def __init__(self, *, number: int, values: dict[str, str], today: dt.date):
        self.number, self.values, self.today = number, values, today
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def text(self, column: str) -> str:
        value = self.values.get(column, "")
        if not value and column in REQUIRED_WORDS:
            self.problem(column, REQUIRED_WORDS[column])
        elif len(value) > LONGEST.get(column, 10_000):
            self.problem(column, f"Enter {LONGEST[column]} characters or fewer in {column}")
        return value

    def date(self, column: str) -> dt.date | None:
        value = self.text(column)
        if not value:
            return None
        try:
            if not _DATE.fullmatch(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problem(
                column, f"Enter {DATE_WORDS[column]} as YYYY-MM-DD, for example 2025-03-31"
            )
            return None

    def row(
        self, *, first: dict[str, str] | None, order_types: set[str], condition_kinds: set[str]
    ) -> Row | None:
        """Return the row read, or None if it has a problem (noted)."""
        case_key = self.text("case_key")
        if first is not None:
            self._same_case_as(first)
            self.values |= {column: first.get(column, "") for column in CASE_COLUMNS}
        victim = Name(self.text("victim_given_name"), self.values.get("victim_family_name", ""))
        born = self.date("victim_date_of_birth")
        if born and born > self.today:
            self.problem("victim_date_of_birth", "The date of birth must be in the past")
        lead_email, lead_capacity = self.text("lead_email"), self.text("lead_capacity")
        respondent = Name(
            self.text("respondent_given_name"), self.values.get("respondent_family_name", "")
        )
        order_type = self.text("order_type")
        if order_type and order_type not in order_types:
            self.problem(
                "order_type",
                "Enter an order type's code from the catalogue, for example non_molestation_order",
            )
        dates = {name: self.date(name) for name in ("made_on", "served_on", "starts_on", "ends_on")}
        until = self.values.get("until_further_order", "").casefold()
        if until not in YES | NO:
            self.problem("until_further_order", "Enter yes or no in until_further_order")
        conditions = self._conditions(condition_kinds)
        if self.problems:
            return None
        return Row(
            number=self.number,
            case_key=case_key,
            victim=victim,
            victim_date_of_birth=born,
            lead_email=lead_email,
            lead_capacity=lead_capacity,
            respondent=respondent,
            order_type=order_type,
            made_on=dates["made_on"],
            served_on=dates["served_on"],
            starts_on=dates["starts_on"],
            ends_on=dates["ends_on"],
            until_further_order=until in YES,
            court=self.text("court"),
            court_reference=self.text("court_reference"),
            children=_names(self.values.get("protected_children", "")),
            conditions=conditions,
        )

    def _same_case_as(self, first: dict[str, str]) -> None:
        for column in CASE_COLUMNS:
            value = self.values.get(column, "")
            if value and value.casefold() != first.get(column, "").casefold():
                self.problem(
                    column,
                    f"Leave {column} empty, or the same as on the case's first row",
                )

    def _conditions(self, condition_kinds: set[str]) -> list[tuple[str, str]]:
        conditions = []
        for number in range(1, CONDITIONS + 1):
            kind = self.values.get(f"condition_{number}_kind", "")
            wording = self.values.get(f"condition_{number}_wording", "")
            if not (kind or wording):
                continue
            if kind not in condition_kinds:
                self.problem(
                    f"condition_{number}_kind",
                    "Enter a condition kind's code, for example no_direct_contact",
                )
            elif not wording:
                self.problem(
                    f"condition_{number}_wording",
                    "Enter the words of the condition, as the order says",
                )
            conditions.append((kind, wording))
        return conditions


def _names(value: str) -> list[Name]:
    """Read "Sam Smith; Alex Smith": the last word of each is the family name."""
    names = []
    for part in value.split(";"):
        words = part.split()
        if words:
            names.append(
                Name(" ".join(words[:-1]) or words[0], words[-1] if len(words) > 1 else "")
            )
    return names


def template_text() -> str:
    """Return the template: the headings row, for a spreadsheet to fill in."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(HEADINGS)
    return out.getvalue()
