"""`access_case`: a case outside the team, or an id that is not one, does not exist."""

import pytest
from django.http import Http404

from orderwatch.access.policy import access_case
from orderwatch.cases.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_a_team_member_gets_the_case(practitioner, case):
    assert access_case(practitioner, str(case.pk)) == case


def test_a_case_outside_the_team_is_404(practitioner, case):
    with pytest.raises(Http404):
        access_case(practitioner, CaseFactory().pk)


@pytest.mark.parametrize("malformed", ["not-a-uuid", "1234", "", "OW-12345"])
def test_a_malformed_id_is_404_not_an_error(practitioner, case, malformed):
    with pytest.raises(Http404):
        access_case(practitioner, malformed)
