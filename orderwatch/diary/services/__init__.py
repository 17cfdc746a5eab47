"""Every change to a diary: one transaction, a permission check and an audit event each.

One module per concern: the diary account, from invitation to its end (`account`); adding
entries (`entries`); what the lead shows in the diary, and the keeper reading it (`sharing`).
"""

from orderwatch.diary.services.account import (
    DIARY_USER_NAME,
    LINK_NOT_USABLE,
    MAX_ATTEMPTS,
    case_diary_open,
    case_diary_preview_open,
    diary_access_end,
    diary_end,
    diary_invite_create,
    diary_invite_is_usable,
    diary_keeper_forget,
    diary_setup_confirm,
    diary_setup_email_send,
    diary_setup_is_usable,
    diary_setup_request,
    diary_setup_token,
    secret_hash,
)
from orderwatch.diary.services.entries import diary_entry_add
from orderwatch.diary.services.sharing import (
    diary_order_hidden_set,
    diary_order_hide,
    diary_order_read,
    diary_order_share,
    diary_order_withdraw,
    diary_plan_read,
    diary_plan_share,
    diary_plan_withdraw,
)

__all__ = [
    "DIARY_USER_NAME",
    "LINK_NOT_USABLE",
    "MAX_ATTEMPTS",
    "case_diary_open",
    "case_diary_preview_open",
    "diary_access_end",
    "diary_end",
    "diary_entry_add",
    "diary_invite_create",
    "diary_invite_is_usable",
    "diary_keeper_forget",
    "diary_order_hidden_set",
    "diary_order_hide",
    "diary_order_read",
    "diary_order_share",
    "diary_order_withdraw",
    "diary_plan_read",
    "diary_plan_share",
    "diary_plan_withdraw",
    "diary_setup_confirm",
    "diary_setup_email_send",
    "diary_setup_is_usable",
    "diary_setup_request",
    "diary_setup_token",
    "secret_hash",
]
