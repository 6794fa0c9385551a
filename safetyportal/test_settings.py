"""Test settings: the real settings plus what makes tests fast and hermetic."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from safetyportal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
MEDIA_ROOT = DATA_DIR / "test-media"  # noqa: F405
# Live-server request threads must not keep connections open after a test, or the test
# database cannot be dropped at the end of the session.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Look files up per request instead of scanning STATIC_ROOT at start-up: tests never run
# collectstatic, and WhiteNoise's "No directory at STATIC_ROOT" warning is an error here.
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = None  # type: ignore[assignment]  # tests serve static files through the finders; nothing is collected
# The lockout is tested on its own (tests/test_login_lockout.py); elsewhere tests log in
# with Client.login(), which gives django-axes no request to track.
AXES_ENABLED = False
