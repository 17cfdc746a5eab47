"""Agency administration: every change an agency administrator makes to their own agency's
accounts. One transaction, a permission check (`access_person`) and an audit event each.

One module per concern: new accounts (`onboarding`), role and status (`status`), a lost
authenticator (`authenticator`).
"""

from orderwatch.people.services.authenticator import (
    person_authenticator_reset,
    person_authenticator_reset_email_send,
)
from orderwatch.people.services.onboarding import (
    ASSIGNABLE_ROLES,
    agency_administrator_create,
    agency_administrator_setup_link_renew,
    person_create,
    person_create_on_the_server,
    person_setup_link_renew,
)
from orderwatch.people.services.status import (
    person_deactivate,
    person_reactivate,
    person_role_change,
)

__all__ = [
    "ASSIGNABLE_ROLES",
    "agency_administrator_create",
    "agency_administrator_setup_link_renew",
    "person_authenticator_reset",
    "person_authenticator_reset_email_send",
    "person_create",
    "person_create_on_the_server",
    "person_deactivate",
    "person_reactivate",
    "person_role_change",
    "person_setup_link_renew",
]
