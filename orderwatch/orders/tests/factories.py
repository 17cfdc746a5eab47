import datetime as dt

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orderwatch.cases.models import CasePerson
from orderwatch.cases.tests.factories import CaseFactory, CasePersonFactory
from orderwatch.orders.models import Condition, Order, OrderType

# The smallest file that sniffs as a PDF; enough for storage and download tests.
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_upload(name: str = "sealed-order.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def order_type(code: str = "non_molestation_order") -> OrderType:
    """Return an order type from the catalogue loaded by migration."""
    return OrderType.objects.get(code=code)


class OrderFactory(factory.django.DjangoModelFactory):
    """A non-molestation order in force for a year from a month ago."""

    class Meta:
        model = Order
        skip_postgeneration_save = True

    case = factory.SubFactory(CaseFactory)
    order_type = factory.LazyFunction(order_type)
    court = "Northtown Family Court"
    court_reference = "NT26F00123"
    respondent = factory.LazyAttribute(
        lambda o: CasePersonFactory(case=o.case, role=CasePerson.Role.RESPONDENT)
    )
    made_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    starts_on = factory.LazyAttribute(lambda o: o.made_on)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=365))
    until_further_order = False

    @factory.post_generation
    def protected_people(self, create, extracted, **kwargs):
        if create:
            self.protected_people.set(
                extracted or self.case.people.filter(role=CasePerson.Role.VICTIM_SURVIVOR)
            )


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    order = factory.SubFactory(OrderFactory)
    kind = Condition.Kind.NO_DIRECT_CONTACT
    wording = "The respondent must not contact the applicant directly."
