"""How sign-in throttling (django-axes) names the account being tried."""

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: dict | None) -> str:
    """Return the email as typed, lower-cased: one lockout whatever the capitalisation."""
    source = credentials if credentials else getattr(request, "POST", {})
    return (source.get("username") or "").strip().lower()
