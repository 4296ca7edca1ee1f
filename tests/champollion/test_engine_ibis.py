"""The Ibis rules on DuckDB and on a second Ibis backend (SQLite) agree with the Python rules;
the Parquet tables round-trip through DuckDB."""

from datetime import date
from pathlib import Path

import ibis
import pytest

from communs.champollion.engine.consolidation import consolidate
from communs.champollion.engine.dsn_reader import DsnReader
from communs.champollion.engine.ibis_rules import day_of, run_ibis_rules, tables_for_ibis
from communs.champollion.engine.rules import RuleContext, run_rules
from communs.champollion.engine.storage import TABLES, connect, precarity_by_month, write_parquet
from communs.champollion.engine.synthetic import generate
from tests.champollion.dsn_fixtures import CARENCE_SIRET

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def consolidated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder, establishments=6, months=12, seed=3, cotisations=False)
    paths = [folder, DATA / "carence", DATA / "renouvellements"]
    return consolidate(DsnReader().iter_declarations(paths))


def python_view(consolidated):
    findings = run_rules(
        consolidated.contracts, RuleContext(consolidated.establishments, data_month=consolidated.data_month)
    )
    return {
        "delai_carence": sorted(
            (f.contract_id, f.previous_contract_id, f.first_legal_day, f.status)
            for f in findings
            if f.rule == "delai_carence"
        ),
        **{
            rule: sorted({f.contract_id for f in findings if f.rule == rule})
            for rule in ("renouvellements", "duree_maximale", "motif_absent")
        },
    }


def ibis_view(rows):
    return {
        "delai_carence": sorted(
            (r["contract_id"], r["prev_contract_id"], day_of(r["first_legal_d"]), r["status"])
            for r in rows["delai_carence"]
        ),
        **{
            rule: sorted({r["contract_id"] for r in rows[rule]})
            for rule in ("renouvellements", "duree_maximale", "motif_absent")
        },
    }


@pytest.mark.parametrize("backend", ["duckdb", "sqlite"])
def test_ibis_rules_match_python(consolidated, backend):
    expected = python_view(consolidated)
    assert expected["delai_carence"]  # the synthetic data does inject carence infringements
    con = ibis.duckdb.connect() if backend == "duckdb" else ibis.sqlite.connect()
    got = ibis_view(run_ibis_rules(con, tables_for_ibis(consolidated)))
    assert got == expected


def test_duckdb_and_sqlite_agree_on_the_acceptance_carence():
    consolidated = consolidate(DsnReader().iter_declarations([DATA / "carence"]))
    tables = tables_for_ibis(consolidated)
    results = [run_ibis_rules(con, tables)["delai_carence"] for con in (ibis.duckdb.connect(), ibis.sqlite.connect())]
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
