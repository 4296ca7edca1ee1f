"""Champollion: DSN lines parsed and consolidated per second, peak memory, seconds to run all rules.

Prints figures; asserts nothing. Engine only (no database). Sizes from the environment:
  BENCH_CHAMPOLLION_ESTABLISHMENTS (default 400 → ≈ 6.7 M lines over 24 months),
  BENCH_CHAMPOLLION_CONTRACTS (default 1 000 000 contracts for the rules).
Each measure runs in its own process so that its peak memory (ru_maxrss) is its own.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_parse(folder: str) -> dict:
    from communs.champollion.engine.consolidation import consolidate
    from communs.champollion.engine.dsn_reader import DsnReader, pseudonymiser

    reader = DsnReader(pseudonymise=pseudonymiser(b"bench"))
    start = time.perf_counter()
    consolidated = consolidate(reader.iter_declarations([folder]))
    seconds = time.perf_counter() - start
    return {
        "lines": reader.lines,
        "files": reader.files,
        "contracts": len(consolidated.contracts),
        "seconds": seconds,
        "lines_per_second": reader.lines / seconds,
        "peak_mb": _peak_mb(),
        "issues": len(reader.issues),
    }


def synthetic_contracts(n: int):
    """n consolidated contracts: 20 % CDI, CDD and missions in sequence on 3 postes per establishment;
    5 % of CDI end by economic dismissal, 3 % of CDD/CTT are still declared and paid after their term."""
    import random
    from datetime import date, timedelta

    from communs.champollion.engine.consolidation import Contract, Establishment, Renewal, _finish

    rng = random.Random(7)  # noqa: S311
    rng_more = random.Random(11)  # noqa: S311  (a second stream: the draws above keep their values)
    contracts, establishments = [], {}
    per_establishment = 400
    postes = ("PREPARATEUR DE COMMANDES", "CARISTE", "AGENT DE QUAI")
    for index in range(n):
        est_index = index // per_establishment
        siret = f"{10000000000000 + est_index:014d}"
        if siret not in establishments:
            establishments[siret] = Establishment(
                siret,
                naf=rng.choice(["5210B", "4711D", "5610A"]),
                departement=rng.choice(["35", "44", "57", "75"]),
                headcount=rng.randint(5, 300),
            )
        poste = postes[index % 3]
        start = date(2023, 1, 1) + timedelta(days=(index % per_establishment) // 3 * 5 + rng.randint(0, 3))
        duration = rng.choice([3, 5, 12, 25, 40, 90, 200, 600])
        end = start + timedelta(days=duration - 1)
        nature = "01" if rng.random() < 0.2 else rng.choice(["02", "02", "03"])
        month = start.replace(day=1)
        contract = Contract(
            key=(siret, f"p{index}", f"C{index}", start),
            siret=siret,
            individual=f"p{index}",
            nom="",
            prenoms="",
            numero=f"C{index}",
            start=start,
            nature=nature,
            motif=rng.choice(["01", "02", "02", "03", ""]),
            dispositif="99",
            libelle=poste,
            pcs="",
            poste=poste,
            idcc=rng.choice(["2216", "3248", "0016"]),
            etu_siret="",
            expected_ends=[(month, end)],
            months=[month],
            end=end,
            end_status="declared",
            end_motif="031",
        )
        if nature == "01" and rng_more.random() < 0.05:
            contract.end_motif = "014"  # licenciement économique
        elif nature != "01" and rng_more.random() < 0.03:
            # declared and paid 45 days past the term: consolidation finds the continuation
            contract.declared_end = contract.end = end + timedelta(days=45)
            contract.months = _months(month, contract.end)
            contract.paid_months = list(contract.months)
            _finish(contract, None)
        if rng.random() < 0.05:
            contract.renewals = [Renewal(i + 1, month, end, end) for i in range(3)]
        contracts.append(contract)
    return contracts, establishments


def _months(first, last) -> list:
    months = [first]
    while months[-1] < last.replace(day=1):
        months.append((months[-1] + timedelta(days=31)).replace(day=1))
    return months


def measure_rules(n: int) -> dict:
    from datetime import date

    import ibis

    from communs.champollion.engine.consolidation import Consolidated
    from communs.champollion.engine.ibis_rules import run_ibis_rules, tables_for_ibis
    from communs.champollion.engine.rules import RuleContext, run_rules

    # warm-up on a few contracts: imports (holidays, pyarrow, ibis) and opening-day tables are not the rules
    small, small_est = synthetic_contracts(500)
    run_rules(small, RuleContext(small_est, data_month=date(2024, 12, 1)))
    run_ibis_rules(
        ibis.duckdb.connect(), tables_for_ibis(Consolidated(small_est, small, data_month=date(2024, 12, 1)))
    )
    contracts, establishments = synthetic_contracts(n)
    ctx = RuleContext(establishments, data_month=date(2024, 12, 1))
    start = time.perf_counter()
    findings = run_rules(contracts, ctx)
    python_seconds = time.perf_counter() - start
    consolidated = Consolidated(establishments, contracts, data_month=date(2024, 12, 1))
    start = time.perf_counter()
    tables = tables_for_ibis(consolidated)
    arrow_seconds = time.perf_counter() - start
    start = time.perf_counter()
    rows = run_ibis_rules(ibis.duckdb.connect(), tables)
    ibis_seconds = time.perf_counter() - start
    return {
        "contracts": n,
        "findings": len(findings),
        # contracts (postes for emploi_permanent) per rule, to set against the Ibis rows
        "python_contracts_per_rule": {
            rule: len({f.contract_id for f in findings if f.rule == rule}) for rule in sorted(rows)
        },
        "python_rules_seconds": python_seconds,
        "ibis_duckdb_seven_rules_seconds": ibis_seconds,
        "arrow_tables_seconds": arrow_seconds,
        "ibis_rows": {k: len(v) for k, v in rows.items()},
        "peak_mb": _peak_mb(),
    }


def _child(kind: str, arg: str) -> dict:
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, kind, arg], check=True, capture_output=True, text=True, cwd=ROOT
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    establishments = int(os.environ.get("BENCH_CHAMPOLLION_ESTABLISHMENTS", "400"))
    n_contracts = int(os.environ.get("BENCH_CHAMPOLLION_CONTRACTS", "1000000"))
    from communs.champollion.engine.synthetic import generate

    with tempfile.TemporaryDirectory(prefix="champollion-bench-") as folder:
        start = time.perf_counter()
        stats = generate(Path(folder), establishments=establishments, months=24, seed=1)
        print(
            f"synthetic DSN: {stats['lines']:,} lines in {stats['files']:,} files "
            f"({establishments} establishments × 24 months) written in {time.perf_counter() - start:.1f} s"
        )
        parse = _child("parse", folder)
    print(
        f"parse + consolidate: {parse['lines']:,} lines in {parse['seconds']:.2f} s = "
        f"{parse['lines_per_second']:,.0f} lines/s ({parse['contracts']:,} contracts, {parse['issues']} issues); "
        f"peak memory {parse['peak_mb']:,.0f} MB"
    )
    rules = _child("rules", str(n_contracts))
    print(
        f"all 7 rules (Python) on {rules['contracts']:,} contracts: {rules['python_rules_seconds']:.2f} s "
        f"({rules['findings']:,} findings)"
    )
    print(f"contracts found per rule, Python: {rules['python_contracts_per_rule']}")
    print(f"rows per rule, Ibis:              {rules['ibis_rows']}")
    print(
        f"all 7 rules in Ibis on DuckDB on the same contracts: {rules['ibis_duckdb_seven_rules_seconds']:.2f} s "
        f"(+ {rules['arrow_tables_seconds']:.2f} s to build the Arrow tables); peak memory {rules['peak_mb']:,.0f} MB"
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("parse", "rules"):
        result = measure_parse(sys.argv[2]) if sys.argv[1] == "parse" else measure_rules(int(sys.argv[2]))
        print(json.dumps(result))
    else:
        main()
