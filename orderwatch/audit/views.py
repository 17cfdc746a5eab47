from django.core.paginator import Paginator
from django.shortcuts import render

from orderwatch.audit.forms import AuditFilterForm
from orderwatch.audit.selectors import audit_actor_choices, audit_event_list


def audit_list(request):
    form = AuditFilterForm(request.GET or None, actors=audit_actor_choices(user=request.user))
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = audit_event_list(user=request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "nav": "audit"},
    )
