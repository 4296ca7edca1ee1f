"""CLI start-up: wall time of `communs --help` and `communs territoires search "rennes" --json`,
next to `python -c "import django"` (the floor any Django command pays).

Prints figures (median and best of ROUNDS runs, and the CPU time of the median run); asserts
nothing. The search runs on a throw-away SQLite database with the reference loaded, unless
DATABASE_URL is set. Goal (issue 12): both commands ≤ 1 s on an idle machine; on a loaded machine
compare them with the `import django` line, which is slowed down the same way.
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
BIN = Path(sys.executable).parent


def _run(argv: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, user+system CPU seconds of the child)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-cli-"))
    env = {**os.environ, "COMMUNS_DATA_DIR": str(workdir), "DJANGO_SETTINGS_MODULE": "communs.site.settings"}
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    communs = str(BIN / "communs")
    subprocess.run([communs, "migrate", "--no-input", "-v", "0"], env=env, check=True)  # noqa: S603
    subprocess.run([communs, "territoires", "load"], env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    cases = {
        'python -c "import django"': [sys.executable, "-c", "import django"],
        "communs --help": [communs, "--help"],
        'communs territoires search "rennes" --json': [communs, "territoires", "search", "rennes", "--json"],
    }
    load = os.getloadavg()[0]
    print(f"{ROUNDS} runs each; load average {load:.1f} on {os.cpu_count()} CPUs")
    for label, argv in cases.items():
        runs = sorted(_run(argv, env) for _ in range(ROUNDS))
        median = runs[len(runs) // 2]
        print(
            f"{label:<46} median {median[0]:.2f} s (CPU {median[1]:.2f} s), "
            f"best {runs[0][0]:.2f} s, mean {statistics.mean(r[0] for r in runs):.2f} s"
        )


if __name__ == "__main__":
    main()
