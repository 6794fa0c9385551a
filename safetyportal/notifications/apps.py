from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safetyportal.notifications"
    label = "notifications"
    verbose_name = "通知"
