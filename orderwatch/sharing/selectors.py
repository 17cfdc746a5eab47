"""Reading who needs to know and what they were told, with a fixed number of queries.

Each party's state is worked out on read: one query for the parties (with the moment their
latest share covers), one for the time of the latest event on the case.
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.accounts.models import User
from orderwatch.cases.models import Case
from orderwatch.sharing.models import Party, Share, SharingEvent

# Who reads and changes contact details: the people who do the sharing (practitioners and team
# managers on the case team). Read-only members (auditors) review the log; they never need
# to get in touch, so they do not see them.
CONTACT_DETAILS_PERMISSION = "sharing.view_contact_details"


class PartyState(StrEnum):
    INFORMED = "informed"
    NOT_YET_INFORMED = "not_yet_informed"
    NEEDS_UPDATING = "needs_updating"

    @property
    def label(self) -> str:
        return _STATE_LABELS[self]

    @property
    def outstanding(self) -> bool:
        return self is not PartyState.INFORMED


_STATE_LABELS = {
    PartyState.INFORMED: "Informed",
    PartyState.NOT_YET_INFORMED: "Not yet informed",
    PartyState.NEEDS_UPDATING: "Needs updating",
}


def party_state(informed_as_of: dt.datetime | None, latest_event_at: dt.datetime | None):
    """Return a party's state from what its latest share covers and the latest event."""
    if informed_as_of is None:
        return PartyState.NOT_YET_INFORMED
    if latest_event_at is not None and informed_as_of < latest_event_at:
        return PartyState.NEEDS_UPDATING
    return PartyState.INFORMED


@dataclass(frozen=True)
class PartyWithState:
    party: Party
    state: PartyState
    last_shared_on: dt.date | None


@dataclass(frozen=True)
class CaseSharing:
    """Who needs to know on a case, each with their state, and how many are outstanding."""

    parties: list[PartyWithState]

    @property
    def outstanding(self) -> list[PartyWithState]:
        return [item for item in self.parties if item.state.outstanding]


def latest_event_at(*, case: Case) -> dt.datetime | None:
    """Return when the latest event everyone must hear about was recorded on the case."""
    return SharingEvent.objects.filter(case=case).aggregate(at=Max("created_at"))["at"]


def _parties(case: Case) -> QuerySet[Party]:
    return (
        Party.objects.filter(case=case)
        .select_related("user__agency")
        .annotate(
            informed_as_of=Max("shares__informed_as_of"),
            last_shared_on=Max("shares__shared_on"),
        )
        .order_by("created_at")
    )


def case_sharing(*, case: Case) -> CaseSharing:
    """Return the parties of a case already granted to the caller, with their states."""
    # The latest event, read in the same query as the parties (see `latest_event_at`).
    latest = SharingEvent.objects.filter(case=OuterRef("case")).order_by("-created_at")
    parties = _parties(case).annotate(event_at=Subquery(latest.values("created_at")[:1]))
    return CaseSharing(
        parties=[
            PartyWithState(
                party=party,
                state=party_state(party.informed_as_of, party.event_at),
                last_shared_on=party.last_shared_on,
            )
            for party in parties
        ]
    )


def case_shares(*, case: Case) -> QuerySet[Share]:
    """Return the sharing log of a case already granted to the caller, newest first."""
    return Share.objects.filter(case=case).select_related("party__user__agency", "created_by")


def parties_to_pick(*, case: Case) -> QuerySet[Party]:
    """Return the parties a share may be recorded with, for a form."""
    return Party.objects.filter(case=case).select_related("user__agency").order_by("created_at")


def users_to_pick() -> QuerySet[User]:
    """Return the OrderWatch users who may be named as someone who needs to know."""
    return (
        User.objects.filter(
            is_active=True, role__in=[User.Role.PRACTITIONER, User.Role.TEAM_MANAGER]
        )
        .select_related("agency")
        .order_by("display_name")
    )


def sharing_for_change(*, user: User, case_id) -> Case:
    """Return a case whose sharing the user may record (404 if unseen, 403 if read-only)."""
    case = access_case(user, case_id)
    if not user.has_perm("cases.change_case", case):
        raise PermissionDenied
    return case


def party_get(*, user: User, case_id, party_id) -> Party:
    """Return a party on a case the user may see; otherwise 404."""
    case = access_case(user, case_id)
    try:
        return Party.objects.select_related("case", "user__agency").get(pk=party_id, case=case)
    except (Party.DoesNotExist, ValueError) as error:
        raise Http404 from error
