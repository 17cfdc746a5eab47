import factory

from orderwatch.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    """An unread breach notification linking to the case page."""

    class Meta:
        model = Notification

    kind = Notification.Kind.BREACH_RECORDED
    link = factory.LazyAttribute(lambda o: o.case.get_absolute_url())
