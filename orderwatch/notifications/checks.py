"""Refuse GOV.UK Notify settings that would lose emails (ADR 0034).

With the Notify backend chosen, every kind of email needs a template id, and the key must be
one Notify issues: checked when the worker (which sends the emails) or any management command
starts, and by `manage.py check --deploy`, rather than at the first email that fails.
"""

import re
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error

from orderwatch.notifications.email_kinds import EmailKind, template_setting_name

# name-serviceid-secret: the service id and the secret are UUIDs; the name may hold hyphens.
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
API_KEY = re.compile(rf".+-{_UUID}-{_UUID}", re.IGNORECASE)
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def notify_settings_check(app_configs, **kwargs) -> list[Error]:
    """Return an error for each Notify setting that cannot work, when Notify sends email."""
    if settings.EMAIL_BACKEND != settings.NOTIFY_EMAIL_BACKEND:
        return []
    errors = []
    if not API_KEY.fullmatch(settings.ORDERWATCH_NOTIFY_API_KEY):
        errors.append(
            Error(
                "ORDERWATCH_NOTIFY_API_KEY must be a key from GOV.UK Notify "
                "(its name, the service id and the secret, joined by hyphens).",
                id="notifications.E001",
            )
        )
    templates = settings.ORDERWATCH_NOTIFY_TEMPLATES
    missing = [template_setting_name(kind) for kind in EmailKind if not templates.get(kind)]
    if missing:
        errors.append(
            Error(
                "Emails of these kinds have no GOV.UK Notify template, so could not be sent: "
                "set " + ", ".join(missing) + ".",
                hint="README: Email through GOV.UK Notify lists each template's wording.",
                id="notifications.E002",
            )
        )
    not_ids = sorted(
        f"ORDERWATCH_NOTIFY_TEMPLATE_{name.upper()}"
        for name, value in templates.items()
        if value and not _is_id(value)
    )
    if not_ids:
        errors.append(
            Error(
                "These are not Notify template ids (a template's id is a UUID, shown on its "
                "page in Notify): " + ", ".join(not_ids) + ".",
                id="notifications.E003",
            )
        )
    unknown = sorted(set(templates) - set(EmailKind))
    if unknown:
        errors.append(
            Error(
                "These name no kind of email (a typing mistake?): "
                + ", ".join(f"ORDERWATCH_NOTIFY_TEMPLATE_{name.upper()}" for name in unknown)
                + ".",
                id="notifications.E004",
            )
        )
    reply_to = settings.ORDERWATCH_NOTIFY_REPLY_TO_ID
    if reply_to and not _is_id(reply_to):
        errors.append(
            Error(
                "ORDERWATCH_NOTIFY_REPLY_TO_ID must be the id of a reply-to address in Notify "
                "(a UUID), or empty.",
                id="notifications.E005",
            )
        )
    base_url = urlsplit(settings.ORDERWATCH_NOTIFY_BASE_URL)
    if base_url.scheme != "https" and base_url.hostname not in _LOOPBACK:
        errors.append(
            Error(
                "ORDERWATCH_NOTIFY_BASE_URL must start with https:// (the key's tokens and the "
                "links in emails travel to it).",
                id="notifications.E006",
            )
        )
    return errors


def _is_id(value: str) -> bool:
    """Return whether `value` is a UUID, as Notify's ids are."""
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
