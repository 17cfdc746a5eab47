from django.shortcuts import render

from orderwatch.cases.selectors import cases_needing_a_new_lead
from orderwatch.patterns import selectors


def pattern_dashboard(request):
    return render(
        request,
        "patterns/dashboard.html",
        {
            "escalations": selectors.escalations_recent(
                user=request.user, days=selectors.DASHBOARD_DAYS
            ),
            "unreported": selectors.cases_with_unreported_breaches(user=request.user),
            "new_lead_needed": cases_needing_a_new_lead(user=request.user),
            "days": selectors.DASHBOARD_DAYS,
            "nav": "patterns",
        },
    )
