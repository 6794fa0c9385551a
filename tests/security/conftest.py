"""The role matrix's world, built once per module (tests/security/world.py)."""

from __future__ import annotations

import pytest
from django.db import transaction


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world inside one transaction, rolled back when the module is done; media files
    go to a temporary folder."""
    from django.conf import settings

    from tests.security.world import build_world

    media = tmp_path_factory.mktemp("matrix-media")
    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(media)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            settings.MEDIA_ROOT = old_media


def pytest_terminal_summary(terminalreporter):
    from tests.security.matrix_stats import CHECKS, LEAKS

    if not CHECKS:
        return
    parts = ", ".join(f"{kind} {n}" for kind, n in sorted(CHECKS.items()))
    terminalreporter.write_line(
        f"role matrix: {sum(CHECKS.values())} checks ({parts}); leaks: {len(LEAKS)}"
    )
