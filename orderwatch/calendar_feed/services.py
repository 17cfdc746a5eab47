"""Creating and revoking a user's private calendar link; each change is audited.

Only a SHA-256 hash of the secret is stored, so the link is shown once, when it is made.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from orderwatch.accounts.models import User
from orderwatch.audit.models import Verb
from orderwatch.audit.services import audit_record
from orderwatch.calendar_feed.models import CalendarFeed


def token_hash(token: str) -> str:
    """Return the stored form of a link's secret."""
    return hashlib.sha256(token.encode()).hexdigest()


def _revoke_live(actor: User) -> list[CalendarFeed]:
    feeds = list(
        CalendarFeed.objects.select_for_update().filter(user=actor, revoked_at__isnull=True)
    )
    for feed in feeds:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at", "modified_at"])
        audit_record(
            actor=actor, verb=Verb.CALENDAR_FEED_REVOKED, target=feed, fields=["revoked_at"]
        )
    return feeds


@transaction.atomic(durable=True)
def calendar_feed_create(*, actor: User) -> tuple[CalendarFeed, str]:
    """Make the actor a new calendar link, revoking any they had; return it and its secret."""
    _revoke_live(actor)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=actor, token_hash=token_hash(token), created_by=actor)
    audit_record(actor=actor, verb=Verb.CALENDAR_FEED_CREATED, target=feed)
    return feed, token


@transaction.atomic(durable=True)
def calendar_feed_revoke(*, actor: User) -> int:
    """Stop the actor's calendar link working at once; return how many links were revoked."""
    return len(_revoke_live(actor))
