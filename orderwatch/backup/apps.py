from django.apps import AppConfig


class BackupConfig(AppConfig):
    name = "orderwatch.backup"
    label = "backup"
