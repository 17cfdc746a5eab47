"""Chronology pages. Thin: validate with a form, call one service or selector, render."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from orderwatch.chronology import selectors, services
from orderwatch.chronology.forms import ChronologyFilterForm
from orderwatch.chronology.pdf import chronology_pdf
from orderwatch.chronology.timeline import KIND_LABELS


def _filter(request) -> ChronologyFilterForm:
    return ChronologyFilterForm(request.GET)


def chronology(request, case_id):
    case = services.chronology_open(actor=request.user, case_id=case_id)
    form = _filter(request)
    kinds = form.kinds()
    return render(
        request,
        "chronology/chronology.html",
        {
            "case": case,
            "form": form,
            "entries": selectors.case_chronology(case=case, kinds=kinds),
            "filtered": bool(kinds),
            "query": urlencode({"kind": sorted(kinds)}, doseq=True),
            "nav": "cases",
        },
    )


def chronology_pdf_download(request, case_id):
    kinds = _filter(request).kinds()
    case = services.chronology_export(actor=request.user, case_id=case_id, kinds=kinds)
    pdf = chronology_pdf(
        {
            "case": case,
            "entries": selectors.case_chronology(case=case, kinds=kinds),
            "shown": [label for kind, label in KIND_LABELS.items() if kind in kinds],
            "made_at": timezone.localtime(),
            "made_by": request.user,
        }
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="chronology-{case.reference}.pdf"'
    return response
