from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "orderwatch.people"
    label = "people"
    verbose_name = "Agency administration"
