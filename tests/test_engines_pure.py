"""Every service engine imports without loading Django (house style rule 1)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import communs

SRC = Path(communs.__file__).parent
ENGINES = sorted(path.parent.parent.name for path in SRC.glob("*/engine/__init__.py"))


@pytest.mark.parametrize("app", ENGINES)
def test_engine_imports_without_django(app):
    modules = [f"communs.{app}.engine"] + [
        f"communs.{app}.engine.{info.name}" for info in pkgutil.iter_modules([str(SRC / app / "engine")])
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded[:5]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.returncode == 0, result.stderr


def test_guards_import_without_django():
    """`communs.guards` is shared by the engines: it must stay as pure as they are."""
    modules = ["communs.guards"] + [
        f"communs.guards.{info.name}" for info in pkgutil.iter_modules([str(SRC / "guards")])
    ]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded[:5]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.returncode == 0, result.stderr
