"""The pure core and the layers under the web type-check under ``mypy --strict``."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: What must pass ``mypy --strict``: the domain, the services, the models and their plumbing.
STRICT = ("blgcal/domain", "blgcal/services", "blgcal/models", "blgcal/db.py", "blgcal/fetch.py",
          "blgcal/cache.py", "blgcal/listener.py")


@pytest.mark.parametrize("target", STRICT)
def test_passes_mypy_strict(target: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-error-summary", target],
        cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
