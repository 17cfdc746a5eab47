import factory
from django.utils import timezone

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.retention.models import LegalHold


class LegalHoldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalHold

    case = factory.SubFactory(CaseFactory)
    kind = LegalHold.Kind.PROCEEDINGS
    placed_by = factory.SubFactory(UserFactory)
    placed_at = factory.LazyFunction(timezone.now)
