"""What follows an event on a case that the case team must hear about, in one place.

Services that record such an event (an order added or changed, a breach) call `case_event`
inside their transaction.
"""

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.notifications.services import case_team_notify


def case_event(*, actor: User | None, case: Case, kind: str, link: str) -> None:
    """Tell the case team (everyone but the actor) that `kind` happened on the case."""
    case_team_notify(actor=actor, case=case, kind=kind, link=link)
