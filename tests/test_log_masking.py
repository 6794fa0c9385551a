"""No personal data in the logs: every handler masks mobile and identity numbers and
secret values, in the message, its arguments and the traceback (ADR 0045)."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from safetyportal.core.log_filters import MaskPersonalData, mask

ROOT = Path(__file__).resolve().parent.parent
PHONE = "13907361234"
IDENTITY = "43072319850612345X"


def test_mask_hides_phones_identity_numbers_and_secrets():
    text = mask(
        f"reporter {PHONE} id {IDENTITY} alt +86 139-0736-1234 "
        "password=hunter2 Authorization: Token 9f8e7d6c5b token='abc123'"
    )
    assert PHONE not in text and "0736" not in text and IDENTITY not in text
    assert "139****1234" in text and "43**************5X" in text
    assert "hunter2" not in text and "9f8e7d6c5b" not in text and "abc123" not in text


def test_mask_leaves_other_numbers_alone():
    # an enterprise's 18-character credit code with letters, a 12-digit number, a year
    text = "91430723MA4L0ABC1X 430723102001 2026 12345678901234567890"
    assert mask(text) == text


def test_a_logged_message_its_arguments_and_traceback_are_masked():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger("tests.log_masking")
    logger.addHandler(handler)
    try:
        logger.warning("report from %s (%s)", PHONE, IDENTITY)
        try:
            raise ValueError(f"duplicate key (phone)=({PHONE})")
        except ValueError:
            logger.exception("could not save")
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert PHONE not in output and IDENTITY not in output
    assert "139****1234" in output and "ValueError: duplicate key" in output


def test_the_production_logging_configuration_masks_what_django_writes(tmp_path):
    """The real LOGGING, in a fresh process: the root logger, django.request (a 404 with a
    phone number in its path) and django.server write nothing unmasked to stderr."""
    code = (
        "import django, logging; django.setup();"
        f"logging.getLogger('enforcement').warning('lookup by %s for %s', '{PHONE}', '{IDENTITY}');"
        f"logging.getLogger('django.request').warning('Not Found: /enterprises/?q={PHONE}');"
        f"logging.getLogger('django.server').info('\"GET /x?phone={PHONE} HTTP/1.1\" 200 5',"
        " extra={'status_code': 200});"
        f"logging.getLogger('celery.task').error('password=s3cret-value {IDENTITY}');"
        # every handler of every logger that writes anywhere carries the filter
        "from safetyportal.core.log_filters import MaskPersonalData as M;"
        "loggers = [logging.getLogger()] + [logging.getLogger(n) for n in list(logging.root.manager.loggerDict)];"
        "handlers = [h for lg in loggers for h in getattr(lg, 'handlers', [])"
        " if not isinstance(h, logging.NullHandler)];"
        "print('handlers', len(handlers), 'unmasked', [h for h in handlers"
        " if not any(isinstance(f, M) for f in h.filters)])"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "safetyportal.settings",
        "PORTAL_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "log-test",
        "DATABASE_URL": "sqlite://:memory:",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    written = result.stdout + result.stderr
    assert written.count("139****1234") == 3, written
    assert PHONE not in written and IDENTITY not in written and "s3cret-value" not in written
    assert "unmasked []" in result.stdout and "handlers 0 " not in result.stdout, result.stdout


@pytest.mark.django_db
def test_a_public_report_post_is_never_in_an_error_report(client, county):
    """The public form and the receipt lookup are sensitive_post_parameters: Django's error
    report (the mail to ADMINS) shows their fields as stars."""
    from django.views.debug import SafeExceptionReporterFilter

    for name in ("enforcement:report_public_new", "enforcement:report_public_status"):
        request = client.post(reverse(name), {"phone": PHONE}).wsgi_request
        assert request.sensitive_post_parameters == "__ALL__", name
        cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
        assert cleansed["phone"] != PHONE, name
