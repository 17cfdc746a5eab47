"""What the public information pages say that comes from settings: who runs the service, how to
reach them, the cookies it sets, how long it keeps what it deletes, and the protective marking.

Read on each call, never at import, so the pages follow the settings they run with (ADR 0029).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage

DAY = 24 * 60 * 60


@dataclass(frozen=True)
class Operator:
    """Who runs the service and how to reach them; a placeholder names the setting to fill in."""

    name: str
    contact_email: str
    dpo_contact: str
    has_contact_email: bool


@dataclass(frozen=True)
class Cookie:
    name: str
    purpose: str
    expires: str


def _placeholder(what: str, setting: str) -> str:
    return f"[{what}: set {setting}]"


def operator() -> Operator:
    """Return the operator's details from settings, or placeholders where they are not set."""
    email = settings.ORDERWATCH_CONTACT_EMAIL
    return Operator(
        name=settings.ORDERWATCH_OPERATOR_NAME
        or _placeholder("The partnership's name", "ORDERWATCH_OPERATOR_NAME"),
        contact_email=email or _placeholder("Contact email", "ORDERWATCH_CONTACT_EMAIL"),
        dpo_contact=settings.ORDERWATCH_DPO_CONTACT
        or _placeholder("Data protection officer's contact", "ORDERWATCH_DPO_CONTACT"),
        has_contact_email=bool(email),
    )


def _lifetime(seconds: int | None) -> str:
    if seconds is None:
        return "When you close your browser"
    days = round(seconds / DAY)
    return f"{days} days" if days != 1 else "1 day"


def service_cookies() -> list[Cookie]:
    """Return every cookie the service sets: there are no others, and none for analytics."""
    session_ends = (
        "When you close your browser"
        if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
        else _lifetime(settings.SESSION_COOKIE_AGE)
    )
    idle_minutes = settings.SESSION_COOKIE_AGE // 60
    return [
        Cookie(
            name=settings.SESSION_COOKIE_NAME,
            purpose="Keeps you signed in as you move from page to page.",
            expires=f"{session_ends}. It stops working after {idle_minutes} minutes without use.",
        ),
        Cookie(
            name=settings.CSRF_COOKIE_NAME,
            purpose="Stops other websites sending forms to this service in your name.",
            expires=_lifetime(settings.CSRF_COOKIE_AGE),
        ),
        Cookie(
            name=CookieStorage.cookie_name,
            purpose="Shows a message on the next page, such as that something was saved.",
            expires="As soon as the message has been shown, or when you close your browser",
        ),
    ]


def kept_for() -> dict[str, int]:
    """Return how long the service keeps the records it deletes by itself."""
    return {
        "sign_in_records_days": settings.ORDERWATCH_SIGN_IN_RECORDS_KEEP_DAYS,
        "prepared_documents_hours": settings.ORDERWATCH_EXPORT_KEEP_HOURS,
    }


def protective_marking() -> str:
    """Return the protective marking for printed pages and PDFs (OFFICIAL-SENSITIVE by default)."""
    return settings.ORDERWATCH_PROTECTIVE_MARKING
