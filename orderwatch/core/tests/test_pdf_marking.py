"""Every PDF the service makes carries the protective marking at the top and bottom of every
page (ADR 0029): the order summary, the chronology and the evidence bundle's index, each built
the way a user gets it, through a prepared document."""

import io
import zipfile

import pytest

from orderwatch.accounts.mfa import mfa_step_up
from orderwatch.accounts.tests.factories import authenticator_code
from orderwatch.breaches.tests.factories import BreachFactory
from orderwatch.core.pdf import pdf_from_template
from orderwatch.core.tests.pdf_pages import marking_places
from orderwatch.evidence.bundle_check import INDEX
from orderwatch.evidence.tests.factories import item_added
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_open, export_request

pytestmark = pytest.mark.django_db


def _prepared(actor, case, kind, parameters, capture, *, step_up=None) -> bytes:
    with capture(execute=True):
        export = export_request(
            actor=actor, case_id=case.pk, kind=kind, parameters=parameters, step_up=step_up
        )
    export.refresh_from_db()
    assert export.status == Export.Status.READY, export.last_error
    _, _, chunks = export_open(actor=actor, case_id=case.pk, export_id=export.pk)
    return b"".join(chunks)


def test_the_order_summary_is_marked_at_the_top_and_bottom(
    practitioner, order, django_capture_on_commit_callbacks
):
    pdf = _prepared(
        practitioner,
        order.case,
        Export.Kind.ORDER_SUMMARY,
        {"order_id": str(order.pk)},
        django_capture_on_commit_callbacks,
        step_up=mfa_step_up(user=practitioner, code=authenticator_code(practitioner)),
    )
    assert marking_places(pdf, "OFFICIAL-SENSITIVE") == [{"top", "bottom"}]


def test_every_page_of_a_long_chronology_is_marked(
    practitioner, case, order, django_capture_on_commit_callbacks
):
    BreachFactory.create_batch(40, case=case, created_by=practitioner)
    pdf = _prepared(
        practitioner, case, Export.Kind.CHRONOLOGY, {}, django_capture_on_commit_callbacks
    )
    places = marking_places(pdf, "OFFICIAL-SENSITIVE")
    assert len(places) > 2
    assert places == [{"top", "bottom"}] * len(places)


def test_the_evidence_bundle_index_is_marked(
    practitioner, case, django_capture_on_commit_callbacks
):
    item_added(actor=practitioner, case=case)
    bundle = _prepared(
        practitioner, case, Export.Kind.EVIDENCE_BUNDLE, {}, django_capture_on_commit_callbacks
    )
    with zipfile.ZipFile(io.BytesIO(bundle)) as archive:
        index = archive.read(INDEX)
    places = marking_places(index, "OFFICIAL-SENSITIVE")
    assert places
    assert places == [{"top", "bottom"}] * len(places)


def test_an_operator_may_mark_documents_official_instead(settings):
    settings.ORDERWATCH_PROTECTIVE_MARKING = "OFFICIAL"
    pdf = pdf_from_template("orders/summary_pdf.html", {"conditions": [], "restrictions": []})
    assert marking_places(pdf, "OFFICIAL") == [{"top", "bottom"}]
    assert marking_places(pdf, "OFFICIAL-SENSITIVE") == [set()]


def test_a_documents_own_page_rules_cannot_drop_the_marking(tmp_path, settings):
    """A template that prints something else in the same place still carries the marking."""
    (tmp_path / "own_rules.html").write_text(
        "<html lang='en'><head><title>T</title><style>@page { @top-center { content: 'Other' } "
        "@bottom-center { content: none } }</style></head><body><p>Text</p></body></html>"
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    pdf = pdf_from_template("own_rules.html", {})
    assert marking_places(pdf, "OFFICIAL-SENSITIVE") == [{"top", "bottom"}]
