"""The house layering holds: ui -> services -> (nlp | geo | io | db), Qt only in ui."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the dev dependencies"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_module_starts_with_a_docstring():
    missing = []
    for path in [*ROOT.glob("desktop/**/*.py"), *ROOT.glob("db/*.py")]:
        source = path.read_text(encoding="utf-8").lstrip()
        if not source.startswith(('"""', 'r"""')):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_code_passes_ruff():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    assert ruff, "ruff is part of the dev dependencies"
    result = subprocess.run([ruff, "check", "desktop", "db", "tests", "scripts"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
