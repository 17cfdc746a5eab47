"""An import file between its dry run and the import, kept in the administrator's session.

It names victim-survivors and respondents, and the session store is the database
(`django_session`, signed but not encrypted), so it is sealed with the field keys first, as a
breach draft is (ADR 0028). One per session; gone once imported, replaced by the next file,
or at the session's end. Nothing of it is ever written to disk in plain text (ADR 0043).
"""

import json
import uuid
from dataclasses import dataclass, field

from django.contrib.sessions.backends.base import SessionBase

from orderwatch.confidential.cipher import ConfidentialValueUnreadable, decrypt, encrypt

SESSION_KEY = "case_import"


@dataclass
class ImportDraft:
    """A file with no problems, what it will make, and the one-time key for importing it."""

    text: str
    counts: dict[str, int]
    key: uuid.UUID = field(default_factory=uuid.uuid4)


def import_draft_read(session: SessionBase) -> ImportDraft | None:
    """Return the file waiting to be imported in this session, if any."""
    sealed = session.get(SESSION_KEY)
    if sealed is None:
        return None
    try:
        stored = json.loads(decrypt(sealed))
    except (ConfidentialValueUnreadable, ValueError):
        return None
    return ImportDraft(text=stored["text"], counts=stored["counts"], key=uuid.UUID(stored["key"]))


def import_draft_keep(session: SessionBase, draft: ImportDraft) -> None:
    """Keep `draft` sealed as this session's file waiting to be imported."""
    session[SESSION_KEY] = encrypt(
        json.dumps({"text": draft.text, "counts": draft.counts, "key": str(draft.key)})
    )


def import_draft_discard(session: SessionBase) -> None:
    """Forget the file waiting to be imported (imported, or replaced)."""
    session.pop(SESSION_KEY, None)
