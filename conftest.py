"""Fixtures shared by every test: the people and cases most tests need."""

import signal

import pytest
from django.core import mail
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from orderwatch.accounts.models import Agency, User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseTeamMembershipFactory
from orderwatch.core.tests import clock, people
from orderwatch.notifications.tests.email_privacy import case_data_strings, personal_data_in_emails

# Hypothesis checks behaviour here, not speed (that is `make bench`): on a busy 2-core machine
# running one worker per core, its per-example deadline and "input generation is slow" check
# failed tests whose behaviour was right.
settings.register_profile("orderwatch", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("orderwatch")

# Fixtures that give a test the database; set up before the email check, so torn down after it.
_DATABASE_FIXTURES = (
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
)


@pytest.fixture(autouse=True)
def _no_personal_data_in_emails(request):
    """After every test, fail if any email it sent holds a name, an address or a case detail.

    Alert emails may say only that there is an update, with a link (see
    orderwatch/notifications/emails.py). Costs nothing when the test sent no email.
    """
    uses_database = (
        request.node.get_closest_marker("django_db") is not None
        or "live_server" in request.fixturenames  # pytest-django gives it transactional_db first
    )
    for name in _DATABASE_FIXTURES:
        if name in request.fixturenames:
            request.getfixturevalue(name)
            uses_database = True
    yield
    sent = list(getattr(mail, "outbox", []))
    if not sent or not uses_database:
        return  # without a database there is no case data an email could hold
    problems = personal_data_in_emails(sent, case_data_strings())
    if problems:
        pytest.fail("Personal or case data in an email: " + "; ".join(problems), pytrace=False)


@pytest.fixture
def thursday_morning(time_machine):
    """Freeze time at Thursday 5 March 2026, 10am in London (`clock.NOW`); it does not tick."""
    time_machine.move_to(clock.NOW, tick=False)


@pytest.fixture
def idva_service():
    return people.idva_service()


@pytest.fixture
def police():
    return people.police()


@pytest.fixture
def practitioner(idva_service):
    return people.practitioner(idva_service)


@pytest.fixture
def case(practitioner):
    """A case whose team is just `practitioner`, as lead."""
    return people.case_led_by(practitioner)


@pytest.fixture
def colleague(case, idva_service):
    """A second practitioner from the lead's agency on the case team, who is not the lead."""
    user = UserFactory(agency=idva_service, role=User.Role.PRACTITIONER, display_name="Col League")
    CaseTeamMembershipFactory(case=case, user=user)
    return user


@pytest.fixture
def outsider(police):
    """A practitioner in another agency, on no case team."""
    return people.outsider(police)


@pytest.fixture
def auditor(idva_service):
    return people.auditor(idva_service)


@pytest.fixture
def order(case, practitioner):
    """A non-molestation order on `case` with one condition and a stored copy."""
    return people.order_with_copy(case, practitioner)


def make_user(role: str, agency: Agency) -> User:
    return UserFactory(agency=agency, role=role)


@pytest.fixture
def run_worker(settings, monkeypatch):
    """Use the database task backend; return a function that runs `db_worker` until the queue
    is empty, as the real worker would.

    The worker closes database connections it finds inside a transaction, to recover from
    dropped ones; in a test the open transaction is the test's own, so that is turned off
    here (on PostgreSQL it would close the test's connection). The test run's signal handlers,
    which the worker replaces, are put back afterwards.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    names = [name for name in ("SIGINT", "SIGTERM", "SIGQUIT") if hasattr(signal, name)]
    saved = {name: signal.getsignal(getattr(signal, name)) for name in names}

    def run() -> None:
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    yield run
    for name, handler in saved.items():
        signal.signal(getattr(signal, name), handler)
