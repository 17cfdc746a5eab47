"""Making and revoking a calendar link: only a hash is kept, and every change is audited."""

import pytest
from django.http import Http404

from orderwatch.audit.models import AuditEvent, Verb
from orderwatch.calendar_feed.models import CalendarFeed
from orderwatch.calendar_feed.selectors import feed_owner, live_feed
from orderwatch.calendar_feed.services import (
    calendar_feed_create,
    calendar_feed_revoke,
    token_hash,
)

pytestmark = pytest.mark.django_db


def test_a_new_link_stores_only_a_hash_of_its_secret(practitioner):
    feed, token = calendar_feed_create(actor=practitioner)
    assert len(token) >= 40
    assert feed.token_hash == token_hash(token) != token
    assert not CalendarFeed.objects.filter(token_hash=token).exists()
    event = AuditEvent.objects.get(verb=Verb.CALENDAR_FEED_CREATED)
    assert (event.actor, event.object_id) == (practitioner, str(feed.pk))
    assert token not in str(event.payload)
    assert feed_owner(token=token) == practitioner


def test_a_new_link_replaces_the_old_one(practitioner):
    _, old = calendar_feed_create(actor=practitioner)
    feed, new = calendar_feed_create(actor=practitioner)
    assert live_feed(user=practitioner) == feed
    with pytest.raises(Http404):
        feed_owner(token=old)
    assert feed_owner(token=new) == practitioner
    assert AuditEvent.objects.filter(verb=Verb.CALENDAR_FEED_REVOKED).count() == 1


def test_revoking_stops_the_link_and_is_audited(practitioner):
    _, token = calendar_feed_create(actor=practitioner)
    assert calendar_feed_revoke(actor=practitioner) == 1
    with pytest.raises(Http404):
        feed_owner(token=token)
    assert live_feed(user=practitioner) is None
    assert AuditEvent.objects.filter(verb=Verb.CALENDAR_FEED_REVOKED).count() == 1
    assert calendar_feed_revoke(actor=practitioner) == 0


def test_a_link_stops_working_when_its_owner_is_deactivated(practitioner):
    _, token = calendar_feed_create(actor=practitioner)
    practitioner.is_active = False
    practitioner.save()
    with pytest.raises(Http404):
        feed_owner(token=token)
