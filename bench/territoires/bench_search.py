"""Territorial reference: time to load the full reference, and commune search latency.

Prints figures; asserts nothing. Runs on a throw-away SQLite database unless DATABASE_URL is set.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    "saint etienne",
    "st-etienne",
    "rennes",
    "75056",
    "42000",
    "plou",
    "la",
    "Aix en Provence",
    "bordeaux",
    "ax",
]
ROUNDS = 100


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("COMMUNS_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    os.environ.setdefault("COMMUNS_SEARCH_INDEX_TTL", "5")  # the production setting (tests use 0)
    import django

    django.setup()
    from django.core.management import call_command

    from communs.territoires.selectors import search_communes
    from communs.territoires.services import load_reference

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load_reference()
    first_load = time.perf_counter() - started
    started = time.perf_counter()
    load_reference()
    reload = time.perf_counter() - started

    timings = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            started = time.perf_counter()
            search_communes(query, limit=20)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"first load of the reference: {first_load:.2f} s; idempotent reload: {reload:.2f} s")
    print(
        f"commune search ({len(timings)} queries): median {statistics.median(timings):.2f} ms, "
        f"p95 {timings[int(0.95 * len(timings))]:.2f} ms, max {timings[-1]:.2f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
