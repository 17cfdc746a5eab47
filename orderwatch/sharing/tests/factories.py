"""Sharing data for tests: parties and shares stored directly, for volume (query-count) tests
that do not need the services' side effects."""

import factory
from django.utils import timezone

from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.confidential.fields import Confidential
from orderwatch.sharing.models import Party, Share

SCHOOL_CONTACT = "dsl@oakfield.example, 01632 960123"


class PartyFactory(factory.django.DjangoModelFactory):
    """An external contact at a school, with secure contact details."""

    class Meta:
        model = Party

    case = factory.SubFactory(CaseFactory)
    kind = Party.Kind.SCHOOL
    name = factory.Sequence(lambda n: f"Contact {n}")
    role = "Designated safeguarding lead"
    organisation = factory.Sequence(lambda n: f"Test School {n}")
    contact_details = factory.LazyFunction(lambda: Confidential.from_plaintext(SCHOOL_CONTACT))


class ShareFactory(factory.django.DjangoModelFactory):
    """An order summary shared today by secure email, for safeguarding."""

    class Meta:
        model = Share

    party = factory.SubFactory(PartyFactory)
    case = factory.LazyAttribute(lambda o: o.party.case)
    what = factory.LazyFunction(lambda: [Share.What.ORDER_SUMMARY])
    shared_on = factory.LazyFunction(timezone.localdate)
    how = Share.How.SECURE_EMAIL
    purpose = "So the school knows who may not collect the children"
    lawful_basis = Share.LawfulBasis.SAFEGUARDING
    told_what_to_do_on_breach = True
    informed_as_of = factory.LazyFunction(timezone.now)
