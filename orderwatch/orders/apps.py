from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orderwatch.orders"
    label = "orders"
