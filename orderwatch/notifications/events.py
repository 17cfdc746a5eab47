"""What follows an event on a case that the case team must hear about, in one place.

Services that record such an event (an order added or changed, a breach) call `case_event`
inside their transaction.
"""

from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.notifications.services import case_team_notify
from orderwatch.sharing.services import sharing_event_record


def case_event(*, actor: User | None, case: Case, kind: str, link: str) -> None:
    """Tell the case team (everyone but the actor) that `kind` happened on the case, and mark
    anyone told before as needing an update."""
    case_team_notify(actor=actor, case=case, kind=kind, link=link)
    sharing_event_record(actor=actor, case=case, kind=kind)
