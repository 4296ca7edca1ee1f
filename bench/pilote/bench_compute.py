"""PILOTE: 100 chantiers × 5 indicators × 101 départements × 36 months of values.

Prints (asserts nothing):
1. the engine time for every TA, aggregate (départements → régions → nation) and alert, from columnar
   observations (the same `engine.compute.compute` the CLI and the web call);
2. the time to store those results (the tables the pages read);
3. the national dashboard served by Django (median and p95 over repeated requests).
Runs on a throw-away SQLite database unless DATABASE_URL is set.
"""

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

N_CHANTIERS, N_INDICATORS, N_MONTHS = 100, 5, 36
AS_OF = date(2026, 12, 31)
ROUNDS = 50


def observations(specs):
    from communs.pilote.engine.compute import VA, VC, VI, Observations
    from communs.pilote.territories import axis_from_reference_file

    AXIS = axis_from_reference_file()

    rng = np.random.default_rng(2026)
    n_ind, n_dept = len(specs), AXIS.dept_slice.stop
    months = np.arange(N_MONTHS)
    ind, dept, month = np.meshgrid(np.arange(n_ind), np.arange(n_dept), months, indexing="ij")
    ind, dept, month = ind.ravel(), dept.ravel(), month.ravel()
    start = np.datetime64("2024-01", "M")
    va_dates = (start + month).astype("datetime64[D]") + 27
    vi = rng.uniform(0, 100, (n_ind, n_dept))
    vc = vi + rng.uniform(-50, 200, (n_ind, n_dept))
    pace = rng.uniform(0.2, 1.2, (n_ind, n_dept))
    va = vi[ind, dept] + (vc - vi)[ind, dept] * pace[ind, dept] * (month + 1) / N_MONTHS
    va += rng.normal(0, 2, va.size)
    base_ind, base_dept = np.meshgrid(np.arange(n_ind), np.arange(n_dept), indexing="ij")
    base_ind, base_dept = base_ind.ravel(), base_dept.ravel()
    n_base = base_ind.size
    return Observations(
        indicator=np.concatenate([ind, base_ind, base_ind]),
        territory=np.concatenate([dept, base_dept, base_dept]),
        date=np.concatenate(
            [va_dates, np.full(n_base, np.datetime64("2024-01-01")), np.full(n_base, np.datetime64("2027-12-31"))]
        ),
        metric=np.concatenate(
            [np.full(va.size, VA, np.int8), np.full(n_base, VI, np.int8), np.full(n_base, VC, np.int8)]
        ),
        value=np.concatenate([va, vi.ravel(), vc.ravel()]),
    )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("COMMUNS_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from communs.pilote.engine.compute import IndicatorSpec, compute
    from communs.pilote.models import Chantier, Indicator, Ministere
    from communs.pilote.services import store_results

    rules = ("sum", "mean", "sum", "none", "sum")
    specs = [
        IndicatorSpec(
            id=f"c{c:03d}-i{i}",
            chantier=f"c{c:03d}",
            direction="hausse" if i % 2 == 0 else "baisse",
            weight_nat=20,
            weight_reg=20,
            weight_dept=20,
            aggregation=rules[i],
        )
        for c in range(N_CHANTIERS)
        for i in range(N_INDICATORS)
    ]
    from communs.pilote.territories import axis_from_reference_file

    obs = observations(specs)
    meteo = {(f"c{c:03d}", "NAT-FR") for c in range(0, N_CHANTIERS, 2)}
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        result = compute(specs, obs, AS_OF, axis=axis_from_reference_file(), meteo=meteo)
        timings.append(time.perf_counter() - started)
    va_count = int((obs.metric == 1).sum())
    print(
        f"engine: {len(obs):,} observations ({va_count:,} monthly VA) → {int(result.expected.sum()):,} indicator TA, "
        f"{int(result.chantier_expected.sum()):,} chantier TA, {len(result.alerts):,} alerts; "
        f"best of 3 {min(timings):.2f} s, worst {max(timings):.2f} s"
    )

    call_command("migrate", verbosity=0)
    ministere, _ = Ministere.objects.get_or_create(code="BENCH", defaults={"nom": "Ministère du banc d'essai"})
    chantiers = Chantier.objects.bulk_create(
        [
            Chantier(code=f"c{c:03d}", nom=f"Chantier {c:03d}", ministere=ministere, axe=f"Axe {c % 7}")
            for c in range(N_CHANTIERS)
        ]
    )
    by_code = {c.code: c for c in chantiers}
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                code=s.id,
                chantier=by_code[s.chantier],
                nom=s.id,
                unite="u",
                direction=s.direction,
                aggregation=s.aggregation,
                weight_nat=20,
                weight_reg=20,
                weight_dept=20,
                source="bench",
                methode="bench",
            )
            for s in specs
        ]
    )
    started = time.perf_counter()
    store_results(result, chantiers, indicators)
    print(f"store results (indicator, chantier, alert rows): {time.perf_counter() - started:.2f} s")

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("bench")
    client = Client()
    client.force_login(user)
    client.get("/pilote/")  # warm-up: templates, connections
    served = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        response = client.get("/pilote/")
        served.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code  # noqa: S101 - the bench must measure a real page
    served.sort()
    print(
        f"national dashboard ({N_CHANTIERS} chantiers, {ROUNDS} requests): median {statistics.median(served):.0f} ms, "
        f"p95 {served[int(0.95 * len(served))]:.0f} ms, max {served[-1]:.0f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
