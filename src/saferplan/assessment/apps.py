from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "saferplan.assessment"
    label = "assessment"
    verbose_name = "Strategic assessment, consultation and information sharing"
