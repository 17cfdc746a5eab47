"""Two changes to one case team at once, on PostgreSQL: they take turns on the case row, so a
case ends with exactly one lead, whoever asked first.

Each thread has its own connection; every wait is bounded, so a deadlock fails the test.
"""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404

from orderwatch.accounts.models import User
from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.services import case_lead_hand_over, case_team_member_remove
from orderwatch.cases.tests.factories import CaseFactory, CaseTeamMembershipFactory
from orderwatch.people.services import person_deactivate
from orderwatch.people.tests.factories import agency_admin
from orderwatch.tasks.models import Task

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TIMEOUT = 60


def _at_once(*jobs) -> list[Exception]:
    barrier, errors = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            barrier.wait(timeout=TIMEOUT)
            job()
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(job,), daemon=True) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a change never finished"
    return errors


def _team(agency):
    """A case led by a practitioner, with a team manager and two more practitioners on it."""
    case = CaseFactory()
    lead, manager, first, second = (
        UserFactory(agency=agency, role=role)
        for role in (
            User.Role.PRACTITIONER,
            User.Role.TEAM_MANAGER,
            User.Role.PRACTITIONER,
            User.Role.PRACTITIONER,
        )
    )
    CaseTeamMembershipFactory(case=case, user=lead, is_lead=True)
    for member in (manager, first, second):
        CaseTeamMembershipFactory(case=case, user=member)
    return case, lead, manager, first, second


def _leads(case) -> list[User]:
    return [m.user for m in case.team_memberships.filter(is_lead=True, left_at__isnull=True)]


def test_two_hand_overs_at_once_end_with_exactly_one_lead(idva_service):
    for _ in range(5):
        case, lead, manager, first, second = _team(idva_service)
        errors = _at_once(
            lambda case=case, lead=lead, first=first: case_lead_hand_over(
                actor=lead, case=case, to=first
            ),
            lambda case=case, manager=manager, second=second: case_lead_hand_over(
                actor=manager, case=case, to=second
            ),
        )

        # The lead's own hand-over may come second, when they no longer lead: refused, 403.
        assert all(isinstance(error, PermissionDenied) for error in errors), errors
        assert len(_leads(case)) == 1
        assert _leads(case)[0] in (first, second)


def test_removing_the_lead_while_the_lead_is_handed_over_leaves_one_lead(idva_service):
    case, lead, manager, successor, other = _team(idva_service)
    errors = _at_once(
        lambda: case_team_member_remove(
            actor=manager, case=case, user=lead, reason="Left the service", new_lead=successor
        ),
        lambda: case_lead_hand_over(actor=lead, case=case, to=other),
    )

    # If the removal ran first, the lead who had left can no longer see the case (404).
    assert all(isinstance(error, Http404) for error in errors), errors
    assert len(_leads(case)) == 1


def test_deactivating_the_lead_while_they_hand_over_leaves_one_lead(idva_service):
    """The deactivation holds the case row while it asks for a new lead (ADR 0017); whichever
    comes second sees what the first did."""
    admin = agency_admin(idva_service)
    for _ in range(3):
        case = CaseFactory()
        lead, manager, successor = (
            UserFactory(agency=idva_service, role=role)
            for role in (User.Role.PRACTITIONER, User.Role.TEAM_MANAGER, User.Role.PRACTITIONER)
        )
        CaseTeamMembershipFactory(case=case, user=lead, is_lead=True)
        CaseTeamMembershipFactory(case=case, user=successor)

        errors = _at_once(
            lambda lead=lead: person_deactivate(
                actor=admin, person_id=lead.pk, reason="Left the service"
            ),
            lambda case=case, lead=lead, successor=successor: case_lead_hand_over(
                actor=lead, case=case, to=successor
            ),
        )

        assert all(isinstance(error, PermissionDenied | Http404) for error in errors), errors
        (now_leading,) = _leads(case)
        asked = Task.objects.filter(
            case=case, kind=Task.Kind.NEW_LEAD, assignee=manager, done_at__isnull=True
        )
        # Either the hand-over came first (nobody is asked), or the deactivation did and the
        # hand-over that followed closed the question; or the deactivated lead still leads
        # and their agency's team manager is asked.
        assert (now_leading, asked.exists()) in {(successor, False), (lead, True)}
