from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "saferplan.indicators"
    label = "indicators"
    verbose_name = "Performance data"
