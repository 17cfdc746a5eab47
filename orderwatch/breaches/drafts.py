"""A breach being recorded, kept between its question pages in the person's session.

The answers are free text about an incident, and the session store is the database
(`django_session`, signed but not encrypted), so the draft is sealed with the field keys before
it goes into the session (ADR 0028). One draft per case in a session, which is one person's.
"""

import json
import uuid
from dataclasses import dataclass, field

from django.contrib.sessions.backends.base import SessionBase
from django.http import QueryDict

from orderwatch.confidential.cipher import ConfidentialValueUnreadable, decrypt, encrypt

SESSION_KEY = "breach_drafts"


@dataclass
class BreachDraft:
    """The answers to each question page, as typed, and the one-time key for saving them."""

    key: uuid.UUID = field(default_factory=uuid.uuid4)
    # Question page -> its answers: field name -> the values posted.
    pages: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def page(self, slug: str) -> QueryDict:
        """Return the answers to one page, as its form posted them."""
        data = QueryDict(mutable=True)
        for name, posted in self.pages.get(slug, {}).items():
            data.setlist(name, posted)
        return data


def breach_draft_read(session: SessionBase, case_id) -> BreachDraft | None:
    """Return the breach this session started on the case, if any (one that can no longer be
    unsealed, after its key was retired, is as good as none)."""
    sealed = session.get(SESSION_KEY, {}).get(str(case_id))
    if sealed is None:
        return None
    try:
        stored = json.loads(decrypt(sealed))
    except (ConfidentialValueUnreadable, ValueError):
        return None
    return BreachDraft(key=uuid.UUID(stored["key"]), pages=stored["pages"])


def breach_draft_keep(session: SessionBase, case_id, draft: BreachDraft) -> None:
    """Keep `draft` as this session's breach on the case, sealed."""
    sealed = encrypt(json.dumps({"key": str(draft.key), "pages": draft.pages}))
    session[SESSION_KEY] = session.get(SESSION_KEY, {}) | {str(case_id): sealed}


def breach_draft_discard(session: SessionBase, case_id) -> None:
    """Forget this session's breach on the case (saved, or discarded by the person)."""
    drafts = session.get(SESSION_KEY, {})
    if str(case_id) in drafts:
        session[SESSION_KEY] = {k: v for k, v in drafts.items() if k != str(case_id)}


def breach_draft_exists(session: SessionBase, case_id) -> bool:
    """Return whether this session has a breach started on the case (without unsealing it)."""
    return str(case_id) in session.get(SESSION_KEY, {})
