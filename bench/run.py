"""Run every benchmark in bench/ in turn (each prints its own figures)."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
status = 0
for script in sorted(here.glob("*.py")):
    if script.name.startswith("_") or script.name == "run.py":
        continue
    print(f"\n=== {script.name} ===", flush=True)
    status |= subprocess.call([sys.executable, str(script)], cwd=here)
sys.exit(status)
