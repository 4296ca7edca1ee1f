"""The contract rules written once in Ibis, so they run on DuckDB here and on PySpark at national scale.

Input: the `contrats` table of `storage` (one row per consolidated contract), a `legislation`
table (parameters per IDCC, row "" = Code du travail) and a `calendar_days` table (per calendar:
every day with the running count of opening days), all built by `tables_for_ibis`.
The Python rules (`rules.py`) remain the reference; `tests/champollion/test_engine_ibis.py` runs
both, and these on a second Ibis backend (SQLite), and compares.

Implemented here: delai_carence, renouvellements, duree_maximale, motif_absent. The other rules
need per-month histories (poursuite_apres_terme) or interval unions (emploi_permanent) and stay
in Python for now.
"""

import warnings
from datetime import date, timedelta

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from communs.champollion.engine.calendars import OpeningCalendar, default_calendar
from communs.champollion.engine.consolidation import Consolidated
from communs.champollion.engine.gcpause import paused_gc
from communs.champollion.engine.legislation import BRANCHES, CODE_DU_TRAVAIL, Legislation
from communs.champollion.engine.rules import (
    CARENCE_EXEMPT_MOTIFS,
    EMPLOYEE_EARLY_END,
    REPLACEMENT_MOTIFS,
)
from communs.champollion.engine.storage import contracts_table

EPOCH = date(1970, 1, 1)
PRECARIOUS = ("02", "03")


def _days(day: date | None) -> int | None:
    return (day - EPOCH).days if day else None


def tables_for_ibis(
    consolidated: Consolidated, calendars: dict[str, OpeningCalendar] | None = None, first_year: int | None = None
) -> dict[str, pa.Table]:
    """Arrow tables for the Ibis rules; dates as day numbers (portable across backends)."""
    with paused_gc():
        return _tables_for_ibis(consolidated, calendars, first_year)


def _tables_for_ibis(
    consolidated: Consolidated, calendars: dict[str, OpeningCalendar] | None = None, first_year: int | None = None
) -> dict[str, pa.Table]:
    # row ids follow (establishment, poste, start, last day, numéro): the carence rule packs them
    # with the last day into one integer below 2^53 (exact in every engine)
    contracts = sorted(
        consolidated.contracts, key=lambda c: (c.analysis_siret, c.poste, c.start, c.last_day, c.numero)
    )
    base = contracts_table(Consolidated(consolidated.establishments, contracts))
    calendar_of: dict[str, str] = {}
    by_name: dict[str, OpeningCalendar] = {}
    calendars = calendars or {}
    for siret in {c.analysis_siret for c in contracts}:
        est = consolidated.establishments.get(siret)
        cal = calendars.get(siret) or default_calendar(est.departement if est else "")
        if not cal.departement and est:
            cal = OpeningCalendar(cal.weekdays, cal.closed_dates, cal.holidays_closed, est.departement)
        name = repr(cal)
        by_name[name] = cal
        calendar_of[siret] = name
    names = sorted(by_name)
    index = {name: i for i, name in enumerate(names)}
    years = [c.start.year for c in contracts] + [c.last_day.year for c in contracts]
    start = date(first_year or (min(years) if years else 2020), 1, 1)
    stop = date((max(years) if years else 2020) + 2, 12, 31)
    cal_ids, day_numbers, ranks = [], [], []
    for name in names:
        cal = by_name[name]
        rank = 0
        day = start
        while day <= stop:
            if cal.is_open(day):
                rank += 1
            cal_ids.append(index[name])
            day_numbers.append(_days(day))
            ranks.append(rank)
            day += timedelta(days=1)
    starts = base["start"].to_numpy(zero_copy_only=False).astype("datetime64[D]")
    epoch = np.datetime64(EPOCH.isoformat(), "D")
    calendar_ids = np.array([index[calendar_of[s]] for s in base["analysis_siret"].to_pylist()], dtype=np.int64)
    contrats = pa.table(
        {
            "row_id": pa.array(np.arange(len(contracts), dtype=np.int64)),
            "contract_id": base["contract_id"],
            "numero": base["numero"],
            "siret": base["analysis_siret"],
            "poste": base["poste"],
            "nature": base["nature"],
            "motif": base["motif"],
            "dispositif": base["dispositif"],
            "idcc": pa.array([_idcc_key(v) for v in base["idcc"].to_pylist()]),
            "start_d": pa.array((starts - epoch).astype(np.int64)),
            "last_d": pa.array(
                (base["last_day"].to_numpy(zero_copy_only=False).astype("datetime64[D]") - epoch).astype(np.int64)
            ),
            "has_end": pc.or_(pc.is_valid(base["end"]), pc.is_valid(base["expected_end"])).cast(pa.int64()),
            "end_status": base["end_status"],
            "end_motif": base["end_motif"],
            "renewals": base["renewals"],
            "calendar": pa.array(calendar_ids),
            # start + N months − 1 day (month arithmetic is not portable across SQL engines; it is a
            # property of the contract, computed once, vectorised)
            **{f"limit_{n}m": pa.array((_plus_months(starts, n) - epoch).astype(np.int64) - 1) for n in (18, 24, 36)},
        }
    )
    return {
        "contrats": contrats,
        "legislation": legislation_table(),
        "calendar_days": pa.table(
            {
                "calendar": pa.array(cal_ids, pa.int64()),
                "day": pa.array(day_numbers, pa.int64()),
                "rank": pa.array(ranks, pa.int64()),
            }
        ),
    }


