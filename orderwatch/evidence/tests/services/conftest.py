"""Shared set-up for the evidence service tests: a frozen morning and storage of its own."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory

NOW = dt.datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture(autouse=True)
def _thursday_morning(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Each test's files in a folder of their own, so "nothing stored" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return sorted(p for p in (media / "evidence").glob("*") if p.is_file())


@pytest.fixture
def colleague(case, idva_service):
    """A practitioner on the team who is not the lead."""
    user = UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Col League")
    CaseTeamMembershipFactory(case=case, user=user)
    return user


@pytest.fixture
def other_case(outsider):
    """A case in another agency, with its own team."""
    other = CaseFactory()
    CaseTeamMembershipFactory(case=other, user=outsider, is_lead=True)
    return other
