from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "orderwatch.tasks"
    label = "tasks"
