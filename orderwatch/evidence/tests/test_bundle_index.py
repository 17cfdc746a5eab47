"""The bundle's PDF index: a real, tagged PDF naming the case, every file's hash and the chain."""

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.evidence import signing
from orderwatch.evidence.bundle import BundleRemoval
from orderwatch.evidence.bundle_index import bundle_index_pdf
from orderwatch.evidence.tests.bundle_support import (
    SAMPLE_CASE,
    SAMPLE_CHRONOLOGY,
    chain_for,
    members,
    sample_items,
    write_bundle,
)
from orderwatch.patterns.selectors import case_pattern


@pytest.fixture(scope="module")
def items():
    return sample_items()


@pytest.fixture(scope="module")
def index(items) -> PdfReader:
    pdf = bundle_index_pdf(
        case=SAMPLE_CASE, items=items, chain_entries=chain_for(items), chronology=SAMPLE_CHRONOLOGY
    )
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture(scope="module")
def text(index) -> str:
    """Return the index's text with all white space removed, as hashes may wrap."""
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in index.pages))


def squeezed(value: str) -> str:
    return re.sub(r"\s+", "", value)


def test_index_names_the_case_and_the_signing_key(text):
    assert "OW-2026-0042" in text
    assert squeezed(signing.public_key_fingerprint()) in text


def test_index_lists_every_files_sha256_path_and_uploaded_name(items, text):
    for item in items:
        assert item.item_hash in text
        for path, file in item.archived_files:
            assert file.sha256 in text
            assert path in text
            assert squeezed(file.original_name) in text


def test_index_marks_removal_and_correction_and_lists_breaches(text):
    assert squeezed("Reason: Entered with the wrong date") in text
    assert "Correctsitem" in text
    assert squeezed("condition 2, no contact direct or indirect") in text


def test_index_lists_the_chain_and_the_chronology(items, text):
    for entry in chain_for(items):
        assert entry.entry_hash in text
    for entry in SAMPLE_CHRONOLOGY:
        assert squeezed(entry.text) in text


def test_index_is_a_tagged_pdf_for_screen_readers(index):
    assert "/StructTreeRoot" in index.trailer["/Root"]
    assert index.metadata.title == "Evidence bundle index: case OW-2026-0042"


def test_bundle_written_without_an_index_renders_one():
    index = members(write_bundle(index_pdf=None))["index.pdf"]

    assert "OW-2026-0042" in PdfReader(io.BytesIO(index)).pages[0].extract_text()


def test_index_says_when_a_removed_items_files_were_withheld(items):
    removal = BundleRemoval("Belongs to another case", items[1].removed.at, "Pat Lead")
    withheld = [dataclasses.replace(items[0], removed=removal, files=()), *items[1:]]

    pdf = bundle_index_pdf(
        case=SAMPLE_CASE,
        items=withheld,
        chain_entries=chain_for(withheld),
        chronology=SAMPLE_CHRONOLOGY,
    )

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert squeezed("Files withheld: the item was removed.") in squeezed(text)
    assert items[0].files[0].sha256 not in squeezed(text)


def figure_alternate_texts(reader: PdfReader) -> list[str]:
    """Return the alternate text of every figure in the PDF's tag tree."""
    found, todo = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while todo:
        node = todo.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K", [])
        todo.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_index_without_a_pattern_has_no_pattern_section(text):
    assert "Patternofincidents" not in text


@pytest.mark.django_db
def test_index_shows_the_pattern_with_its_prompts_chart_and_table(items, practitioner, order):
    condition = order.conditions.get()
    for what in (
        "He waited by the bakery on Elm Row.",
        "He followed her car to the leisure centre.",
    ):
        breach_record(
            actor=practitioner,
            case=order.case,
            account=breach_account(condition, what_happened=what),
        )
    pattern = case_pattern(case=order.case, title_id="bundle-pattern-chart")

    pdf = bundle_index_pdf(
        case=SAMPLE_CASE,
        items=items,
        chain_entries=chain_for(items),
        chronology=SAMPLE_CHRONOLOGY,
        pattern=pattern,
    )

    reader = PdfReader(io.BytesIO(pdf))
    text = squeezed("".join(page.extract_text() for page in reader.pages))
    assert "Patternofincidents" in text
    assert "Counted:2breaches." in text
    # Facts only: prompts for the case team could read as findings to the police or CPS.
    assert squeezed("course of conduct") not in text
    assert squeezed("Prompts for the case team") not in text
    assert squeezed("Incidents and order dates, earliest first") in text
    # The chart is drawn with its axis as text: "Not rated" comes from it alone.
    assert "Notrated" in text
    assert "bakeryonElmRow" not in text
    assert "leisurecentre" not in text
    # Still tagged, the chart a figure with its title as alternate text.
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert figure_alternate_texts(reader) == ["Timeline of incidents by date and severity"]
