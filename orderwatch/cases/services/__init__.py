"""Every change to a case: one transaction, a permission check and an audit event each.

One module per concern: the case and its people (`case`), its team (`team`), closing and
reopening it (`closure`).
"""

from orderwatch.cases.services.case import (
    case_create,
    case_open,
    case_person_add,
    case_protected_address_record,
    case_protected_address_reveal,
)
from orderwatch.cases.services.closure import case_close, case_reopen
from orderwatch.cases.services.team import (
    case_address_access_set,
    case_lead_hand_over,
    case_lead_vacancy_join,
    case_leads_restore,
    case_leads_vacate,
    case_team_member_add,
    case_team_member_remove,
)

__all__ = [
    "case_address_access_set",
    "case_close",
    "case_create",
    "case_lead_hand_over",
    "case_lead_vacancy_join",
    "case_leads_restore",
    "case_leads_vacate",
    "case_open",
    "case_person_add",
    "case_protected_address_record",
    "case_protected_address_reveal",
    "case_reopen",
    "case_team_member_add",
    "case_team_member_remove",
]
