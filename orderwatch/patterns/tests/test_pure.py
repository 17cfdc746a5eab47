"""The pattern modules are pure: importing them loads no Django."""

import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("module", ["analysis", "chart"])
def test_the_module_imports_without_django(module):
    root = Path(__file__).resolve().parents[3]
    script = (
        f"import sys; sys.path.insert(0, {str(root)!r}); "
        f"import orderwatch.patterns.{module}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = subprocess.run(  # noqa: S603 (a fixed command)
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
