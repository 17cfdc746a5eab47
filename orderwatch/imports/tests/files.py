"""Import files for the tests: rows as dicts, written under the template's headings."""

import csv
import io

from orderwatch.imports.sheet import HEADINGS


def order_row(**values) -> dict:
    """A row with nothing wrong, one case per `case_key`, for a lead `lead_email`."""
    return {
        "case_key": "A1",
        "victim_given_name": "Vicky",
        "victim_family_name": "Example",
        "victim_date_of_birth": "1990-04-01",
        "lead_email": "lead@example.org",
        "lead_capacity": "Allocated IDVA",
        "respondent_given_name": "Ray",
        "respondent_family_name": "Example",
        "order_type": "non_molestation_order",
        "made_on": "2026-01-10",
        "starts_on": "2026-01-10",
        "ends_on": "2027-01-09",
        "court": "Example Family Court",
        "court_reference": "FC-0001",
        "protected_children": "Kit Example",
        "condition_1_kind": "no_direct_contact",
        "condition_1_wording": "Must not contact the applicant directly.",
    } | values


def csv_text(*rows: dict, bom: bool = False) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADINGS, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()
