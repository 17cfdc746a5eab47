"""The iCalendar document: one private all-day event per entry. No database."""

import datetime as dt

from icalendar import Calendar

from orderwatch.calendar_feed.ics import calendar_document
from orderwatch.calendar_feed.selectors import FeedEntry


def test_each_entry_is_an_all_day_private_event_with_a_stable_uid():
    entries = [
        FeedEntry("task-1", dt.date(2026, 3, 9), "Review the safety plan – case AB12", "/t/")
    ]
    document = calendar_document(
        entries,
        now=dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC),
        absolute_url=lambda path: f"https://orderwatch.example{path}",
    )
    (event,) = Calendar.from_ical(document).walk("VEVENT")
    assert str(event["uid"]) == "task-1@orderwatch"
    assert event.decoded("dtstart") == dt.date(2026, 3, 9)
    assert event.decoded("dtend") == dt.date(2026, 3, 10)
    assert str(event["summary"]) == "Review the safety plan – case AB12"
    assert str(event["url"]) == "https://orderwatch.example/t/"
    assert str(event["class"]) == "PRIVATE"


def test_an_empty_feed_is_still_a_valid_calendar():
    document = calendar_document([], now=dt.datetime(2026, 3, 5, tzinfo=dt.UTC), absolute_url=str)
    assert Calendar.from_ical(document)["x-wr-calname"] == "OrderWatch"
