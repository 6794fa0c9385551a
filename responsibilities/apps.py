from django.apps import AppConfig


class ResponsibilitiesConfig(AppConfig):
    name = "responsibilities"
    verbose_name = "责任体系"
