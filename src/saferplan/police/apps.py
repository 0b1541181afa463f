from django.apps import AppConfig


class PoliceConfig(AppConfig):
    name = "saferplan.police"
    label = "police"
    verbose_name = "Police open data"
