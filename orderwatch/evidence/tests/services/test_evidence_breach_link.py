import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.evidence.models import EvidenceBreachLink
from orderwatch.evidence.services import evidence_breach_link, evidence_item_remove
from orderwatch.evidence.tests.factories import item_added

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(practitioner, case):
    return item_added(actor=practitioner, case=case)


def test_an_item_is_linked_to_a_breach_on_its_case(practitioner, case, item):
    breach = BreachFactory(case=case)
    link = evidence_breach_link(actor=practitioner, item=item, breach=breach)
    assert (link.item, link.breach, link.created_by) == (item, breach, practitioner)
    event = AuditEvent.objects.get(verb=Verb.EVIDENCE_LINKED)
    assert event.payload == {"item": str(item.pk), "breach": str(breach.pk)}


def test_a_breach_of_another_case_is_a_404(practitioner, item, other_case):
    with pytest.raises(Http404):
        evidence_breach_link(actor=practitioner, item=item, breach=BreachFactory(case=other_case))
    assert not EvidenceBreachLink.objects.exists()


def test_an_item_of_another_case_is_a_404(practitioner, case, outsider, other_case):
    theirs = item_added(actor=outsider, case=other_case)
    with pytest.raises(Http404):
        evidence_breach_link(actor=practitioner, item=theirs, breach=BreachFactory(case=case))
    assert not EvidenceBreachLink.objects.exists()


def test_an_item_links_a_breach_once(practitioner, case, item):
    breach = BreachFactory(case=case)
    evidence_breach_link(actor=practitioner, item=item, breach=breach)
    with pytest.raises(ValidationError, match="already linked"):
        evidence_breach_link(actor=practitioner, item=item, breach=breach)


def test_a_removed_item_is_not_linked(practitioner, case, item):
    evidence_item_remove(actor=practitioner, item=item, reason="Added by mistake.")
    with pytest.raises(ValidationError, match="removed item"):
        evidence_breach_link(actor=practitioner, item=item, breach=BreachFactory(case=case))
