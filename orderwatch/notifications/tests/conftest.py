import uuid

import pytest
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.notifications.email_kinds import PLACEHOLDERS, EmailKind
from orderwatch.notifications.tests.notify_stub import (
    API_KEY,
    REPLY_TO_ID,
    NotifyStub,
    NotifyStubServer,
)


@pytest.fixture(autouse=True)
def _thursday_morning(thursday_morning):
    """Every test here runs on Thursday 5 March 2026, 10am in London."""


@pytest.fixture
def colleague(case, police):
    """A practitioner from another agency on the same case team."""
    user = UserFactory(agency=police, role=User.Role.PRACTITIONER, display_name="Col League")
    CaseTeamMembershipFactory(case=case, user=user, capacity="Officer in the case")
    return user


@pytest.fixture
def removed(case, idva_service):
    """Someone who was on the case team and has been taken off it."""
    user = UserFactory(agency=idva_service, display_name="Re Moved")
    CaseTeamMembershipFactory(case=case, user=user, left_at=timezone.now())
    return user


@pytest.fixture
def notify(settings):
    """GOV.UK Notify's API stood in for on loopback, with a template for every kind of email,
    and the service set to send through it."""
    templates = {kind: str(uuid.uuid4()) for kind in EmailKind}
    stub = NotifyStub(
        templates={templates[kind]: set(PLACEHOLDERS[kind]) for kind in EmailKind},
        reply_to_ids={REPLY_TO_ID},
    )
    with NotifyStubServer(stub) as server:
        settings.EMAIL_BACKEND = settings.NOTIFY_EMAIL_BACKEND
        settings.ORDERWATCH_NOTIFY_API_KEY = API_KEY
        settings.ORDERWATCH_NOTIFY_BASE_URL = server.url
        settings.ORDERWATCH_NOTIFY_TEMPLATES = templates
        settings.ORDERWATCH_NOTIFY_REPLY_TO_ID = REPLY_TO_ID
        settings.EMAIL_TIMEOUT = 5
        yield stub
