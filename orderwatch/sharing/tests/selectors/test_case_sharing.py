import pytest

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.sharing.selectors import PartyState, case_sharing
from orderwatch.sharing.tests.factories import PartyFactory, ShareFactory

pytestmark = pytest.mark.django_db


def test_states_come_from_one_query_for_the_parties_and_the_latest_event(
    case, django_assert_num_queries
):
    user_party = PartyFactory(case=case, user=UserFactory(), name="", organisation="")
    for party in PartyFactory.create_batch(20, case=case):
        ShareFactory.create_batch(3, party=party)
    with django_assert_num_queries(1):
        sharing = case_sharing(case=case)
        names = [
            (item.party.display_name, item.party.display_organisation) for item in sharing.parties
        ]
    assert len(names) == 21
    assert names[0] == (user_party.user.display_name, user_party.user.agency.name)
    assert [item.state for item in sharing.outstanding] == [PartyState.NOT_YET_INFORMED]
