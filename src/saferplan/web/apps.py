from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "saferplan.web"
    label = "web"
