from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "saferplan.core"
    label = "core"