def _plus_months(days: "np.ndarray", months: int) -> "np.ndarray":
    """`add_months` on a datetime64[D] array: same day of month, clamped to the month's length."""
    month = days.astype("datetime64[M]")
    day_index = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + months
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    return target.astype("datetime64[D]") + np.minimum(day_index, length - 1)


def _idcc_key(idcc: str) -> str:
    key = (idcc or "").lstrip("0").zfill(4)
    return key if key in BRANCHES else ""


def legislation_table() -> pa.Table:
    records: list[tuple[str, Legislation]] = [("", CODE_DU_TRAVAIL), *BRANCHES.items()]
    return pa.table(
        {
            "idcc": [k for k, _ in records],
            "version": [p.version for _, p in records],
            "ratio_long_num": [p.carence_ratio_long.numerator for _, p in records],
            "ratio_long_den": [p.carence_ratio_long.denominator for _, p in records],
            "ratio_short_num": [p.carence_ratio_short.numerator for _, p in records],
            "ratio_short_den": [p.carence_ratio_short.denominator for _, p in records],
            "threshold": [p.carence_threshold_days for _, p in records],
            "cap": [p.carence_cap_days if p.carence_cap_days is not None else 10**6 for _, p in records],
            "max_renewals": [p.max_renewals for _, p in records],
            "max_months_default": [p.max_months_default for _, p in records],
        }
    )


