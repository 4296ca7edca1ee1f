"""Normalised Parquet tables for analysis, queried with DuckDB (and Ibis, see `ibis_rules`).

Tables: etablissements, salaries (pseudonymous key only: no name, no NIR), contrats, postes,
arrets (arrêts and suspensions), fins (declared ends). One folder per analysis; writing is
atomic per table (written to a temporary name, then renamed).
"""

from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from communs.champollion.engine.consolidation import Consolidated

TABLES = ("etablissements", "salaries", "contrats", "postes", "arrets", "fins")

CONTRATS_SCHEMA = pa.schema(
    [
        ("contract_id", pa.string()),
        ("siret", pa.string()),
        ("analysis_siret", pa.string()),
        ("individual", pa.string()),
        ("numero", pa.string()),
        ("nature", pa.string()),
        ("motif", pa.string()),
        ("dispositif", pa.string()),
        ("poste", pa.string()),
        ("idcc", pa.string()),
        ("start", pa.date32()),
        ("end", pa.date32()),
        ("last_day", pa.date32()),
        ("expected_end", pa.date32()),
        ("initial_expected_end", pa.date32()),
        ("end_status", pa.string()),
        ("end_motif", pa.string()),
        ("renewals", pa.int32()),
        ("first_month", pa.date32()),
        ("last_month", pa.date32()),
    ]
)


def contracts_table(consolidated: Consolidated) -> pa.Table:
    contracts = consolidated.contracts
    columns = {
        "contract_id": [c.contract_id for c in contracts],
        "siret": [c.siret for c in contracts],
        "analysis_siret": [c.analysis_siret for c in contracts],
        "individual": [c.individual for c in contracts],
        "numero": [c.numero for c in contracts],
        "nature": [c.nature for c in contracts],
        "motif": [c.motif for c in contracts],
        "dispositif": [c.dispositif for c in contracts],
        "poste": [c.poste for c in contracts],
        "idcc": [c.idcc for c in contracts],
        "start": [c.start for c in contracts],
        "end": [c.end for c in contracts],
        "last_day": [c.last_day for c in contracts],
        "expected_end": [c.expected_end for c in contracts],
        "initial_expected_end": [c.initial_expected_end for c in contracts],
        "end_status": [c.end_status for c in contracts],
        "end_motif": [c.end_motif for c in contracts],
        "renewals": [len(c.renewals) for c in contracts],
        "first_month": [c.months[0] for c in contracts],
        "last_month": [c.months[-1] for c in contracts],
    }
    return pa.table(columns, schema=CONTRATS_SCHEMA)


def build_tables(consolidated: Consolidated) -> dict[str, pa.Table]:
    ests = list(consolidated.establishments.values())
    contracts = consolidated.contracts
    postes: dict[tuple[str, str], int] = {}
    for c in contracts:
        postes[(c.analysis_siret, c.poste)] = postes.get((c.analysis_siret, c.poste), 0) + 1
    absences = [(c.contract_id, a.kind, a.motif, a.start, a.end) for c in contracts for a in c.absences]
    fins = [(c.contract_id, c.end, c.end_motif) for c in contracts if c.end_status == "declared"]
    individuals = sorted({c.individual for c in contracts})
    return {
        "etablissements": pa.table(
            {
                "siret": [e.siret for e in ests],
                "naf": [e.naf for e in ests],
                "postal_code": [e.postal_code for e in ests],
                "departement": [e.departement for e in ests],
                "idcc": [e.idcc for e in ests],
                "headcount": pa.array([e.headcount for e in ests], pa.int32()),
                "declares": [e.declares for e in ests],
                "first_month": pa.array([e.months[0] if e.months else None for e in ests], pa.date32()),
                "last_month": pa.array([e.months[-1] if e.months else None for e in ests], pa.date32()),
            }
        ),
        "salaries": pa.table({"individual": individuals}),
        "contrats": contracts_table(consolidated),
        "postes": pa.table(
            {
                "siret": [k[0] for k in postes],
                "poste": [k[1] for k in postes],
                "contracts": pa.array(list(postes.values()), pa.int32()),
            }
        ),
        "arrets": pa.table(
            {
                "contract_id": [a[0] for a in absences],
                "kind": [a[1] for a in absences],
                "motif": [a[2] for a in absences],
                "start": pa.array([a[3] for a in absences], pa.date32()),
                "end": pa.array([a[4] for a in absences], pa.date32()),
            }
        ),
        "fins": pa.table(
            {
                "contract_id": [f[0] for f in fins],
                "end": pa.array([f[1] for f in fins], pa.date32()),
                "motif": [f[2] for f in fins],
            }
        ),
    }


def write_parquet(consolidated: Consolidated, folder: Path) -> dict[str, int]:
    """Write the six tables under `folder`; returns row counts."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, table in build_tables(consolidated).items():
        tmp = folder / f".{name}.parquet.tmp"
        pq.write_table(table, tmp, compression="zstd")
        tmp.replace(folder / f"{name}.parquet")
        counts[name] = table.num_rows
    return counts


def connect(folder: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per Parquet table of `folder`."""
    con = duckdb.connect()
    for name in TABLES:
        path = Path(folder) / f"{name}.parquet"
        if path.exists():
            quoted = str(path).replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")  # noqa: S608
    return con


def precarity_by_month(con: duckdb.DuckDBPyConnection, siret: str, first: date, last: date) -> list[tuple]:
    """Headcount by contract nature at the end of each month (for the establishment chart)."""
    return con.execute(
        """
        WITH months AS (
            SELECT last_day(CAST(m AS DATE)) AS month_end
            FROM generate_series(CAST(? AS DATE), CAST(? AS DATE), INTERVAL 1 MONTH) t(m)
        )
        SELECT month_end, nature, count(*) FROM months JOIN contrats
          ON analysis_siret = ? AND start <= month_end AND last_day >= month_end
        GROUP BY ALL ORDER BY ALL
        """,
        [first, last, siret],
    ).fetchall()
