"""Notification pages. Thin: validate with a form, call one service or selector, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from orderwatch.notifications import selectors, services

PER_PAGE = 25


def notification_list(request):
    page = Paginator(selectors.my_notifications(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "notifications/notification_list.html", {"page": page, "nav": "notifications"}
    )


def notification_open(request, notification_id):
    notification = services.notification_open(actor=request.user, notification_id=notification_id)
    # Only ever a path in this service: a stored link must not send anyone elsewhere.
    if notification.link.startswith("/") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=set(), require_https=request.is_secure()
    ):
        return redirect(notification.link)
    return redirect(notification.case)


@require_POST
def notifications_mark_all_read(request):
    count = services.notifications_mark_all_read(actor=request.user)
    if count:
        messages.success(request, "All notifications marked as read.")
    return redirect("notifications:list")
