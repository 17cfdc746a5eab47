"""Chronology pages. Thin: validate with a form, call one service or selector, render."""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from orderwatch.chronology import selectors, services
from orderwatch.chronology.forms import ChronologyFilterForm
from orderwatch.exports.models import Export
from orderwatch.exports.services import export_request


def chronology(request, case_id):
    case = services.chronology_open(actor=request.user, case_id=case_id)
    form = ChronologyFilterForm(request.GET)
    kinds = form.kinds()
    page = selectors.case_chronology_page(case=case, kinds=kinds, number=_page_number(request))
    return render(
        request,
        "chronology/chronology.html",
        {
            "case": case,
            "form": form,
            "page": page,
            "entries": page.object_list,
            "query": urlencode([("kind", kind) for kind in sorted(kinds)]),
            "filtered": bool(kinds),
            "kinds": sorted(kinds),
            "nav": "cases",
        },
    )


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


@require_POST
def chronology_pdf_request(request, case_id):
    """Ask for the chronology (the kinds shown) as a PDF, and show when it is ready."""
    kinds = ChronologyFilterForm(request.POST).kinds()
    export = export_request(
        actor=request.user,
        case_id=case_id,
        kind=Export.Kind.CHRONOLOGY,
        parameters={"kinds": sorted(kinds)},
    )
    return redirect(export)
