"""The contract rules written once in Ibis, so they run on DuckDB here and on PySpark at national scale.

All seven rules of `rules.py` are here, over tables built by `tables_for_ibis` (dates as day
numbers, portable across backends):

- `contrats`: one row per consolidated contract; `row_id` is its rank in (start, last day, input
  order), the order the Python rules walk a poste in, so "earlier on the poste" is `row_id <`;
  `poste_id` an integer per (establishment, poste), what the rules partition by;
- `fins_prevues` (each change of the expected end S21.G00.40.010, in declaration order) and `mois`
  (each declared month, paid or not): the histories `poursuite_apres_terme` needs;
- `postes_fusionnes`: the inspectors' poste merges (chains resolved), applied before every rule;
- `legislation` (parameters per IDCC, row "" = Code du travail), `calendar_days` (per calendar,
  every day with the running count of opening days), `permanent_windows` (emploi_permanent's
  window per data month) and `analyse` (the data month).

Month arithmetic (start + N months, clamped to the month's length) is not portable across SQL
engines: it is a property of the contract, computed once, vectorised, for every month count the
legislation table uses (`limit_{n}m` = start + n months − 1 day, `back_{n}m` = start − n months).

Six rules are one query each; emploi_permanent is a fold, not expressible as one query, and runs
as a short loop of queries to an exact fixed point (`permanent_bridge_step` says why). The Python
rules (`rules.py`) remain the reference; `tests/champollion/test_engine_ibis.py` runs both, these
on DuckDB and on a second Ibis backend (SQLite), and compares every finding.
"""

import warnings
from contextlib import contextmanager
from datetime import date, timedelta

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _

from communs.champollion.engine.calendars import OpeningCalendar, default_calendar
from communs.champollion.engine.consolidation import Consolidated, month_end
from communs.champollion.engine.gcpause import paused_gc
from communs.champollion.engine.legislation import BRANCHES, CODE_DU_TRAVAIL, Legislation
from communs.champollion.engine.postes import resolve_merges
from communs.champollion.engine.rules import (
    CARENCE_EXEMPT_MOTIFS,
    ECONOMIC_DISMISSAL_MOTIFS,
    EMPLOYEE_EARLY_END,
    REPLACEMENT_MOTIFS,
    add_months,
)

EPOCH = date(1970, 1, 1)
_EPOCH_ORDINAL = EPOCH.toordinal()
_DAYS = 10**5  # day numbers (since 1970) stay below 10^5 until 2243: the radix of packed keys
PRECARIOUS = ("02", "03")
RULE_IDS = (
    "delai_carence",
    "renouvellements",
    "duree_maximale",
    "licenciement_economique",
    "poursuite_apres_terme",
    "motif_absent",
    "emploi_permanent",
)


def _days(day: date | None) -> int | None:
    return (day - EPOCH).days if day else None


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _legislation_records() -> list[tuple[str, Legislation]]:
    return [("", CODE_DU_TRAVAIL), *BRANCHES.items()]


def _month_counts() -> tuple[set[int], set[int]]:
    """Month counts the rules add to a start (limits) and subtract from it (look-back windows)."""
    forward, backward = set(), set()
    for _key, p in _legislation_records():
        forward |= {p.max_months_default, p.economic_exception_months, *dict(p.max_months_by_motif).values()}
        backward.add(p.economic_dismissal_months)
    return forward, backward


def tables_for_ibis(
    consolidated: Consolidated,
    calendars: dict[str, OpeningCalendar] | None = None,
    first_year: int | None = None,
    poste_merges: dict[str, dict[str, str]] | None = None,
) -> dict[str, pa.Table]:
    """Arrow tables for the Ibis rules, from consolidated contracts (same inputs as `RuleContext`)."""
    with paused_gc():
        return _tables_for_ibis(consolidated, calendars or {}, first_year, poste_merges or {})


