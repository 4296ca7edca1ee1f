"""Starting Django stays light: no heavy data library is imported by `django.setup()` (models,
apps' ready(), job registrations, admin), by `communs --help`, nor by the commands people type
first (`communs territoires search …`). They are imported inside the functions that use them.

Each check runs in a fresh interpreter, since this test process has long imported everything.
"""

import os
import subprocess
import sys

import pytest

HEAVY = ("pandas", "geopandas", "pyogrio", "rasterio", "rio_tiler", "duckdb", "ibis", "scipy", "numexpr")

_CHECK = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
{body}
heavy = [name for name in {heavy!r} if name in sys.modules]
print("HEAVY", heavy, file=sys.stderr)
assert not heavy, heavy
"""

CASES = {
    "django.setup()": "import django\ndjango.setup()",
    "communs --help": (
        "import io, contextlib\n"
        "from django.core.management import execute_from_command_line\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    execute_from_command_line(['communs', '--help'])"
    ),
    "communs territoires search --help": (
        "import io, contextlib\n"
        "from django.core.management import execute_from_command_line\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    execute_from_command_line(['communs', 'territoires', 'search', '--help'])\n"
        "from django.core.management import load_command_class\n"
        "assert load_command_class('communs.territoires', 'territoires').requires_system_checks == []"
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_starting_django_imports_no_heavy_library(case):
    code = _CHECK.format(body=CASES[case], heavy=HEAVY)
    env = {**os.environ, "COMMUNS_ENV": "test"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env)  # noqa: S603
    assert result.returncode == 0, f"{case} imported a heavy library:\n{result.stderr[-2000:]}"
