from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "saferplan.areas"
    label = "areas"
    verbose_name = "Areas and populations"
