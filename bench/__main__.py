"""Run every `bench/<app>/bench_*.py` script (or those whose `<app>/bench_*.py` part contains argv[1])
and print figures. The match ignores the checkout's own path, which may contain an app's name."""

import subprocess
import sys
from pathlib import Path


def main() -> int:
    root = Path(__file__).parent
    selected = [
        path
        for path in sorted(root.glob("*/bench_*.py"))
        if len(sys.argv) < 2 or sys.argv[1] in str(path.relative_to(root))
    ]
    failures = 0
    for script in selected:
        print(f"== {script.relative_to(root.parent)}", flush=True)
        failures += subprocess.run([sys.executable, str(script)], check=False).returncode != 0  # noqa: S603
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
