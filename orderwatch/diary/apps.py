from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "orderwatch.diary"
    label = "diary"
