"""The Celery application. Broker and options come from settings (CELERY_*)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetyportal.settings")

app = Celery("safetyportal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
