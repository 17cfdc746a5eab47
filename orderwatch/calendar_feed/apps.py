from django.apps import AppConfig


class CalendarFeedConfig(AppConfig):
    name = "orderwatch.calendar_feed"
    label = "calendar_feed"
