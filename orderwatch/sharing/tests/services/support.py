"""Constants and helpers for the sharing service tests."""

from orderwatch.audit.models import AuditEvent
from orderwatch.core.tests.clock import TODAY
from orderwatch.sharing.models import Party, Share, SharingEvent
from orderwatch.sharing.services import share_record
from orderwatch.tasks.models import Task

SCHOOL_CONTACT = "dsl@oakfield.example, 01632 960123"


def school_values(**overrides) -> dict:
    values = {
        "kind": Party.Kind.SCHOOL,
        "name": "Sam Teacher",
        "role": "Designated safeguarding lead",
        "organisation": "Oakfield Primary School",
        "contact_details": SCHOOL_CONTACT,
    }
    values.update(overrides)
    return values


def share_values(party, **overrides) -> dict:
    """A share of the order summary by secure email today, for safeguarding, no address."""
    values = {
        "party_id": party.pk,
        "what": [Share.What.ORDER_SUMMARY],
        "shared_on": TODAY,
        "how": Share.How.SECURE_EMAIL,
        "purpose": "So the school knows who may not collect the children",
        "lawful_basis": Share.LawfulBasis.SAFEGUARDING,
        "told_what_to_do_on_breach": True,
    }
    values.update(overrides)
    return values


def share(actor, party, **overrides) -> Share:
    return share_record(actor=actor, case=party.case, **share_values(party, **overrides))


def open_share_tasks(party) -> list[Task]:
    return list(
        Task.objects.filter(
            kind=Task.Kind.SHARE, origin=Task.Origin.SHARING, origin_id=party.pk, done_at=None
        )
    )


def counts() -> dict[str, int]:
    """Return how many of each thing sharing can make, to show nothing was saved."""
    return {
        model.__name__: model.objects.count()
        for model in (Party, Share, SharingEvent, Task, AuditEvent)
    }
