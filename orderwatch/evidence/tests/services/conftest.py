"""Shared set-up for the evidence service tests: a frozen morning and storage of its own."""

from pathlib import Path

import pytest

from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test's files in a folder of their own, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "evidence").glob("*") if p.is_file())


@pytest.fixture
def other_case(outsider):
    """A case in another agency, with its own team."""
    other = CaseFactory()
    CaseTeamMembershipFactory(case=other, user=outsider, is_lead=True)
    return other
