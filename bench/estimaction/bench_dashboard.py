"""Estim'Action: time to load the demo (import + compute 8 territories) and to serve a commune
dashboard once computed (full HTML page through Django's test client, no network).

Prints figures; asserts nothing. Runs on a throw-away SQLite database unless DATABASE_URL is set.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 30
PAGES = [
    "/estimaction/commune/35238/",
    "/estimaction/commune/35238/?seuils=regulatory&parametres=who2021",
    "/estimaction/epci/243500139/",
    "/api/estimaction/territories/commune/35238",
]


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("COMMUNS_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from communs.core.demo import load_demo as load_accounts
    from communs.estimaction.demo import load_demo
    from communs.territoires.services import load_reference

    call_command("migrate", verbosity=0)
    load_reference()
    load_accounts()
    started = time.perf_counter()
    first = load_demo()
    demo_time = time.perf_counter() - started
    started = time.perf_counter()
    second = load_demo()
    again = time.perf_counter() - started
    print(f"demo load: {demo_time:.1f} s ({first}); second run: {again:.2f} s ({second})")
    client = Client()
    for url in PAGES:
        client.get(url)  # warm-up: template compilation, imports
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        timings.sort()
        print(
            f"{url:<70} median {statistics.median(timings):6.1f} ms, p95 {timings[int(0.95 * len(timings))]:6.1f} ms "
            f"(target ≤ 300 ms), {len(response.content) // 1024} KiB"
        )


if __name__ == "__main__":
    sys.exit(main())