def _tables_for_ibis(consolidated, calendars, first_year, poste_merges) -> dict[str, pa.Table]:
    contracts = consolidated.contracts
    n = len(contracts)
    # day numbers through `toordinal()`: numpy converts a list of `date` objects ten times slower
    epoch = np.datetime64(EPOCH.isoformat(), "D")
    start_d = np.fromiter((c.start.toordinal() for c in contracts), np.int64, n) - _EPOCH_ORDINAL
    last_d = np.fromiter((c.last_day.toordinal() for c in contracts), np.int64, n) - _EPOCH_ORDINAL
    starts = epoch + start_d.astype("timedelta64[D]")
    # rank in (start, last day, input order): the Python rules' stable sort of a poste
    order = np.lexsort((np.arange(n), last_d, start_d))
    row_id = np.empty(n, dtype=np.int64)
    row_id[order] = np.arange(n, dtype=np.int64)
    calendar_of, cal_table = _calendars(consolidated, calendars, contracts, first_year)
    # an integer per (establishment, poste), merge targets included: rules partition by it (cheaper
    # than two strings); the names travel alongside for the findings
    merges = {siret: resolve_merges(m) for siret, m in poste_merges.items()}
    keys = [(c.analysis_siret, c.poste) for c in contracts]  # (establishment, poste) of each contract
    sirets = [siret for siret, _ in keys]
    named = set(keys)
    named |= {(siret, x) for siret, m in merges.items() for pair in m.items() for x in pair}
    poste_ids = {key: i for i, key in enumerate(sorted(named))}
    forward, backward = _month_counts()
    ends = [c.end for c in contracts]
    initial_ends = [c.initial_expected_end or c.last_day for c in contracts]
    contrats = pa.table(
        {
            "row_id": pa.array(row_id),
            "input_order": pa.array(np.arange(n, dtype=np.int64)),
            "contract_id": pa.array([c.contract_id for c in contracts], pa.string()),
            "numero": pa.array([c.numero for c in contracts], pa.string()),
            "siret": pa.array(sirets, pa.string()),
            "poste": pa.array([c.poste for c in contracts], pa.string()),
            "poste_id": pa.array([poste_ids[key] for key in keys], pa.int64()),
            "nature": pa.array([c.nature for c in contracts], pa.string()),
            "motif": pa.array([c.motif for c in contracts], pa.string()),
            "dispositif": pa.array([c.dispositif for c in contracts], pa.string()),
            "idcc": pa.array([_idcc_key(c.idcc) for c in contracts], pa.string()),
            "start_d": pa.array(start_d),
            "last_d": pa.array(last_d),
            "end_d": pa.array([_days(d) for d in ends], pa.int64()),
            "initial_end_d": pa.array([_days(d) for d in initial_ends], pa.int64()),
            "has_end": pa.array([int(c.end is not None or c.expected_end is not None) for c in contracts], pa.int64()),
            "end_status": pa.array([c.end_status for c in contracts], pa.string()),
            "end_motif": pa.array([c.end_motif for c in contracts], pa.string()),
            "renewals": pa.array([len(c.renewals) for c in contracts], pa.int64()),
            "has_paid": pa.array([int(bool(c.paid_months)) for c in contracts], pa.int64()),
            "last_month_idx": pa.array([_month_index(c.months[-1]) for c in contracts], pa.int64()),
            "calendar": pa.array([calendar_of[siret] for siret in sirets], pa.int64()),
            **{f"limit_{m}m": pa.array((_plus_months(starts, m) - epoch).astype(np.int64) - 1) for m in forward},
            **{f"back_{m}m": pa.array((_plus_months(starts, -m) - epoch).astype(np.int64)) for m in backward},
        }
    )
    return {
        "contrats": contrats,
        **_histories(contracts, row_id),
        "postes_fusionnes": _merges_table(merges, poste_ids),
        "legislation": legislation_table(),
        "calendar_days": cal_table,
        "permanent_windows": _permanent_windows(contracts, consolidated.data_month),
        "analyse": pa.table(
            {"data_month_idx": pa.array([_month_index(consolidated.data_month) if consolidated.data_month else None])},
            schema=pa.schema([("data_month_idx", pa.int64())]),
        ),
    }


def _calendars(consolidated, calendars, contracts, first_year) -> tuple[dict[str, int], pa.Table]:
    """One opening calendar per establishment (as `RuleContext.calendar_for`), as running counts."""
    calendar_of: dict[str, str] = {}
    by_name: dict[str, OpeningCalendar] = {}
    for siret in {c.analysis_siret for c in contracts}:
        est = consolidated.establishments.get(siret)
        cal = calendars.get(siret) or default_calendar(est.departement if est else "")
        if not cal.departement and est:
            cal = OpeningCalendar(cal.weekdays, cal.closed_dates, cal.holidays_closed, est.departement)
        by_name[repr(cal)] = cal
        calendar_of[siret] = repr(cal)
    names = sorted(by_name)
    index = {name: i for i, name in enumerate(names)}
    years = [c.start.year for c in contracts] + [c.last_day.year for c in contracts]
    start = date(first_year or (min(years) if years else 2020), 1, 1)
    stop = date((max(years) if years else 2020) + 2, 12, 31)
    cal_ids, day_numbers, ranks, opens = [], [], [], []
    for name in names:
        cal = by_name[name]
        rank = 0
        day = start
        while day <= stop:
            is_open = cal.is_open(day)
            rank += is_open
            cal_ids.append(index[name])
            day_numbers.append(_days(day))
            ranks.append(rank)
            opens.append(int(is_open))
            day += timedelta(days=1)
    table = pa.table(
        {
            "calendar": pa.array(cal_ids, pa.int64()),
            "day": pa.array(day_numbers, pa.int64()),
            "rank": pa.array(ranks, pa.int64()),
            "open": pa.array(opens, pa.int64()),
        }
    )
    return {siret: index[name] for siret, name in calendar_of.items()}, table


