"""Every kind of email the service sends, and the few values each fills in (ADR 0034).

An email is built as a `ServiceEmail`: the subject and body that SMTP sends, plus its kind and
its personalisation, which is all GOV.UK Notify is sent (Notify holds the wording as one
template per kind). The personalisation is limited, kind by kind, to values that say nothing
about a person or a case: the link and how many hours it works.
"""

from enum import StrEnum

from django.core.mail import EmailMessage


class EmailKind(StrEnum):
    CASE_UPDATE = "case_update"
    CASE_MEMBER_ADDED = "case_member_added"
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a kind of email, not a password)
    ACCOUNT_SETUP = "account_setup"
    AUTHENTICATOR_RESET = "authenticator_reset"
    AUTHENTICATOR_REPLACED = "authenticator_replaced"
    DIARY_SETUP = "diary_setup"
    DIARY_ADDRESS_IN_USE = "diary_address_in_use"
    DIARY_AUTHENTICATOR_REPLACED = "diary_authenticator_replaced"


# The ((placeholders)) in each kind's Notify template, and so the only personalisation sent.
PLACEHOLDERS: dict[EmailKind, tuple[str, ...]] = {
    EmailKind.CASE_UPDATE: ("link",),
    EmailKind.CASE_MEMBER_ADDED: ("link",),
    EmailKind.PASSWORD_RESET: ("link",),
    EmailKind.ACCOUNT_SETUP: ("link", "hours"),
    EmailKind.AUTHENTICATOR_RESET: (),
    EmailKind.AUTHENTICATOR_REPLACED: (),
    EmailKind.DIARY_SETUP: ("link", "hours"),
    EmailKind.DIARY_ADDRESS_IN_USE: (),
    EmailKind.DIARY_AUTHENTICATOR_REPLACED: (),
}


def template_setting_name(kind: EmailKind) -> str:
    """Return the environment variable that holds the Notify template id for `kind`."""
    return f"ORDERWATCH_NOTIFY_TEMPLATE_{kind.upper()}"


class ServiceEmail(EmailMessage):
    """An email of one kind, to one address: sent as it is by SMTP, or by Notify as its kind's
    template filled in with `personalisation`."""

    def __init__(
        self,
        *,
        kind: EmailKind,
        personalisation: dict[str, str | int],
        subject: str,
        body: str,
        to: str,
    ):
        if sorted(personalisation) != sorted(PLACEHOLDERS[kind]):
            raise ValueError(f"A {kind} email fills in {PLACEHOLDERS[kind]}, nothing else.")
        super().__init__(subject=subject, body=body, to=[to])
        self.kind = kind
        self.personalisation = {name: str(value) for name, value in personalisation.items()}
