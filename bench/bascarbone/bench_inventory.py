"""État bas carbone: national consolidation of 5,000 entities × 200 activity lines (1,000,000 lines).

Prints figures; asserts nothing. Engine only (no database). The tree is État → 10 pôles → 100 directions
→ 5,000 services, plus 13 régions → 100 préfectures of département, half of the services being also
attached to a préfecture (a DAG: those services are reached by two paths and counted once).
Targets of the issue: computation and aggregation with approach-1 uncertainty ≤ 5 s; 10,000 Monte Carlo
draws ≤ 30 s.
"""

import os
import time

import numpy as np

ENTITIES = int(os.environ.get("BENCH_ENTITIES", 5000))
LINES_PER_ENTITY = int(os.environ.get("BENCH_LINES", 200))
DRAWS = int(os.environ.get("BENCH_DRAWS", 10_000))
SEED = 42


def build(rng):
    from communs.bascarbone.engine.factors import load_starter_set
    from communs.bascarbone.engine.inventory import Activities
    from communs.bascarbone.engine.organisation import Organisation

    factors = load_starter_set()
    tree = Organisation()
    tree.add("etat", "État")
    for pole in range(10):
        tree.add(f"pole-{pole}", f"Pôle {pole}", "etat")
    for direction in range(100):
        tree.add(f"dir-{direction}", f"Direction {direction}", f"pole-{direction % 10}")
    for region in range(13):
        tree.add(f"region-{region}", f"Région {region}", "etat")
    for dep in range(100):
        tree.add(f"pref-{dep}", f"Préfecture {dep}", f"region-{dep % 13}")
    services = [f"svc-{index}" for index in range(ENTITIES)]
    for index, code in enumerate(services):
        tree.add(code, code, f"dir-{index % 100}")
        if index % 2:
            tree.add(code, "", f"pref-{index % 100}")

    ids = list(factors.factors)
    units = [factors.factors[i].unit.split("/", 1)[1] for i in ids]
    posts = [factors.factors[i].post for i in ids]
    n = ENTITIES * LINES_PER_ENTITY
    pick = rng.integers(0, len(ids), n)
    activities = Activities(
        post=[posts[k] for k in pick],
        factor_id=[ids[k] for k in pick],
        quantity=rng.lognormal(5, 1.5, n),
        unit=[units[k] for k in pick],
        entity=[services[k] for k in np.repeat(np.arange(ENTITIES), LINES_PER_ENTITY)],
        activity_uncertainty=rng.choice([0.0, 0.02, 0.05, 0.1, 0.3], n),
        amortization_years=np.where(np.array(posts)[pick] == "4.2", 4.0, 1.0),
        line=np.arange(1, n + 1),
    )
    return factors, tree, activities


def main() -> None:
    from communs.bascarbone.engine.inventory import compute_inventory
    from communs.bascarbone.engine.uncertainty import Z95, monte_carlo
    from communs.bascarbone.engine.units import registry

    rng = np.random.default_rng(SEED)
    started = time.perf_counter()
    factors, tree, activities = build(rng)
    generated = time.perf_counter() - started
    # The pint unit registry is built once per process (a server keeps it): timed apart.
    started = time.perf_counter()
    registry()
    units_ready = time.perf_counter() - started

    started = time.perf_counter()
    result = compute_inventory(activities, factors, organisation=tree)
    computed = time.perf_counter() - started
    nodes = list(result.nodes.values())

    started = time.perf_counter()
    ordered = [result.total, *nodes]
    mc = monte_carlo(
        np.array([node.factor_emissions for node in ordered]),
        np.array([node.activity_variance for node in ordered]) / Z95**2,
        np.array([factors.get(i).uncertainty for i in result.factor_ids]),
        draws=DRAWS,
    )
    simulated = time.perf_counter() - started

    total = result.total
    etat = result.nodes["etat"]
    print(
        f"{ENTITIES} entities × {LINES_PER_ENTITY} lines = {len(activities):,} lines, {len(nodes)} nodes "
        f"(data generated in {generated:.2f} s; pint registry built once in {units_ready:.2f} s)"
    )
    print(f"computation + aggregation with approach-1 uncertainty at every node: {computed:.2f} s (target ≤ 5 s)")
    print(f"Monte Carlo {DRAWS:,} draws at every node: {simulated:.2f} s (target ≤ 30 s)")
    print(
        f"État: {etat.total_kg / 1000:,.1f} tCO2e ± {etat.uncertainty_kg / 1000:,.1f} t (approach 1), "
        f"± {mc[0].uncertainty_kg / 1000:,.1f} t (Monte Carlo); each service once: "
        f"{abs(etat.total_kg - total.total_kg) < 1e-6 * total.total_kg}"
    )


if __name__ == "__main__":
    main()