def _with_params(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    return contrats.join(legislation, contrats.idcc == legislation.idcc, how="left").select(
        contrats,
        legislation.version,
        legislation.ratio_long_num,
        legislation.ratio_long_den,
        legislation.ratio_short_num,
        legislation.ratio_short_den,
        legislation.threshold,
        legislation.cap,
        legislation.max_renewals,
        legislation.max_months_default,
    )


def renouvellements(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    t = _with_params(contrats, legislation)
    return t.filter(t.nature.isin(PRECARIOUS), t.renewals > t.max_renewals).select(
        "numero", "contract_id", "siret", excess=t.renewals - t.max_renewals
    )


def motif_absent(contrats: ibis.Table) -> ibis.Table:
    t = contrats
    return t.filter(t.nature.isin(PRECARIOUS), (t.motif == "") | t.motif.isnull()).select(
        "numero", "contract_id", "siret"
    )


def duree_maximale(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    t = _with_params(contrats, legislation)
    limit = ibis.cases((t.motif == "13", t.limit_24m), (t.motif == "06", t.limit_36m), else_=t.limit_18m)
    t = t.mutate(last_allowed_d=limit)
    return t.filter(
        t.nature.isin(PRECARIOUS), t.has_end == 1, ~t.motif.isin(("03", "04", "05")), t.last_d > t.last_allowed_d
    ).select("numero", "contract_id", "siret", "last_allowed_d")


def delai_carence(contrats: ibis.Table, legislation: ibis.Table, calendar_days: ibis.Table) -> ibis.Table:
    """Next precarious contract on the same poste before the end of the carence.

    The previous contract is the one with the latest last day among those that started before
    (ties: the later one), as in the Python rule; it is found with a running max of a packed
    (last day, row) key, then joined back. Poste merges are not applied here (Python only).
    """
    t = contrats.filter(contrats.nature.isin(PRECARIOUS))
    packed = t.last_d * 10**8 + t.row_id
    window = ibis.window(group_by=[t.siret, t.poste], order_by=[t.start_d, t.last_d, t.row_id], rows=(None, -1))
    t = t.mutate(prev_key=packed.max().over(window))
    t = t.filter(t.prev_key.notnull()).mutate(prev_row=t.prev_key % 10**8)
    prev = _with_params(contrats, legislation).select(
        prev_row=_.row_id,
        prev_numero=_.numero,
        prev_contract_id=_.contract_id,
        prev_start_d=_.start_d,
        prev_last_d=_.last_d,
        prev_motif=_.motif,
        prev_end_status=_.end_status,
        prev_end_motif=_.end_motif,
        ratio_long_num=_.ratio_long_num,
        ratio_long_den=_.ratio_long_den,
        ratio_short_num=_.ratio_short_num,
        ratio_short_den=_.ratio_short_den,
        threshold=_.threshold,
        cap=_.cap,
    )
    j = t.join(prev, "prev_row")
    duration = j.prev_last_d - j.prev_start_d + 1
    long = duration >= j.threshold
    num = ibis.ifelse(long, j.ratio_long_num, j.ratio_short_num)
    den = ibis.ifelse(long, j.ratio_long_den, j.ratio_short_den)
    carence = (duration * num + den - 1) // den  # integer ceiling
    carence = ibis.ifelse(carence > j.cap, j.cap, carence)
    j = j.mutate(duration=duration, carence=carence)
    j = j.filter(
        j.prev_end_status != "open",
        j.start_d > j.prev_last_d,
        ~j.prev_motif.isin(tuple(CARENCE_EXEMPT_MOTIFS)),
        ~j.motif.isin(tuple(CARENCE_EXEMPT_MOTIFS)),
        j.prev_end_motif != EMPLOYEE_EARLY_END,
        j.dispositif.isin(("", "99")) | j.dispositif.isnull(),
    )
    cal_prev = calendar_days.select(calendar=_.calendar, prev_last_d=_.day, prev_rank=_.rank)
    j = j.join(cal_prev, ["calendar", "prev_last_d"])
    target = calendar_days.group_by(["calendar", "rank"]).aggregate(last_carence_d=_.day.min())
    j = j.mutate(target_rank=j.prev_rank + j.carence)
    j = j.join(target, [j.calendar == target.calendar, j.target_rank == target.rank])
    j = j.mutate(first_legal_d=j.last_carence_d + 1)
    j = j.filter(j.start_d < j.first_legal_d)
    status = ibis.ifelse(
        j.motif.isin(tuple(REPLACEMENT_MOTIFS)) | (j.prev_end_status != "declared"), "a_verifier", "infraction"
    )
    return j.select(
        "numero",
        "contract_id",
        "siret",
        "prev_numero",
        "prev_contract_id",
        "duration",
        "carence",
        "first_legal_d",
        status=status,
    )


def run_ibis_rules(con, tables: dict[str, pa.Table]) -> dict[str, list[dict]]:
    """Register the tables on an Ibis backend connection, run the rules, return rows as dicts."""
    with warnings.catch_warnings():
        # ibis 12 calls DuckDB's deprecated fetch_arrow_table() and a deprecated pandas option;
        # harmless, and not ours to fix
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        for name, table in tables.items():
            if con.name == "duckdb":
                # ibis 12's DuckDB create_table from Arrow emits a DROP VIEW that sqlglot 30 renders
                # invalid; registering the Arrow table on the raw connection is equivalent (zero copy).
                con.con.register(name, table)
            elif con.name == "sqlite":
                _load_sqlite(con.con, name, table)
            else:
                con.create_table(name, table, overwrite=True)
        contrats, legislation, calendar_days = (con.table(n) for n in ("contrats", "legislation", "calendar_days"))
        expressions = {
            "delai_carence": delai_carence(contrats, legislation, calendar_days),
            "renouvellements": renouvellements(contrats, legislation),
            "duree_maximale": duree_maximale(contrats, legislation),
            "motif_absent": motif_absent(contrats),
        }
        return {rule: con.to_pyarrow(expr).to_pylist() for rule, expr in expressions.items()}


def _load_sqlite(raw, name: str, table: pa.Table) -> None:
    """Plain CREATE + INSERT on the raw sqlite3 connection (ibis 12's create_table trips on sqlglot 30)."""
    types = {
        col.name: "INTEGER" if pa.types.is_integer(col.type) or pa.types.is_boolean(col.type) else "TEXT"
        for col in table.schema
    }
    raw.execute(f'DROP TABLE IF EXISTS "{name}"')
    raw.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c} {t}" for c, t in types.items())})')
    placeholders = ", ".join("?" for _ in types)
    raw.executemany(f'INSERT INTO "{name}" VALUES ({placeholders})', zip(*table.to_pydict().values(), strict=True))  # noqa: S608
    raw.commit()


def day_of(number: int) -> date:
    return EPOCH + timedelta(days=number)
