"""Service-wide pages: the home redirect, and the public information pages (ADR 0029).

The information pages are open to anyone, signed in or not, write nothing and show no personal
data. The diary has its own versions under /notes/, in its neutral layout, so a diary keeper
never sees the service's name.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from orderwatch.core import information
from orderwatch.diary.middleware import diary_public


def home(request):
    if request.user.has_perm("people.view_people"):
        return redirect("people:list")  # an agency administrator's work
    return redirect("cases:list")


def _information_page(request, template: str):
    return render(
        request,
        template,
        {
            "operator": information.operator(),
            "cookies": information.service_cookies(),
            "kept_for": information.kept_for(),
            "diary_idle_minutes": settings.ORDERWATCH_DIARY_IDLE_SECONDS // 60,
        },
    )


@login_not_required
@require_GET
def accessibility(request):
    return _information_page(request, "core/information/accessibility.html")


@login_not_required
@require_GET
def privacy(request):
    return _information_page(request, "core/information/privacy.html")


@login_not_required
@require_GET
def cookies(request):
    return _information_page(request, "core/information/cookies.html")


@diary_public
@login_not_required
@require_GET
def notes_accessibility(request):
    return _information_page(request, "core/information/notes_accessibility.html")


@diary_public
@login_not_required
@require_GET
def notes_privacy(request):
    return _information_page(request, "core/information/notes_privacy.html")


@diary_public
@login_not_required
@require_GET
def notes_cookies(request):
    return _information_page(request, "core/information/notes_cookies.html")
