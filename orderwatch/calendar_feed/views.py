"""Calendar feed pages. Thin: call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from orderwatch.calendar_feed import selectors, services
from orderwatch.calendar_feed.ics import calendar_document
from orderwatch.core.compression import not_compressed


@login_not_required  # calendar apps cannot sign in: the secret link is the credential
@require_GET
def feed(request, token):
    user = selectors.feed_owner(token=token)
    document = calendar_document(
        selectors.feed_entries(user=user),
        now=timezone.now(),
        absolute_url=request.build_absolute_uri,
    )
    response = HttpResponse(document, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="orderwatch.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def manage(request):
    return render(
        request,
        "calendar_feed/manage.html",
        {"feed": selectors.live_feed(user=request.user), "nav": "cases"},
    )


@not_compressed
@require_POST
def create(request):
    _, token = services.calendar_feed_create(actor=request.user)
    # Shown once, in this response only: the secret is not stored and never put in a session.
    return render(
        request,
        "calendar_feed/created.html",
        {
            "feed_url": request.build_absolute_uri(
                reverse("calendar_feed:feed", kwargs={"token": token})
            ),
            "nav": "cases",
        },
    )


@require_POST
def revoke(request):
    if services.calendar_feed_revoke(actor=request.user):
        messages.success(request, "Your calendar link has been revoked. It no longer works.")
    return redirect("calendar_feed:manage")
