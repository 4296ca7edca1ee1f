"""Run every `bench/<app>/bench_*.py` script (or those whose path contains argv[1]) and print figures."""

import subprocess
import sys
from pathlib import Path


def main() -> int:
    root = Path(__file__).parent
    selected = [path for path in sorted(root.glob("*/bench_*.py")) if len(sys.argv) < 2 or sys.argv[1] in str(path)]
    failures = 0
    for script in selected:
        print(f"== {script.relative_to(root.parent)}", flush=True)
        failures += subprocess.run([sys.executable, str(script)], check=False).returncode != 0  # noqa: S603
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