def _histories(contracts, row_id: "np.ndarray") -> dict[str, pa.Table]:
    # rows built as tuples by comprehensions, then split into columns (fewer Python calls than appends)
    rids = row_id.tolist()
    ends = [
        (rid, seq, _days(seen), _days(expected))
        for contract, rid in zip(contracts, rids, strict=True)
        for seq, (seen, expected) in enumerate(contract.expected_ends)
    ]
    months = [
        (rid, _days(month), int(month in paid))
        for contract, rid in zip(contracts, rids, strict=True)
        for paid in (set(contract.paid_months),)
        for month in dict.fromkeys(contract.months)
    ]

    def columns(rows: list[tuple], names: tuple[str, ...]) -> pa.Table:
        values = list(zip(*rows, strict=True)) if rows else [()] * len(names)
        return pa.table({name: pa.array(column, pa.int64()) for name, column in zip(names, values, strict=True)})

    return {
        "fins_prevues": columns(ends, ("row_id", "seq", "seen_d", "expected_d")),
        "mois": columns(months, ("row_id", "month_d", "paid")),
    }


def _merges_table(merges: dict[str, dict[str, str]], poste_ids: dict[tuple[str, str], int]) -> pa.Table:
    rows = [(poste_ids[(siret, a)], b, poste_ids[(siret, b)]) for siret, m in merges.items() for a, b in m.items()]
    return pa.table(
        {
            "m_poste_id": pa.array([r[0] for r in rows], pa.int64()),
            "merged": pa.array([r[1] for r in rows], pa.string()),
            "merged_id": pa.array([r[2] for r in rows], pa.int64()),
        }
    )


def _permanent_windows(contracts, data_month: date | None) -> pa.Table:
    """emploi_permanent's window for every data month the rule can use and every legislation record:
    the N months ending with that month, and the threshold (M months from the window start) in days,
    with `rules.add_months` (month arithmetic is not portable across SQL engines)."""
    months = {c.months[-1] for c in contracts} | ({data_month} if data_month else set())
    rows = []
    for month in sorted(months):
        window_end = month_end(month)
        for key, params in _legislation_records():
            window_start = add_months(window_end + timedelta(days=1), -params.permanent_window_months)
            threshold = (add_months(window_start, params.permanent_threshold_months) - window_start).days
            rows.append((key, _month_index(month), _days(window_start), _days(window_end), threshold))
    names = ("w_idcc", "month_idx", "window_start_d", "window_end_d", "threshold_days")
    types = (pa.string(), pa.int64(), pa.int64(), pa.int64(), pa.int64())
    return pa.table(
        {name: pa.array([r[i] for r in rows], kind) for i, (name, kind) in enumerate(zip(names, types, strict=True))}
    )


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
    records = _legislation_records()
    column = lambda get: [get(p) for _, p in records]  # noqa: E731
    return pa.table(
        {
            "idcc": [k for k, _ in records],
            "version": column(lambda p: p.version),
            "ratio_long_num": column(lambda p: p.carence_ratio_long.numerator),
            "ratio_long_den": column(lambda p: p.carence_ratio_long.denominator),
            "ratio_short_num": column(lambda p: p.carence_ratio_short.numerator),
            "ratio_short_den": column(lambda p: p.carence_ratio_short.denominator),
            "threshold": column(lambda p: p.carence_threshold_days),
            "cap": column(lambda p: p.carence_cap_days if p.carence_cap_days is not None else 10**6),
            "max_renewals": column(lambda p: p.max_renewals),
            "max_months_default": column(lambda p: p.max_months_default),
            "economic_dismissal_months": column(lambda p: p.economic_dismissal_months),
            "economic_exception_months": column(lambda p: p.economic_exception_months),
            "permanent_window_months": column(lambda p: p.permanent_window_months),
            "permanent_threshold_months": column(lambda p: p.permanent_threshold_months),
        }
    )


PARAMETERS = (
    "version",
    "ratio_long_num",
    "ratio_long_den",
    "ratio_short_num",
    "ratio_short_den",
    "threshold",
    "cap",
    "max_renewals",
    "max_months_default",
    "economic_dismissal_months",
    "economic_exception_months",
    "permanent_window_months",
    "permanent_threshold_months",
)


