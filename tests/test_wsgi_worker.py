"""The web worker's start (safetyportal/wsgi.py): what it keeps for its whole life is
frozen out of the garbage collector's walks, and collections run less often."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_web_worker_freezes_its_start_up_objects_and_collects_less_often():
    probe = (
        "import gc; import safetyportal.wsgi; "
        "print(gc.get_freeze_count() > 10_000, gc.get_threshold())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safetyportal.settings",
        "DATABASE_URL": "sqlite://:memory:",
        "SECRET_KEY": "wsgi-probe",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-2] == "True (20000, 50, 100)"
