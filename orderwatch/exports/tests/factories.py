import datetime as dt

import factory
from django.utils import timezone

from orderwatch.accounts.tests.factories import UserFactory
from orderwatch.cases.tests.factories import CaseFactory
from orderwatch.confidential.files import encrypted_file_store
from orderwatch.exports.models import Export
from orderwatch.orders.tests.factories import PDF_BYTES


def _stored_pdf():
    return encrypted_file_store(
        source=[PDF_BYTES],
        folder="exports",
        allowed_types={"application/pdf"},
        max_bytes=len(PDF_BYTES),
    )


class ExportFactory(factory.django.DjangoModelFactory):
    """A chronology of every kind, waiting to be built; `ready=True` for one ready to download
    (a tiny PDF, stored encrypted like a real one)."""

    class Meta:
        model = Export

    class Params:
        stored = None
        ready = factory.Trait(
            status=Export.Status.READY,
            stored=factory.LazyFunction(_stored_pdf),
            file_name=factory.LazyAttribute(lambda o: o.stored.name),
            size=factory.LazyAttribute(lambda o: o.stored.size),
            sha256=factory.LazyAttribute(lambda o: o.stored.sha256),
            content_type=factory.LazyAttribute(lambda o: o.stored.content_type),
            ready_at=factory.LazyFunction(timezone.now),
            expires_at=factory.LazyAttribute(lambda o: o.ready_at + dt.timedelta(hours=24)),
        )

    case = factory.SubFactory(CaseFactory)
    created_by = factory.SubFactory(UserFactory)
    kind = Export.Kind.CHRONOLOGY
    parameters = factory.LazyFunction(lambda: {"kinds": []})
