"""A case being closed: the checklist's decisions and the reason, kept between its pages.

The reason may be free text about the victim-survivor, and the session store is the database,
so the answers are sealed with the field keys as a breach draft is (ADR 0028). Nothing is saved
on the case until the person confirms on Check your answers.
"""

import json

from django.contrib.sessions.backends.base import SessionBase

from orderwatch.confidential.cipher import ConfidentialValueUnreadable, decrypt, encrypt

SESSION_KEY = "case_closings"


def closing_draft_read(session: SessionBase, case_id) -> dict:
    """Return the answers given so far on closing the case (empty if none, or unreadable)."""
    sealed = session.get(SESSION_KEY, {}).get(str(case_id))
    if sealed is None:
        return {}
    try:
        return json.loads(decrypt(sealed))
    except (ConfidentialValueUnreadable, ValueError):
        return {}


def closing_draft_keep(session: SessionBase, case_id, answers: dict) -> None:
    """Keep `answers` (merged into those already given) for closing the case, sealed."""
    sealed = encrypt(json.dumps(closing_draft_read(session, case_id) | answers))
    session[SESSION_KEY] = session.get(SESSION_KEY, {}) | {str(case_id): sealed}


def closing_draft_discard(session: SessionBase, case_id) -> None:
    """Forget the answers for closing the case (closed, or the person started again)."""
    drafts = session.get(SESSION_KEY, {})
    if str(case_id) in drafts:
        session[SESSION_KEY] = {k: v for k, v in drafts.items() if k != str(case_id)}
