from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "orderwatch.retention"
    label = "retention"
    verbose_name = "Retention and legal holds"
