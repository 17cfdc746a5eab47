"""One style for dates and times in every template (pages, emails, PDFs), and no date pickers.

Django's `|time`, and `|date` with a time in its format, write "10:15a.m." or "04:36";
times go through `|govuk_time` or `|govuk_datetime` instead. Dates alone may use `|date`
with a GOV.UK day format ("5 March 2026", or "5 Mar 2026" in tables), or `|govuk_date`.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    path for path in ROOT.rglob("templates/**/*") if path.suffix in (".html", ".txt", ".ics")
)
DATE_FORMATS = {"j F Y", "j M Y"}
FILTER = re.compile(r"\|\s*(date|time)\b(?:\s*:\s*(\"[^\"]*\"|'[^']*'|\w+))?")


def misuses(text: str) -> list[str]:
    """Return each use of `|time`, or of `|date` other than with a GOV.UK day format."""
    found = []
    for match in FILTER.finditer(text):
        name, argument = match[1], match[2]
        if name == "time" or argument is None or argument.strip("\"'") not in DATE_FORMATS:
            found.append(match[0])
    return found


def test_templates_are_found():
    assert len(TEMPLATES) > 50


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_template_writes_a_time_its_own_way(path):
    assert misuses(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "text",
    [
        '{{ at|time:"g:ia" }}',
        "{{ at|time }}",
        '{{ at|date:"j F Y, H:i" }}',
        '{{ at|date:"P" }}',
        "{{ at|date:'g:i A' }}",
        "{{ at|date }}",
        "{{ at|date:SHORT_DATETIME_FORMAT }}",
        '{% include "row.html" with value=at|date:"j F Y, g:ia" %}',
    ],
)
def test_the_check_catches_each_way_a_time_could_drift(text):
    assert misuses(text)


@pytest.mark.parametrize(
    "text",
    [
        '{{ on|date:"j F Y" }}',
        '{{ on|date:"j M Y" }}',
        "{{ at|govuk_datetime }}",
        '{{ at|govuk_datetime:"seconds" }}',
        "{{ at|govuk_time }} on {{ at|govuk_date }}",
        "{{ items|join:', ' }}",
    ],
)
def test_the_check_lets_govuk_styles_through(text):
    assert misuses(text) == []


def test_no_form_asks_for_a_date_or_time_with_the_browsers_picker():
    pickers = re.compile(r"forms\.(Date|DateTime|Time)(Field|Input)\b")
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "tests" not in path.parts and pickers.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
