from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "saferplan.casework"
    label = "casework"
    verbose_name = "Casework: ASB, case reviews, Safer Homes, MAIS and MARAC"
