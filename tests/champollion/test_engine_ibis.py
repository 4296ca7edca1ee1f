"""The seven rules in Ibis, on DuckDB and on a second Ibis backend (SQLite), agree with the Python
rules (seeded synthetic DSN with a poste merge, and every case of the rule table); the Parquet
tables round-trip through DuckDB."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import ibis
import pytest

from communs.champollion.engine.consolidation import Consolidated, Establishment, _finish, consolidate
from communs.champollion.engine.dsn_reader import DsnReader
from communs.champollion.engine.ibis_rules import (
    RULE_IDS,
    day_of,
    emploi_permanent,
    quiet_ibis,
    register_tables,
    rule_expressions,
    run_ibis_rules,
    tables_for_ibis,
)
from communs.champollion.engine.rules import RuleContext, run_rules
from communs.champollion.engine.storage import TABLES, connect, precarity_by_month, write_parquet
from communs.champollion.engine.synthetic import generate
from tests.champollion.dsn_fixtures import CARENCE_SIRET
from tests.champollion.helpers import SIRET, make_contract
from tests.champollion.test_engine_rules import RULE_CASES

DATA = Path(__file__).parent / "data"


BACKENDS = {"duckdb": ibis.duckdb.connect, "sqlite": ibis.sqlite.connect}


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, establishments=6, months=12, seed=3, cotisations=False)
    paths = [folder, DATA / "carence", DATA / "renouvellements"]
    return consolidate(DsnReader().iter_declarations(paths))


def synthetic_merges(consolidated) -> dict[str, dict[str, str]]:
    """Merge the first two postes of the first establishment that has two (an inspector's edit)."""
    postes: dict[str, set[str]] = {}
    for contract in consolidated.contracts:
        if contract.precarious:
            postes.setdefault(contract.analysis_siret, set()).add(contract.poste)
    siret, names = next((s, sorted(p)) for s, p in sorted(postes.items()) if len(p) >= 2)
    return {siret: {names[0]: names[1]}}


def python_view(findings) -> dict[str, list]:
    """What each rule found, in terms both paths state: contract, poste and the rule's own facts."""
    by_rule = {rule: [f for f in findings if f.rule == rule] for rule in RULE_IDS}
    return {
        "delai_carence": sorted(
            (f.contract_id, f.poste, f.previous_contract_id, f.first_legal_day, f.status)
            for f in by_rule["delai_carence"]
        ),
        "licenciement_economique": sorted(
            (f.contract_id, f.poste, f.previous_contract_id) for f in by_rule["licenciement_economique"]
        ),
        "poursuite_apres_terme": sorted(
            (f.contract_id, f.evidence["month_after_term"], f.evidence["term"])
            for f in by_rule["poursuite_apres_terme"]
        ),
        "emploi_permanent": sorted(
            (f.contract_id, f.poste, f.evidence["covered_days"], f.evidence["threshold_days"])
            for f in by_rule["emploi_permanent"]
        ),
        **{
            rule: sorted({(f.contract_id, f.poste) for f in by_rule[rule]})
            for rule in ("renouvellements", "duree_maximale", "motif_absent")
        },
    }


def ibis_view(tables) -> dict[str, list]:
    rows = {rule: tables[rule].to_pylist() if rule in tables else [] for rule in RULE_IDS}
    return {
        "delai_carence": sorted(
            (r["contract_id"], r["poste"], r["prev_contract_id"], day_of(r["first_legal_d"]), r["status"])
            for r in rows["delai_carence"]
        ),
        "licenciement_economique": sorted(
            (r["contract_id"], r["poste"], r["prev_contract_id"]) for r in rows["licenciement_economique"]
        ),
        "poursuite_apres_terme": sorted(
            (r["contract_id"], day_of(r["continuation_month_d"]), day_of(r["continuation_term_d"]))
            for r in rows["poursuite_apres_terme"]
        ),
        "emploi_permanent": sorted(
            (r["contract_id"], r["poste"], r["covered"], r["threshold_days"]) for r in rows["emploi_permanent"]
        ),
        **{
            rule: sorted({(r["contract_id"], r["poste"]) for r in rows[rule]})
            for rule in ("renouvellements", "duree_maximale", "motif_absent")
        },
    }


@pytest.mark.parametrize("backend", BACKENDS)
def test_ibis_rules_match_python_on_synthetic_dsn_with_a_poste_merge(consolidated, backend):
    merges = synthetic_merges(consolidated)
    ctx = RuleContext(consolidated.establishments, poste_merges=merges, data_month=consolidated.data_month)
    findings = run_rules(consolidated.contracts, ctx)
    expected = python_view(findings)
    # the seeded data does exercise the rules compared (licenciement_economique: see the rule table below)
    for rule in ("delai_carence", "renouvellements", "poursuite_apres_terme", "emploi_permanent"):
        assert expected[rule], rule
    unmerged = run_rules(
        consolidated.contracts, RuleContext(consolidated.establishments, data_month=consolidated.data_month)
    )
    # the merge brings findings (carence between contracts now on one poste), not just a new poste name
    assert {(f.rule, f.contract_id) for f in findings} - {(f.rule, f.contract_id) for f in unmerged}
    got = ibis_view(run_ibis_rules(BACKENDS[backend](), tables_for_ibis(consolidated, poste_merges=merges)))
    assert got == expected


def rule_table_as_one_data_set():
    """Every case of the Python rule table under its own establishment, so one Ibis run covers them."""
    contracts, establishments = [], {}
    for index, (case, case_contracts, _rule, _expected) in enumerate(RULE_CASES):
        siret = f"{index + 1:014d}"
        establishments[siret] = Establishment(siret, departement="35")
        for contract in case_contracts:
            contracts.append(
                replace(
                    contract,
                    siret=siret if contract.siret == SIRET else contract.siret,
                    etu_siret=siret if contract.etu_siret == SIRET else contract.etu_siret,
                    numero=f"{case}:{contract.numero}",
                )
            )
    return Consolidated(establishments, contracts)


@pytest.mark.parametrize("backend", BACKENDS)
def test_ibis_rules_match_python_on_the_rule_table(backend):
    data = rule_table_as_one_data_set()
    expected = python_view(run_rules(data.contracts, RuleContext(data.establishments)))
    assert expected["licenciement_economique"] and expected["emploi_permanent"]
    got = ibis_view(run_ibis_rules(BACKENDS[backend](), tables_for_ibis(data)))
    assert got == expected


def test_emploi_permanent_bridging_that_needs_the_whole_run():
    """A gap bridged only thanks to the run before it: the fixed point takes more than one step.

    P1 01/01–31/05/2024 (152 days), P2 03/06–05/06 (gap: Saturday 01/06 and Sunday 02/06, 1 opening day
    needed ≤ carence of the 152-day run), P3 from 17/06: the opening days after 05/06 up to 16/06 are
    6, 7, 10, 11, 12, 13, 14/06 → rank(16/06) − rank(05/06) = 7, and 16/06 is a Sunday (closed) → 8
    needed. P2 alone (3 days → 1/2 → 2) does not bridge it; the run P1–P2 (01/01–05/06 = 157 days →
    1/3 → 53) does. Data month 12/2024: window 01/01/2023–31/12/2024, threshold 01/01/2023 + 12 months
    = 365 days. P3 to 31/12/2024: one run 01/01–31/12/2024 = 366 days ≥ 365 → finding.
    """
    contracts = [
        make_contract("P1", date(2024, 1, 1), date(2024, 5, 31), individual="p1"),
        make_contract("P2", date(2024, 6, 3), date(2024, 6, 5), individual="p2"),
        make_contract("P3", date(2024, 6, 17), date(2024, 12, 31), individual="p3"),
    ]
    data = Consolidated({SIRET: Establishment(SIRET, departement="35")}, contracts, data_month=date(2024, 12, 1))
    (python,) = run_rules(
        contracts, RuleContext(data.establishments, data_month=data.data_month), ["emploi_permanent"]
    )
    assert (python.contract, python.evidence["covered_days"], python.evidence["threshold_days"]) == ("P3", 366, 365)
    con = ibis.duckdb.connect()
    with quiet_ibis():
        register_tables(con, tables_for_ibis(data))
        found, steps = emploi_permanent(con, rule_expressions(con))
    (row,) = found.to_pylist()
    assert (row["numero"], row["covered"], row["threshold_days"]) == ("P3", 366, 365)
    assert steps == 3  # step 1 bridges 1/06–02/06, step 2 the gap before P3, step 3 changes nothing


def test_duckdb_and_sqlite_agree_on_the_acceptance_carence():
    consolidated = consolidate(DsnReader().iter_declarations([DATA / "carence"]))
    tables = tables_for_ibis(consolidated)
    results = [
        run_ibis_rules(con, tables, only=("delai_carence",))["delai_carence"].to_pylist()
        for con in (ibis.duckdb.connect(), ibis.sqlite.connect())
    ]
    assert results[0] == results[1]
    (row,) = results[0]
    # 25 days → 9 opening days → first legal day 15/05/2024 (see test_engine_rules)
    assert (row["numero"], row["carence"], day_of(row["first_legal_d"])) == ("CDD2024002", 9, date(2024, 5, 15))


def test_parquet_tables_and_duckdb(tmp_path):
    consolidated = consolidate(DsnReader().iter_declarations([DATA / "carence", DATA / "interim"]))
    counts = write_parquet(consolidated, tmp_path)
    assert set(counts) == set(TABLES)
    assert counts["contrats"] == 3
    con = connect(tmp_path)
    assert con.execute("SELECT count(*) FROM contrats WHERE analysis_siret = ?", [CARENCE_SIRET]).fetchone() == (3,)
    columns = {row[0] for row in con.execute("DESCRIBE salaries").fetchall()}
    assert columns == {"individual"}  # pseudonymous key only
    by_month = precarity_by_month(con, CARENCE_SIRET, date(2024, 4, 1), date(2024, 5, 1))
    # 30/04: CDD2024001 ended 26/04 → none; 31/05: CDD2024002 (open, expected end 31/07) → one CDD
    assert by_month == [(date(2024, 5, 31), "02", 1)]


@pytest.mark.parametrize(
    ("start", "months"),
    [
        (date(2023, 1, 31), 1),  # → 28/02/2023 (clamped)
        (date(2024, 1, 31), 1),  # → 29/02/2024 (leap year)
        (date(2024, 2, 29), 12),  # → 28/02/2025
        (date(2023, 1, 2), 18),  # → 02/07/2024 (the acceptance scenario: last allowed end 01/07/2024)
        (date(2023, 8, 31), 18),  # → 28/02/2025 (2025 is not a leap year)
    ],
)
def test_vectorised_month_arithmetic_matches_add_months(start, months):
    import numpy as np

    from communs.champollion.engine.ibis_rules import _plus_months
    from communs.champollion.engine.rules import add_months

    got = _plus_months(np.array([np.datetime64(start.isoformat(), "D")]), months)[0]
    assert got == np.datetime64(add_months(start, months).isoformat(), "D")


def history_contract(numero: str, expected_ends: list[tuple[date, date]], months: list[date], end: date | None):
    contract = make_contract(numero, date(2024, 1, 2), end, individual=numero, expected_ends=expected_ends)
    contract.months, contract.paid_months = months, list(months)
    contract.declared_end = end
    _finish(contract, None)  # consolidation step 4: renewals and continuation, from the history
    return contract


@pytest.mark.parametrize("backend", BACKENDS)
def test_ibis_continuation_after_the_term_from_the_declared_history(backend):
    """Term 29/02/2024 in every case; months declared and paid: January to April.

    LATE: the end moves to 30/06 in the April DSN, after the term, while March and April are paid
    → continuation seen in 04/2024 (the increase), not 03/2024. RENEWED: the end moves to 30/04 in
    the February DSN, before the term → a renewal, no continuation. STILL: no new end, paid in March
    and April, declared end 30/04 → the first paid month after the term, 03/2024.
    """
    jan, feb, mar, apr = (date(2024, m, 1) for m in (1, 2, 3, 4))
    term = date(2024, 2, 29)
    contracts = [
        history_contract("LATE", [(jan, term), (apr, date(2024, 6, 30))], [jan, feb, mar, apr], None),
        history_contract("RENEWED", [(jan, term), (feb, date(2024, 4, 30))], [jan, feb, mar, apr], None),
        history_contract("STILL", [(jan, term)], [jan, feb, mar, apr], date(2024, 4, 30)),
    ]
    data = Consolidated({SIRET: Establishment(SIRET, departement="35")}, contracts, data_month=apr)
    expected = python_view(run_rules(contracts, RuleContext(data.establishments), ["poursuite_apres_terme"]))
    assert [(cid.split(":")[2], month, t) for cid, month, t in expected["poursuite_apres_terme"]] == [
        ("LATE", apr, term),
        ("STILL", mar, term),
    ]
    got = run_ibis_rules(BACKENDS[backend](), tables_for_ibis(data), only=("poursuite_apres_terme",))
    assert ibis_view(got)["poursuite_apres_terme"] == expected["poursuite_apres_terme"]


def test_ibis_rules_on_no_contracts_return_empty_tables():
    # typed columns even when empty: an untyped (null) column would not compare with the legislation's
    results = run_ibis_rules(ibis.duckdb.connect(), tables_for_ibis(Consolidated({}, [])))
    assert {rule: table.num_rows for rule, table in results.items()} == dict.fromkeys(RULE_IDS, 0)
