import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.evidence.models import EvidenceBreachLink, EvidenceItem
from orderwatch.evidence.selectors import EVIDENCE_LOG_PAGE
from orderwatch.evidence.services import evidence_breach_link, evidence_item_remove
from orderwatch.evidence.tests.factories import (
    PNG,
    EvidenceBreachLinkFactory,
    EvidenceFileFactory,
    EvidenceIncidentFactory,
    EvidenceItemFactory,
    item_added,
)

pytestmark = pytest.mark.django_db


def _url(name: str, item: EvidenceItem, **kwargs) -> str:
    return reverse(name, kwargs={"case_id": item.case_id, "item_id": item.pk, **kwargs})


def test_the_log_shows_items_newest_first_with_removals_and_corrections(
    signed_in, practitioner, case
):
    first = item_added(actor=practitioner, case=case, description="First photo.")
    evidence_item_remove(actor=practitioner, item=first, reason="Added to the wrong case.")
    item_added(
        actor=practitioner,
        case=case,
        kind=EvidenceItem.Kind.NOTE,
        uploads=[],
        description="The second photo is the right one.",
        corrects=first,
    )
    page = signed_in.get(reverse("evidence:log", kwargs={"case_id": case.pk})).text
    assert "<title>Evidence – OrderWatch</title>" in page
    assert page.index("The second photo is the right one.") < page.index("Photo (removed)")
    assert "Reason: Added to the wrong case." in page
    assert "Corrects" in page
    assert "First photo." not in page  # a removed item's description is not listed
    assert AuditEvent.objects.filter(verb=Verb.CASE_VIEWED, payload={"page": "evidence"}).exists()


def test_the_item_page_is_audited_and_never_names_the_file_in_its_title(signed_in, item):
    page = signed_in.get(item.get_absolute_url()).text
    assert "<title>Evidence item – OrderWatch</title>" in page
    assert "IMG_0042.png" in page
    assert AuditEvent.objects.get(verb=Verb.EVIDENCE_ITEM_VIEWED).object_id == str(item.pk)


def test_a_file_downloads_as_an_attachment_with_a_neutral_name(signed_in, item):
    file = item.files.get()
    response = signed_in.get(file.get_absolute_url())
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (f'attachment; filename="evidence-{item.pk}-1.png"')
    assert AuditEvent.objects.filter(verb=Verb.EVIDENCE_FILE_VIEWED).count() == 1


def test_a_removed_file_is_gone(signed_in, practitioner, item):
    file = item.files.get()
    evidence_item_remove(actor=practitioner, item=item, reason="Added by mistake.")
    assert signed_in.get(file.get_absolute_url()).status_code == 404


def test_an_item_of_another_case_is_404(signed_in, case, outsider):
    theirs = EvidenceItemFactory()
    url = reverse("evidence:detail", kwargs={"case_id": case.pk, "item_id": theirs.pk})
    assert signed_in.get(url).status_code == 404


def test_linking_to_a_breach_of_this_case(signed_in, case, item):
    breach = BreachFactory(case=case, matches_no_condition=False)
    response = signed_in.post(_url("evidence:link", item), {"breach": str(breach.pk)})
    assert response.status_code == 302
    assert EvidenceBreachLink.objects.get().breach == breach
    assert f"Breach: {breach.occurrence.label()}" in signed_in.get(item.get_absolute_url()).text


def test_linking_to_an_incident_names_it_an_incident(signed_in, case, item):
    incident = BreachFactory(case=case, matches_no_condition=True)
    signed_in.post(_url("evidence:link", item), {"breach": str(incident.pk)})
    page = signed_in.get(item.get_absolute_url()).text
    assert f"Incident: {incident.occurrence.label()}" in page
    assert "Breach: " not in page


def test_a_breach_id_from_another_case_is_refused_on_the_form(signed_in, case, item):
    BreachFactory(case=case)
    other = BreachFactory()
    response = signed_in.post(_url("evidence:link", item), {"breach": str(other.pk)})
    assert response.status_code == 200
    assert "Select a breach or incident recorded on this case" in response.text
    assert not EvidenceBreachLink.objects.exists()


def test_a_linked_breach_is_not_offered_again(signed_in, practitioner, case, item):
    breach = BreachFactory(case=case)
    evidence_breach_link(actor=practitioner, item=item, breach=breach)
    page = signed_in.get(_url("evidence:link", item)).text
    assert str(breach.pk) not in page
    assert "There is no breach on this case to link it to that it is not already" in page


def test_removing_asks_for_a_reason_then_keeps_the_record(signed_in, item):
    url = _url("evidence:remove", item)
    refused = signed_in.post(url, {"reason": ""})
    assert 'href="#id_reason"' in refused.text
    assert "Enter why the item is being removed" in refused.text
    response = signed_in.post(url, {"reason": "Added to the wrong case."})
    assert response.status_code == 302
    assert item.removal.reason == "Added to the wrong case."


def test_the_check_reports_no_inconsistencies(signed_in, case, item):
    response = signed_in.post(reverse("evidence:check", kwargs={"case_id": case.pk}))
    assert "No inconsistencies found" in response.text


def test_the_check_reports_the_first_inconsistency(signed_in, case, item):
    EvidenceItem.objects.filter(pk=item.pk).update(description="Changed.")
    response = signed_in.post(reverse("evidence:check", kwargs={"case_id": case.pk}))
    assert f"Entry 1: item {item.pk} has changed since it was recorded" in response.text


def test_the_check_is_a_post(signed_in, case):
    assert signed_in.get(reverse("evidence:check", kwargs={"case_id": case.pk})).status_code == 405


def test_the_log_queries_stay_fixed_from_5_to_100_items(
    signed_in, practitioner, case, item, django_assert_num_queries
):
    evidence_item_remove(actor=practitioner, item=item, reason="Added by mistake.")
    item_added(actor=practitioner, case=case, corrects=item)

    def more(count: int) -> None:
        for _ in range(count):
            link = EvidenceBreachLinkFactory(
                item=EvidenceItemFactory(case=case, created_by=practitioner)
            )
            EvidenceFileFactory.create_batch(2, item=link.item)
            EvidenceIncidentFactory(item=link.item)

    more(3)
    url = reverse("evidence:log", kwargs={"case_id": case.pk})
    with CaptureQueriesContext(connection) as few:
        assert signed_in.get(url).status_code == 200
    more(95)
    with django_assert_num_queries(len(few.captured_queries)):
        first = signed_in.get(url)
    assert first.text.count('data-testid="evidence-item"') == EVIDENCE_LOG_PAGE
    assert "100 items, newest first: 1 to 50." in first.text
    assert "Page 1 of 2" in first.text
    assert 'href="?page=2" rel="next"' in first.text
    with django_assert_num_queries(len(few.captured_queries)):
        second = signed_in.get(url + "?page=2")
    assert second.text.count('data-testid="evidence-item"') == 100 - EVIDENCE_LOG_PAGE
    assert "51 to 100." in second.text
    assert 'rel="prev"' in second.text
    assert 'rel="next"' not in second.text
    # Between them every item once, newest first, the removed one's correction among them.
    shown = re.findall(r'href="/cases/[^/]+/evidence/([0-9a-f-]{36})/"', first.text + second.text)
    newest_first = [
        str(pk)
        for pk in case.evidence_items.order_by("-created_at", "-pk").values_list("pk", flat=True)
    ]
    assert list(dict.fromkeys(shown)) == newest_first
    # A page past the end, or not a number, is still a page: the last, or the first.
    assert "51 to 100." in signed_in.get(url + "?page=99").text
    assert "1 to 50." in signed_in.get(url + "?page=two").text
