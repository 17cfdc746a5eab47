"""The same form sent twice at once (a double click), on PostgreSQL: one saves, the other waits
for it and saves nothing, whichever case it is on.

Each thread has its own connection; every wait is bounded, so a deadlock fails the test.
"""

import threading
import uuid

import pytest
from django.db import connections

from orderwatch.breaches.models import Breach
from orderwatch.breaches.services import breach_record
from orderwatch.breaches.tests.factories import breach_account
from orderwatch.cases.models import CasePerson
from orderwatch.cases.services import case_create
from orderwatch.core.models import Submission
from orderwatch.core.submissions import SubmittedAlready

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TIMEOUT = 60


def _twice_at_once(job) -> tuple[list, list[Exception]]:
    barrier, made, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait(timeout=TIMEOUT)
            made.append(job())
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a save never finished"
    return made, errors


def test_a_breach_sent_twice_at_once_is_saved_once(practitioner, case):
    key = uuid.uuid4()
    made, errors = _twice_at_once(
        lambda: breach_record(
            actor=practitioner, case=case, account=breach_account(), submission_key=key
        )
    )
    assert len(made) == 1
    assert [type(e) for e in errors] == [SubmittedAlready]
    assert errors[0].url == made[0].get_absolute_url()
    assert Breach.objects.filter(case=case).count() == 1


def test_a_case_opened_twice_at_once_is_one_case(practitioner):
    key = uuid.uuid4()
    made, errors = _twice_at_once(
        lambda: case_create(
            actor=practitioner, victim_given_name="Sam", lead_capacity="idva", submission_key=key
        )
    )
    assert len(made) == 1
    assert [type(e) for e in errors] == [SubmittedAlready]
    named_sam = [person for person in CasePerson.objects.all() if person.given_name == "Sam"]
    assert len(named_sam) == 1  # names are sealed: compared after reading (ADR 0023)
    assert Submission.objects.get(key=key).url == made[0].get_absolute_url()
