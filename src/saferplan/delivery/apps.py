from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "saferplan.delivery"
    label = "delivery"
    verbose_name = "Delivery and governance"
