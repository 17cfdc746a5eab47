import datetime as dt

import factory

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.models import Case, CasePerson, CaseTeamMembership
from orderwatch.confidential.fields import Confidential


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case
        skip_postgeneration_save = True

    protected_address = factory.LazyFunction(
        lambda: Confidential.from_plaintext("1 Test Street, Testtown, TT1 1TT")
    )
    victim = factory.RelatedFactory(
        "orderwatch.cases.tests.factories.CasePersonFactory",
        factory_related_name="case",
        role=CasePerson.Role.VICTIM_SURVIVOR,
    )


class CasePersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CasePerson

    case = factory.SubFactory(CaseFactory)
    role = CasePerson.Role.RESPONDENT
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = dt.date(1990, 1, 1)


class CaseTeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseTeamMembership

    case = factory.SubFactory(CaseFactory)
    user = factory.SubFactory(UserFactory)
    agency = factory.LazyAttribute(lambda o: o.user.agency)
    capacity = "Allocated IDVA"
    is_lead = False
    may_see_address = factory.LazyAttribute(lambda o: o.is_lead)
