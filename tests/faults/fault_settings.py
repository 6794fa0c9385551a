"""Settings of the processes the fault tests start (gunicorn, Celery workers): the
production settings, static files from the finders (nothing is collected in tests), and
the knobs that make a fault observable in seconds instead of hours."""

import os

os.environ.setdefault("SECRET_KEY", "fault-test-secret-key")

from safetyportal.settings import *  # noqa: E402,F403

STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = False
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
# a message a killed worker held goes back to the queue after 3 s (production: 2 hours,
# well above the 30-minute task time limit), and a starting worker looks at once
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# hazards/escalation.py: small batches with a pause after each, so a worker can be killed
# between two committed batches of a sweep
FAULT_TEST_ESCALATION_BATCH_SIZE = 2
FAULT_TEST_PAUSE_AFTER_BATCH_SECONDS = 1.5