def _with_params(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    return contrats.join(legislation, contrats.idcc == legislation.idcc, how="left").select(
        contrats, *(legislation[name] for name in PARAMETERS)
    )


def _pick_months(t: ibis.Table, prefix: str, count: ibis.Value, values: set[int]) -> ibis.Value:
    """The precomputed `{prefix}_{n}m` column for the legislation's month count n."""
    return ibis.cases(*((count == n, t[f"{prefix}_{n}m"]) for n in sorted(values)))


def _carence(duration: ibis.Value, t: ibis.Table) -> ibis.Value:
    """`rules.carence_days` on columns: ratio by duration, integer ceiling, branch cap."""
    long = duration >= t.threshold
    num = ibis.ifelse(long, t.ratio_long_num, t.ratio_short_num)
    den = ibis.ifelse(long, t.ratio_long_den, t.ratio_short_den)
    carence = (duration * num + den - 1) // den
    return ibis.ifelse(carence > t.cap, t.cap, carence)


def _nth_opening_day_after(t: ibis.Table, day: str, n: str, out: str, calendar_days: ibis.Table) -> ibis.Table:
    """Add column `out` = the `n`-th opening day strictly after `day` (`rules.nth_opening_day_after`)."""
    ranks = calendar_days.select(_cal=_.calendar, _day=_.day, _rank=_.rank)
    t = t.join(ranks, [t.calendar == ranks._cal, t[day] == ranks._day]).drop("_cal", "_day")
    target = calendar_days.group_by(["calendar", "rank"]).aggregate(_found=_.day.min())
    target = target.select(_cal=_.calendar, _target=_.rank, _found=_._found)
    t = t.mutate(_want=t._rank + t[n])
    t = t.join(target, [t.calendar == target._cal, t._want == target._target])
    return t.mutate(**{out: t._found}).drop("_cal", "_target", "_found", "_want", "_rank")


def with_merged_postes(contrats: ibis.Table, merges: ibis.Table) -> ibis.Table:
    """The contracts on the merged view: a merged poste takes the name of the one it was merged into."""
    j = contrats.left_join(merges, contrats.poste_id == merges.m_poste_id)
    return j.select(
        *(c for c in contrats.columns if c not in ("poste", "poste_id")),
        poste=ibis.coalesce(j.merged, j.poste),
        poste_id=ibis.coalesce(j.merged_id, j.poste_id),
    )


# -- the rules -----------------------------------------------------------------------------------
def renouvellements(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    t = _with_params(contrats, legislation)
    return t.filter(t.nature.isin(PRECARIOUS), t.renewals > t.max_renewals).select(
        "numero", "contract_id", "siret", "poste", excess=t.renewals - t.max_renewals
    )


def motif_absent(contrats: ibis.Table) -> ibis.Table:
    t = contrats
    return t.filter(t.nature.isin(PRECARIOUS), (t.motif == "") | t.motif.isnull()).select(
        "numero", "contract_id", "siret", "poste"
    )


def duree_maximale(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    """The last day beyond start + N months − 1 day, N by motif else the legislation's default.

    The motif exceptions (24 and 36 months, no cap for seasonal and usage) are the same in every
    legislation record today; a branch that changed them would need them as a table: refuse rather
    than silently apply the Code du travail's."""
    t = _with_params(contrats, legislation)
    records = _legislation_records()
    by_motif = dict(CODE_DU_TRAVAIL.max_months_by_motif)
    if any(
        dict(p.max_months_by_motif) != by_motif or p.no_max_motifs != CODE_DU_TRAVAIL.no_max_motifs for _, p in records
    ):
        raise NotImplementedError("a branch overriding maximum durations by motif needs a per-motif table")
    limit = ibis.cases(
        *((t.motif == motif, t[f"limit_{n}m"]) for motif, n in sorted(by_motif.items())),
        else_=_pick_months(t, "limit", t.max_months_default, _month_counts()[0]),
    )
    no_max = sorted(CODE_DU_TRAVAIL.no_max_motifs)
    t = t.mutate(last_allowed_d=limit)
    return t.filter(
        t.nature.isin(PRECARIOUS), t.has_end == 1, ~t.motif.isin(no_max), t.last_d > t.last_allowed_d
    ).select("numero", "contract_id", "siret", "poste", "last_allowed_d")


def delai_carence(contrats: ibis.Table, legislation: ibis.Table, calendar_days: ibis.Table) -> ibis.Table:
    """Next precarious contract on the same poste before the end of the carence.

    The previous contract is the one with the latest last day among those earlier on the poste
    (ties: the later one), as in the Python rule; it is found with a running max of a packed
    (last day, row) key, then joined back.
    """
    t = contrats.filter(contrats.nature.isin(PRECARIOUS))
    packed = t.last_d * 10**8 + t.row_id
    window = ibis.window(group_by=t.poste_id, order_by=[t.row_id], rows=(None, -1))
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
    j = j.mutate(duration=duration, carence=_carence(duration, j))
    j = j.filter(
        j.prev_end_status != "open",
        j.start_d > j.prev_last_d,
        ~j.prev_motif.isin(tuple(CARENCE_EXEMPT_MOTIFS)),
        ~j.motif.isin(tuple(CARENCE_EXEMPT_MOTIFS)),
        j.prev_end_motif != EMPLOYEE_EARLY_END,
        j.dispositif.isin(("", "99")) | j.dispositif.isnull(),
    )
    j = _nth_opening_day_after(j, "prev_last_d", "carence", "last_carence_d", calendar_days)
    j = j.mutate(first_legal_d=j.last_carence_d + 1)
    j = j.filter(j.start_d < j.first_legal_d)
    status = ibis.ifelse(
        j.motif.isin(tuple(REPLACEMENT_MOTIFS)) | (j.prev_end_status != "declared"), "a_verifier", "infraction"
    )
    return j.select(
        "numero",
        "contract_id",
        "siret",
        "poste",
        "prev_numero",
        "prev_contract_id",
        "duration",
        "carence",
        "first_legal_d",
        status=status,
    )


def licenciement_economique(contrats: ibis.Table, legislation: ibis.Table) -> ibis.Table:
    """ATA contract on a poste whose contract ended by economic dismissal in the previous months.

    The dismissal named is the first one in input order (`row_id` order is not input order), as the
    Python rule's loop; the exception (initial term ≤ 3 months, never renewed) is per contract.
    """
    forward, backward = _month_counts()
    ata = _with_params(contrats, legislation)
    ata = ata.filter(ata.nature.isin(PRECARIOUS), ata.motif == "02")
    ata = ata.mutate(
        window_start_d=_pick_months(ata, "back", ata.economic_dismissal_months, backward),
        short_d=_pick_months(ata, "limit", ata.economic_exception_months, forward),
    )
    ata = ata.filter(~((ata.initial_end_d <= ata.short_d) & (ata.renewals == 0)))
    dismissed = contrats.filter(contrats.end_motif.isin(tuple(ECONOMIC_DISMISSAL_MOTIFS)), contrats.end_d.notnull())
    dismissed = dismissed.select(
        d_poste_id=_.poste_id,
        d_order=_.input_order,
        d_numero=_.numero,
        d_contract_id=_.contract_id,
        d_end_d=_.end_d,
        d_end_status=_.end_status,
    )
    j = ata.join(dismissed, ata.poste_id == dismissed.d_poste_id)
    j = j.filter(j.window_start_d <= j.d_end_d, j.d_end_d < j.start_d)
    j = j.mutate(_first=ibis.row_number().over(group_by=j.row_id, order_by=j.d_order))
    j = j.filter(j._first == 0)
    return j.select(
        "numero",
        "contract_id",
        "siret",
        "poste",
        "window_start_d",
        prev_numero=j.d_numero,
        prev_contract_id=j.d_contract_id,
        dismissal_end_d=j.d_end_d,
        confidence=j.d_end_status,
    )


def continuations(contrats: ibis.Table, fins_prevues: ibis.Table, mois: ibis.Table) -> ibis.Table:
    """Step 4 of `consolidation._finish` on the histories: first month declared after the term.

    First, an increase of the expected end first seen in a month that starts after the term in
    force, while some paid month is after that term; else the first paid month (every declared
    month when none is paid) that starts after the term in force that month, the contract not
    having ended by then. "The first/latest X and its Y" is a min/max of X and Y packed in one
    integer (a hash aggregate, cheaper than a sorted window; exact below 2^53).
    """
    fp = fins_prevues.mutate(
        term_before=fins_prevues.expected_d.lag().over(group_by=fins_prevues.row_id, order_by=fins_prevues.seq)
    )
    late = fp.filter(fp.seq > 0, fp.expected_d > fp.term_before, fp.seen_d > fp.term_before)
    paid = mois.filter(mois.paid == 1).select(p_row=_.row_id, p_month=_.month_d)
    late = late.semi_join(paid, [late.row_id == paid.p_row, paid.p_month > late.term_before])
    late = late.group_by("row_id").aggregate(_key=(late.seq * _DAYS**2 + late.seen_d * _DAYS + late.term_before).min())
    first_late = late.select(l_row=_.row_id, l_month=(_._key // _DAYS) % _DAYS, l_term=_._key % _DAYS)

    c = contrats.select("row_id", "has_paid", "end_d")
    months = mois.join(c, "row_id")
    months = months.filter((months.paid == 1) | (months.has_paid == 0))
    changes = fins_prevues.select(f_row=_.row_id, f_seq=_.seq, f_seen=_.seen_d, f_end=_.expected_d)
    m = months.join(
        changes, [months.row_id == changes.f_row, (changes.f_seq == 0) | (changes.f_seen <= months.month_d)]
    )
    # the term in force that month: the expected end of the latest change seen by then
    m = m.group_by(["row_id", "month_d", "end_d"]).aggregate(_key=(m.f_seq * _DAYS + m.f_end).max())
    m = m.mutate(f_end=m._key % _DAYS)
    m = m.filter(m.month_d > m.f_end, m.end_d.isnull() | (m.end_d > m.f_end))
    m = m.group_by("row_id").aggregate(_key=(m.month_d * _DAYS + m.f_end).min())
    first_after = m.select(a_row=_.row_id, a_month=_._key // _DAYS, a_term=_._key % _DAYS)

    j = contrats.left_join(first_late, contrats.row_id == first_late.l_row).left_join(
        first_after, contrats.row_id == first_after.a_row
    )
    return j.select(
        "row_id",
        continuation_month_d=ibis.coalesce(j.l_month, j.a_month),
        continuation_term_d=ibis.ifelse(j.l_month.notnull(), j.l_term, j.a_term),
    )


def poursuite_apres_terme(contrats: ibis.Table, fins_prevues: ibis.Table, mois: ibis.Table) -> ibis.Table:
    t = contrats.filter(contrats.nature.isin(PRECARIOUS))
    found = continuations(t, fins_prevues, mois).filter(_.continuation_month_d.notnull())
    j = t.join(found, "row_id")
    return j.select("numero", "contract_id", "siret", "poste", "continuation_month_d", "continuation_term_d")


def permanent_postes(
    contrats: ibis.Table, legislation: ibis.Table, windows: ibis.Table, analyse: ibis.Table
) -> ibis.Table:
    """emploi_permanent, per poste: the window (`permanent_windows` for the data month, else for the
    poste's latest month), the threshold in days and the carence parameters, all from the
    legislation of the poste's last contract, as the Python rule."""
    t = contrats.filter(contrats.nature.isin(PRECARIOUS))
    last = t.group_by("poste_id").aggregate(
        siret=t.siret.max(),  # one value per poste_id: max() is only a portable "any"
        poste=t.poste.max(),
        last_row=t.row_id.max(),
        group_month=t.last_month_idx.max(),
    )
    g = last.join(t.select(last_row=_.row_id, idcc=_.idcc), "last_row").cross_join(analyse)
    # .view(): a computed column of a join's projection cannot be a predicate of the next join
    g = g.select("poste_id", "siret", "poste", "idcc", dm=ibis.coalesce(g.data_month_idx, g.group_month)).view()
    w = windows.select(
        _w_idcc=_.w_idcc, _w_month=_.month_idx, w_start=_.window_start_d, w_end=_.window_end_d, w_th=_.threshold_days
    )
    g = g.join(w, [g.idcc == w._w_idcc, g.dm == w._w_month])
    lg = legislation.select(*_CARENCE_PARAMS, _l_idcc=_.idcc)
    g = g.join(lg, g.idcc == lg._l_idcc)
    return g.select(
        g_poste_id=g.poste_id,
        g_siret=g.siret,
        g_poste=g.poste,
        window_start_d=g.w_start,
        window_end_d=g.w_end,
        threshold_days=g.w_th,
        **{name: g[name] for name in _CARENCE_PARAMS},
    )


def permanent_segments(contrats: ibis.Table, postes: ibis.Table, calendar_days: ibis.Table) -> ibis.Table:
    """emploi_permanent, set-based part: per poste (`permanent_postes`, materialised), the blocks of
    precarious contracts that overlap or touch inside the window (segments), and for the gap before
    each segment the number of opening days a carence must reach to bridge it (`need`).

    The Python rule bridges the gap after a run ending on E to a segment starting on S when
    S ≤ (c-th opening day after E) + 1, c the carence of the run; with rank(x) the running count of
    opening days, that is c ≥ rank(S − 1) + (1 if S − 1 is closed) − rank(E), a number that does not
    depend on the run.
    """
    t = contrats.filter(contrats.nature.isin(PRECARIOUS))
    g = postes
    c = t.join(g.drop("g_siret", "g_poste"), t.poste_id == g.g_poste_id)
    c = c.filter(c.last_d >= c.window_start_d, c.start_d <= c.window_end_d)
    c = c.mutate(s=ibis.greatest(c.start_d, c.window_start_d), e=ibis.least(c.last_d, c.window_end_d))
    before = ibis.window(group_by=c.poste_id, order_by=c.row_id, rows=(None, -1))
    c = c.mutate(_run_end=c.e.max().over(before))
    c = c.mutate(_gap=ibis.ifelse(c._run_end.isnull() | (c.s > c._run_end + 1), 1, 0))
    c = c.mutate(segment=c._gap.sum().over(group_by=c.poste_id, order_by=c.row_id, rows=(None, 0)))
    keys = ["poste_id", "segment", "calendar", "window_start_d", "window_end_d", "threshold_days"]
    # the Python rule names the member with the latest start, the first in poste order on a tie:
    # the largest (start, −row) packed in one integer, kept per segment with the member count
    latest_key = c.start_d * _PACK + (_PACK - 1 - c.row_id)
    seg = c.group_by([*keys, *_CARENCE_PARAMS]).aggregate(
        seg_start=c.s.min(), seg_end=c.e.max(), members=c.count(), latest_key=latest_key.max()
    )
    return seg.mutate(prev_end=seg.seg_end.lag().over(group_by=seg.poste_id, order_by=seg.segment))


def permanent_needs(seg: ibis.Table, calendar_days: ibis.Table) -> ibis.Table:
    """The opening days a carence must reach to bridge the gap before each segment (see
    `permanent_segments`), and the first step's decisions: every gap a break."""
    ranks = calendar_days.select(_cal=_.calendar, _day=_.day, _rank=_.rank, _open=_.open)
    seg = seg.left_join(ranks, [seg.calendar == ranks._cal, seg.prev_end == ranks._day])
    seg = seg.mutate(_prev_rank=seg._rank).drop("_cal", "_day", "_rank", "_open")
    seg = seg.left_join(ranks, [seg.calendar == ranks._cal, seg.seg_start - 1 == ranks._day])
    seg = seg.mutate(need=seg._rank + 1 - seg._open - seg._prev_rank)
    return seg.drop("_cal", "_day", "_rank", "_open", "_prev_rank").mutate(brk=ibis.literal(1, "int64"))


_PACK = 10**8  # row ids below 10^8, day numbers below 10^5: packed keys stay below 2^53 (exact everywhere)
_CARENCE_PARAMS = ("ratio_long_num", "ratio_long_den", "ratio_short_num", "ratio_short_den", "threshold", "cap")


def permanent_bridge_step(seg: ibis.Table) -> ibis.Table:
    """One step of the fold, done as a fixed-point iteration since SQL has no fold.

    Whether the gap before a segment is bridged depends on the carence of the run so far, i.e. on
    whether the earlier gaps were bridged: a left-to-right fold, which SQL windows cannot express
    and Ibis has no recursive query for. Each step recomputes every gap's decision (`brk`) from the
    run starts of the previous step, starting from every gap a break. After k steps the first k
    gaps of a poste are exact; the sequential decisions are the only fixed point, so once a step
    changes nothing (`changed` = 0 everywhere) the result is exact. `run_ibis_rules` loops.
    """
    by_poste = {"group_by": seg.poste_id, "order_by": seg.segment}
    run_start = ibis.ifelse(seg.brk == 1, seg.seg_start, ibis.null("int64")).max().over(rows=(None, 0), **by_poste)
    s = seg.mutate(_run_start=run_start)
    s = s.mutate(_prev_run_start=s._run_start.lag().over(**by_poste))
    duration = ibis.greatest(s.prev_end - s._prev_run_start + 1, 1)
    bridged = s.prev_end.notnull() & (_carence(duration, s) >= s.need)
    new = ibis.ifelse(bridged, 0, 1)
    return s.mutate(brk=new, changed=ibis.ifelse(new == s.brk, 0, 1)).drop("_run_start", "_prev_run_start")


def permanent_findings(contrats: ibis.Table, postes: ibis.Table, seg: ibis.Table) -> ibis.Table:
    """emploi_permanent once the gaps are decided: covered days per poste against the threshold."""
    runs = seg.mutate(run=seg.brk.sum().over(group_by=seg.poste_id, order_by=seg.segment, rows=(None, 0)))
    runs = runs.group_by(["poste_id", "run"]).aggregate(run_start=runs.seg_start.min(), run_end=runs.seg_end.max())
    covered = runs.group_by("poste_id").aggregate(covered=(runs.run_end - runs.run_start + 1).sum())
    latest = seg.group_by("poste_id").aggregate(members=seg.members.sum(), latest_key=seg.latest_key.max())
    found = covered.join(latest, "poste_id").join(postes, _.poste_id == postes.g_poste_id)
    found = found.filter(found.covered >= found.threshold_days)
    found = found.mutate(latest_row=_PACK - 1 - found.latest_key % _PACK)
    named = contrats.select("row_id", "numero", "contract_id")
    found = found.join(named, found.latest_row == named.row_id)
    return found.select(
        "numero",
        "contract_id",
        siret=found.g_siret,
        poste=found.g_poste,
        covered=found.covered,
        threshold_days=found.threshold_days,
        members=found.members,
    )


def rule_expressions(con, merges: bool = True) -> dict[str, ibis.Table]:
    """The rules as Ibis expressions over the tables registered on `con`, on the merged postes
    (`merges` False when there are none: the join is then skipped). emploi_permanent is a loop of
    queries: see `emploi_permanent`."""
    t = {name: con.table(name) for name in TABLE_NAMES}
    contrats = with_merged_postes(t["contrats"], t["postes_fusionnes"]) if merges else t["contrats"]
    legislation, calendar_days = t["legislation"], t["calendar_days"]
    return {
        "contrats": contrats,
        "delai_carence": delai_carence(contrats, legislation, calendar_days),
        "renouvellements": renouvellements(contrats, legislation),
        "duree_maximale": duree_maximale(contrats, legislation),
        "licenciement_economique": licenciement_economique(contrats, legislation),
        "poursuite_apres_terme": poursuite_apres_terme(contrats, t["fins_prevues"], t["mois"]),
        "motif_absent": motif_absent(contrats),
        "permanent_postes": permanent_postes(contrats, legislation, t["permanent_windows"], t["analyse"]),
    }


TABLE_NAMES = (
    "contrats",
    "fins_prevues",
    "mois",
    "postes_fusionnes",
    "legislation",
    "calendar_days",
    "permanent_windows",
    "analyse",
)


def emploi_permanent(con, expressions: dict[str, ibis.Table]) -> tuple[pa.Table, int]:
    """Segments → fixed-point steps (each one query, its result registered as a table, as an
    iterative job checkpoints on Spark) → findings. Returns the rows and the number of steps."""
    _register(con, "permanent_postes", con.to_pyarrow(expressions["permanent_postes"]))
    segments = permanent_segments(expressions["contrats"], con.table("permanent_postes"), con.table("calendar_days"))
    _register(con, "permanent_segments", con.to_pyarrow(segments))
    needs = permanent_needs(con.table("permanent_segments"), con.table("calendar_days"))
    _register(con, "permanent_step", con.to_pyarrow(needs))
    steps = 0
    while True:
        steps += 1
        result = con.to_pyarrow(permanent_bridge_step(con.table("permanent_step")))
        _register(con, "permanent_step", result.drop(["changed"]))
        if not pc.any(pc.equal(result["changed"], 1)).as_py():
            break
    found = permanent_findings(expressions["contrats"], con.table("permanent_postes"), con.table("permanent_step"))
    return con.to_pyarrow(found), steps


def run_ibis_rules(con, tables: dict[str, pa.Table], only: tuple[str, ...] = RULE_IDS) -> dict[str, pa.Table]:
    """Register the tables on an Ibis backend connection, run the rules, return one Arrow table per rule."""
    with quiet_ibis():
        register_tables(con, tables)
        expressions = rule_expressions(con, merges=tables["postes_fusionnes"].num_rows > 0)
        results = {}
        for rule in only:
            if rule == "emploi_permanent":
                results[rule], _steps = emploi_permanent(con, expressions)
            else:
                results[rule] = con.to_pyarrow(expressions[rule])
        return results


@contextmanager
def quiet_ibis():
    """ibis 12 calls DuckDB's deprecated fetch_arrow_table() and a deprecated pandas option; harmless,
    not ours to fix, and the test suite turns warnings into errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        yield


def register_tables(con, tables: dict[str, pa.Table]) -> None:
    for name, table in tables.items():
        _register(con, name, table)


def _register(con, name: str, table: pa.Table) -> None:
    if con.name == "duckdb":
        # ibis 12's DuckDB create_table from Arrow emits a DROP VIEW that sqlglot 30 renders
        # invalid; registering the Arrow table on the raw connection is equivalent (zero copy).
        con.con.register(name, table)
    elif con.name == "sqlite":
        _load_sqlite(con.con, name, table)
    else:
        con.create_table(name, table, overwrite=True)


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
