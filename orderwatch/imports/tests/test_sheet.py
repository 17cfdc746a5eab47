"""Reading the import file: file-level refusals and each row's own problems (no database)."""

import datetime as dt

import pytest

from orderwatch.imports.sheet import HEADINGS, FileProblem, file_text, sheet_read, template_text
from orderwatch.imports.tests.files import csv_text, order_row

TYPES = {"non_molestation_order", "domestic_violence_protection_order"}
KINDS = {"no_direct_contact", "other"}


def read(text: str, max_rows: int = 50):
    return sheet_read(
        text, order_types=TYPES, condition_kinds=KINDS, today=dt.date(2026, 3, 5), max_rows=max_rows
    )


def messages(sheet) -> list[str]:
    return [f"Row {problem.row}: {problem.message}" for problem in sheet.problems]


def test_the_template_is_the_headings_row_and_reads_as_an_empty_file():
    assert template_text().strip().split(",") == HEADINGS
    with pytest.raises(FileProblem, match="no rows below its headings"):
        read(template_text())


def test_utf8_with_or_without_a_byte_order_mark_reads_the_same():
    plain = csv_text(order_row()).encode()
    with_bom = csv_text(order_row(), bom=True).encode()
    assert file_text(plain, "cases.csv") == file_text(with_bom, "cases.CSV")
    assert read(file_text(with_bom, "cases.csv")).rows[0].case_key == "A1"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"a,b\n", "cases.xlsx", "must be a CSV file"),
        ("Zoë,1\n".encode("latin-1"), "cases.csv", "saved as CSV UTF-8"),
        (b"PK\x03\x04\x00\x00", "cases.csv", "must be a CSV file"),
    ],
)
def test_a_file_of_the_wrong_type_or_encoding_is_refused_plainly(data, name, message):
    with pytest.raises(FileProblem, match=message):
        file_text(data, name)


def test_missing_and_unknown_columns_are_named():
    with pytest.raises(FileProblem) as missing:
        read("victim_given_name,court\nVicky,\n")
    assert missing.value.message == (
        "The file is missing these columns: case_key, lead_email, lead_capacity, "
        "respondent_given_name, order_type, made_on, starts_on"
    )
    with pytest.raises(FileProblem, match="columns the template does not: notes"):
        read(",".join([*HEADINGS, "notes"]) + "\n")


def test_more_rows_than_allowed_are_refused_as_a_whole():
    with pytest.raises(FileProblem, match="more than 2 rows"):
        read(csv_text(*(order_row(case_key=str(n)) for n in range(3))), max_rows=2)


def test_every_row_s_problems_are_listed_with_spreadsheet_row_numbers():
    sheet = read(
        csv_text(
            order_row(case_key="A"),
            order_row(case_key="B", made_on=""),
            order_row(case_key="C", starts_on="10/01/2026", order_type="injunction"),
            order_row(case_key="D", until_further_order="maybe", condition_1_kind="nothing"),
            order_row(case_key="E", victim_date_of_birth="2030-01-01", lead_capacity="x" * 101),
        )
    )
    assert [row.case_key for row in sheet.rows] == ["A"]
    assert messages(sheet) == [
        "Row 3: Enter the date the order was made",
        "Row 4: Enter an order type's code from the catalogue, for example non_molestation_order",
        "Row 4: Enter the date the order starts as YYYY-MM-DD, for example 2025-03-31",
        "Row 5: Enter yes or no in until_further_order",
        "Row 5: Enter a condition kind's code, for example no_direct_contact",
        "Row 6: The date of birth must be in the past",
        "Row 6: Enter 100 characters or fewer in lead_capacity",
    ]


def test_rows_with_one_case_key_are_one_case_and_may_leave_its_columns_empty():
    sheet = read(
        csv_text(
            order_row(case_key="A"),
            order_row(case_key="B"),
            order_row(case_key="a", victim_given_name="", lead_email="", lead_capacity=""),
            order_row(case_key="A", lead_email="someone.else@example.org"),
        )
    )
    assert messages(sheet) == [
        "Row 5: Leave lead_email empty, or the same as on the case's first row"
    ]
    assert [[row.number for row in rows] for rows in sheet.cases()] == [[2, 4], [3]]
    assert sheet.rows[2].lead_email == "lead@example.org"


def test_protected_children_are_read_with_the_last_word_as_family_name():
    (row,) = read(csv_text(order_row(protected_children="Kit Example; Mary Jo Smith ;Ash"))).rows
    assert [(child.given, child.family) for child in row.children] == [
        ("Kit", "Example"),
        ("Mary Jo", "Smith"),
        ("Ash", ""),
    ]
