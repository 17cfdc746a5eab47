"""The unread count in the navigation, for signed-in, verified users only (one query)."""

from django.utils.functional import SimpleLazyObject

from orderwatch.notifications.selectors import unread_count


def unread_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    # Lazy: pages that never show the navigation (PDFs, redirects) do not pay for the query.
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
