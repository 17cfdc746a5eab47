"""Send the service's emails through GOV.UK Notify (ADR 0034), as a Django email backend.

Choose it with `EMAIL_BACKEND=orderwatch.notifications.notify_backend.NotifyEmailBackend`. Each
email is sent as its kind's Notify template (`ORDERWATCH_NOTIFY_TEMPLATE_<KIND>`) with the
email's personalisation (a link, how many hours it works), and no reference: Notify is given
the recipient's address and nothing else about anyone.

A send that fails raises `NotifyNotSent`, whose message and `reason` hold the HTTP status or
the kind of failure only: Notify's error text is never passed on, since it can repeat what it
was sent. Callers retry exactly as they do when an SMTP server refuses.
"""

import logging

import requests
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client import NotificationsAPIClient
from notifications_python_client.errors import APIError, InvalidResponse

from orderwatch.notifications.email_kinds import ServiceEmail

CLIENT_LOGGER = "notifications_python_client.base"


class NotifyNotSent(Exception):
    """Notify did not take an email. `reason` is the HTTP status or the kind of failure."""

    def __init__(self, reason: str):
        super().__init__(f"GOV.UK Notify did not take the email: {reason}")
        self.reason = reason


class WithoutNotifyErrorText(logging.Filter):
    """Drop the client's warning on a failed request: it quotes Notify's error text."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno < logging.WARNING


class NotifyEmailBackend(BaseEmailBackend):
    """Send each `ServiceEmail` as a Notify email notification, one per recipient."""

    def __init__(self, *, fail_silently: bool = False, timeout: float | None = None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.timeout = settings.EMAIL_TIMEOUT if timeout is None else timeout
        self.client: NotificationsAPIClient | None = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        try:
            self.client = NotificationsAPIClient(
                settings.ORDERWATCH_NOTIFY_API_KEY,
                base_url=settings.ORDERWATCH_NOTIFY_BASE_URL,
                timeout=self.timeout,
            )
        except AssertionError:  # how the client says a key or address is missing
            if self.fail_silently:
                return False
            raise NotifyNotSent("no API key") from None
        return True

    def close(self) -> None:
        if self.client is not None:
            self.client.request_session.close()
            self.client = None

    def send_messages(self, email_messages) -> int:
        """Send the emails; return how many went to every recipient."""
        if not email_messages:
            return 0
        opened = self.open()
        if self.client is None:
            return 0
        sent = 0
        try:
            for message in email_messages:
                try:
                    self._send(message)
                except NotifyNotSent:
                    if not self.fail_silently:
                        raise
                else:
                    sent += 1
        finally:
            if opened:
                self.close()
        return sent

    def _send(self, message) -> None:
        if not isinstance(message, ServiceEmail):
            # Only emails of a known kind have a template; anything else would go to Notify as
            # free text, which templates exist to keep out of it.
            raise NotifyNotSent("not a kind of email with a template")
        template_id = settings.ORDERWATCH_NOTIFY_TEMPLATES.get(message.kind)
        if not template_id:
            raise NotifyNotSent(f"no template id for {message.kind}")
        for address in message.recipients():
            try:
                self.client.send_email_notification(
                    email_address=address,
                    template_id=template_id,
                    personalisation=message.personalisation or None,
                    email_reply_to_id=settings.ORDERWATCH_NOTIFY_REPLY_TO_ID or None,
                )
            except APIError as error:
                # from None: the client's error holds Notify's answer, which may echo the
                # address.
                raise NotifyNotSent(_reason(error)) from None


def _reason(error: APIError) -> str:
    """Return the HTTP status Notify answered, or why there was no answer."""
    cause = error.__cause__
    if isinstance(error, InvalidResponse):
        return "no usable answer"
    if error.response is not None:
        return str(error.status_code)
    if isinstance(cause, requests.Timeout):
        return "timeout"
    if isinstance(cause, requests.ConnectionError):
        return "unreachable"
    return "no usable answer"
