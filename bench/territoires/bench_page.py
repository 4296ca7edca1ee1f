"""Territory page: response time of Rennes (35238) with every panel a commune can have, after the
whole demo (`communs demo`), the Ille-et-Vilaine contours when the shared test data is there, and
Rennes' CoSIA statistics computed once by their job (as stored results, which the page reads).

Prints figures; asserts nothing. Runs on a throw-away SQLite database unless DATABASE_URL is set.
Target (issue 22): p95 ≤ 300 ms for the page.
"""

import io
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

ROUNDS = 60
SHARED_CONTOURS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "contours"


def timings(client, url: str, rounds: int = ROUNDS) -> list[float]:
    client.get(url)  # warm-up: templates compiled, first queries cached by the database
    out = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        out.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(out)


def panels_in(response) -> list[str]:
    return re.findall(r'<section class="territoires-panel[^"]*" id="panneau-([a-z]+)"', response.content.decode())


def describe(label: str, values: list[float]) -> str:
    return (
        f"{label}: median {statistics.median(values):.0f} ms, p95 {values[int(0.95 * len(values))]:.0f} ms, "
        f"max {values[-1]:.0f} ms ({len(values)} requests)"
    )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("COMMUNS_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from communs.cosia import selectors as cosia_selectors
    from communs.cosia import services as cosia
    from communs.territoires.services import import_contours

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", stdout=io.StringIO())
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")
    if (SHARED_CONTOURS / "communes-35-ille-et-vilaine.geojson").exists():
        import_contours(SHARED_CONTOURS / "communes-35-ille-et-vilaine.geojson", level="commune")
        for vintage in cosia_selectors.vintages():
            cosia.start_statistics(cosia.resolve_territory("35238"), vintage)  # runs now (immediate backend)
    else:
        print("shared contours absent: no outline, no neighbours and no CoSIA panel for Rennes")

    client = Client()
    url = "/territoires/commune/35238/"
    print(f"anonymous visitor: panels {panels_in(client.get(url))}")
    print(describe("page, anonymous visitor", timings(client, url)))
    client.force_login(get_user_model().objects.get(username="agent-35"))
    print(f"agent-35 (Champollion inspector of 35): panels {panels_in(client.get(url))}")
    print(describe("page, agent-35", timings(client, url)))
    print(describe("comparison with the département, agent-35", timings(client, url + "comparer/", 30)))
    print(describe("JSON synthesis, agent-35", timings(client, "/api/territoires/commune/35238/synthese", 30)))
    print(describe("département 35 page, agent-35", timings(client, "/territoires/departement/35/", 30)))


if __name__ == "__main__":
    main()
