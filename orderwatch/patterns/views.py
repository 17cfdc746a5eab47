from django.shortcuts import render

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
            "days": selectors.DASHBOARD_DAYS,
            "nav": "patterns",
        },
    )
