"""The PILOTE computation: progress rates, chantier progress, aggregates and alerts in one pass.

Input: indicator specifications and a columnar set of observations (indicator, territory, date,
metric, value), metrics `vi` (initial value), `va` (current value), `vc` (target) and `den`
(denominator of a `ratio` indicator). Everything is computed on dense numpy arrays
(indicators × territories × months), so 100 chantiers × 5 indicators × 101 départements ×
36 months take a few seconds; the CLI and the web call this same function.

Rules, in order:
1. VA per month = the last value dated in that month, up to the `as_of` date. VI = the last
   initial value dated on or before `as_of`. Final target = the target with the latest date;
   annual target = the latest target dated in the year of `as_of` (if any).
2. Départements are aggregated to régions and the nation per the indicator's rule
   (`engine.aggregation`); a value entered at régional or national level stays official, and
   differences with the aggregate are reported as inconsistencies.
3. TA (`engine.progress`) on the last known VA; the previous known VA gives the trend.
   Cumulative series: `since_start` — the annual TA runs from the value at the end of the previous
   year (de-cumulated flow of the year); `yearly` (year-to-date) — the annual TA runs from 0, the
   final TA adds VI and the year-end totals of past years (re-cumulation).
4. Chantier TA per territory = Σ weight·TA / Σ weight over its indicators weighted at the
   territory's level (bounded TA); null as soon as one weighted TA is null.
5. Alerts (`ALERT_KINDS`).
"""

import warnings
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from communs.pilote.engine.aggregation import MEAN, NONE, RATIO, aggregate, inconsistent
from communs.pilote.engine.progress import INCREASING, progress_rates
from communs.pilote.engine.series import forward_fill_index, month_label
from communs.pilote.engine.territories import DEPT, LEVELS, NAT, NATION, REG, TerritoryAxis, level_of

METRICS = ("vi", "va", "vc", "den")
VI, VA, VC, DEN = range(4)

GAP = "ecart_mediane"
TREND = "tendance_baisse"
NOT_COMPUTABLE = "ta_non_calculable"
NO_DEPT = "aucun_ta_departemental"
METEO = "meteo_manquante"
OUT_OF_DATE = "donnee_obsolete"
ALERT_KINDS = {
    GAP: "Écart à la médiane inférieur à −10 points",
    TREND: "Tendance à la baisse depuis la période précédente",
    NOT_COMPUTABLE: "Taux d'avancement non calculable alors qu'une cible est attendue",
    NO_DEPT: "Aucun taux d'avancement départemental",
    METEO: "Météo non renseignée",
    OUT_OF_DATE: "Donnée non à jour (date de prochaine mise à jour dépassée)",
}
GAP_THRESHOLD = -10.0  # points of TA below the median of the same level (PILOTE rule)
METEO_LEVELS = (NAT, DEPT)  # the chantier's owner and the préfectures declare a météo


@dataclass(frozen=True)
class IndicatorSpec:
    id: str
    chantier: str
    direction: str = INCREASING
    weight_nat: float = 0.0
    weight_reg: float = 0.0
    weight_dept: float = 0.0
    aggregation: str = NONE
    cumulative: str = "none"
    next_update: date | None = None

    def weight(self, level: str) -> float:
        return {NAT: self.weight_nat, REG: self.weight_reg, DEPT: self.weight_dept}[level]


@dataclass
class Observations:
    """Columnar observations, already encoded: indicator = index into the spec list, territory =
    index into the axis' codes, metric = index into METRICS, date = numpy datetime64[D]."""

    indicator: np.ndarray
    territory: np.ndarray
    date: np.ndarray
    metric: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.value)

    @classmethod
    def from_rows(cls, rows, specs: list[IndicatorSpec], axis: TerritoryAxis) -> "Observations":
        """Rows of (indicator id, territory code, date or ISO string, metric, value or None)."""
        positions = {spec.id: position for position, spec in enumerate(specs)}
        metric_index = {name: position for position, name in enumerate(METRICS)}
        columns = ([], [], [], [], [])
        for indicator, territory, when, metric, value in rows:
            columns[0].append(positions[indicator])
            columns[1].append(axis.index[territory])
            columns[2].append(str(when))
            columns[3].append(metric_index[metric])
            columns[4].append(np.nan if value is None else float(value))
        return cls(
            indicator=np.array(columns[0], dtype=np.int64),
            territory=np.array(columns[1], dtype=np.int64),
            date=np.array(columns[2], dtype="datetime64[D]"),
            metric=np.array(columns[3], dtype=np.int8),
            value=np.array(columns[4], dtype=float),
        )


@dataclass(frozen=True)
class Alert:
    kind: str
    chantier: str
    indicator: str | None
    territory: str
    value: float | None = None
    reference: float | None = None

    @property
    def label(self) -> str:
        return ALERT_KINDS[self.kind]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "chantier": self.chantier,
            "indicator": self.indicator,
            "territory": self.territory,
            "value": self.value,
            "reference": self.reference,
        }


@dataclass
class Result:
    specs: list[IndicatorSpec]
    chantiers: list[str]
    as_of: date
    periods: np.ndarray  # month indexes
    va: np.ndarray  # (I, T, P) after aggregation
    vi: np.ndarray  # (I, T)
    vc: np.ndarray  # (I, T) final target
    vc_annual: np.ndarray  # (I, T)
    va_last: np.ndarray  # (I, T)
    va_prev: np.ndarray  # (I, T)
    last_period: np.ndarray  # (I, T) month index of va_last, −1 if none
    computed: np.ndarray  # (I, T) bool: the value at that territory is an aggregate, not entered
    ta: np.ndarray  # (I, T) bounded, final target
    ta_unbounded: np.ndarray
    ta_annual: np.ndarray
    ta_prev: np.ndarray
    expected: np.ndarray  # (I, T) bool
    chantier_ta: np.ndarray  # (C, T)
    chantier_ta_prev: np.ndarray  # (C, T)
    chantier_expected: np.ndarray  # (C, T)
    medians: np.ndarray  # (I, T): median TA of the territory's level (NaN at national level)
    chantier_medians: np.ndarray  # (C, T)
    axis: TerritoryAxis | None = None
    alerts: list[Alert] = field(default_factory=list)
    inconsistencies: list[dict] = field(default_factory=list)

    def indicator_records(self) -> list[dict]:
        rows = []
        for i, t in zip(*np.nonzero(self.expected), strict=True):
            rows.append(
                {
                    "indicator": self.specs[i].id,
                    "territory": self.axis.codes[t],
                    "ta": _clean(self.ta[i, t]),
                    "ta_unbounded": _clean(self.ta_unbounded[i, t]),
                    "ta_annual": _clean(self.ta_annual[i, t]),
                    "vi": _clean(self.vi[i, t]),
                    "va": _clean(self.va_last[i, t]),
                    "vc": _clean(self.vc[i, t]),
                    "period": month_label(int(self.last_period[i, t])) if self.last_period[i, t] >= 0 else None,
                }
            )
        return rows

    def chantier_records(self) -> list[dict]:
        return [
            {"chantier": self.chantiers[c], "territory": self.axis.codes[t], "ta": _clean(self.chantier_ta[c, t])}
            for c, t in zip(*np.nonzero(self.chantier_expected), strict=True)
        ]

    def as_dict(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(),
            "indicators": self.indicator_records(),
            "chantiers": self.chantier_records(),
            "alerts": [alert.as_dict() for alert in self.alerts],
            "inconsistencies": self.inconsistencies,
        }


def _clean(value) -> float | None:
    number = float(value)
    return None if np.isnan(number) else round(number, 6)


def _last_per_key(keys: np.ndarray, dates: np.ndarray) -> np.ndarray:
    """Positions of the latest-dated observation of each key (ties: the later row wins)."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((np.arange(keys.size), dates, keys))
    sorted_keys = keys[order]
    last = np.ones(sorted_keys.size, dtype=bool)
    last[:-1] = sorted_keys[1:] != sorted_keys[:-1]
    return order[last]


def _dense_latest(obs: Observations, mask: np.ndarray, n_ind: int, n_terr: int) -> np.ndarray:
    """(I, T) array of the latest value among the observations in `mask`."""
    out = np.full((n_ind, n_terr), np.nan)
    keys = obs.indicator[mask] * n_terr + obs.territory[mask]
    chosen = _last_per_key(keys, obs.date[mask])
    out.flat[keys[chosen]] = obs.value[mask][chosen]
    return out


def _quiet_nanmedian(values: np.ndarray, axis: int) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices give NaN, which is what we want
        return np.nanmedian(values, axis=axis)


def compute(
    specs: list[IndicatorSpec],
    obs: Observations,
    as_of: date,
    *,
    axis: TerritoryAxis,
    meteo: set[tuple[str, str]] | None = None,
    meteo_levels: tuple[str, ...] = METEO_LEVELS,
) -> Result:
    """Run every PILOTE rule. `meteo`: the (chantier, territory) pairs with a météo declared for the
    current period; None skips the météo alert (the CLI without a météo file). `axis`: the territories,
    given by the caller from the reference (`engine.territories.build_axis`)."""
    n_ind, n_terr = len(specs), len(axis.codes)
    as_of_day = np.datetime64(as_of, "D")
    as_of_month = as_of.year * 12 + as_of.month - 1
    chantiers = sorted({spec.chantier for spec in specs})
    chantier_of = np.array([chantiers.index(spec.chantier) for spec in specs], dtype=np.int64)
    increasing = np.array([spec.direction == INCREASING for spec in specs], dtype=bool)

    years = obs.date.astype("datetime64[Y]").astype(np.int64) + 1970
    months = years * 12 + (obs.date.astype("datetime64[M]").astype(np.int64) % 12)
    known = obs.date <= as_of_day
    is_va = (obs.metric == VA) & known
    # Periods: every month from the first VA to the as_of month (at least one period).
    first = int(months[is_va].min()) if is_va.any() else as_of_month
    periods = np.arange(first, max(as_of_month, first) + 1)
    n_per = periods.size

    va = np.full((n_ind, n_terr, n_per), np.nan)
    keys = (obs.indicator[is_va] * n_terr + obs.territory[is_va]) * n_per + (months[is_va] - first)
    chosen = _last_per_key(keys, obs.date[is_va])
    va.flat[keys[chosen]] = obs.value[is_va][chosen]

    vi = _dense_latest(obs, (obs.metric == VI) & known, n_ind, n_terr)
    vc = _dense_latest(obs, obs.metric == VC, n_ind, n_terr)
    vc_annual = _dense_latest(obs, (obs.metric == VC) & (years == as_of.year), n_ind, n_terr)
    den = _dense_latest(obs, (obs.metric == DEN) & known, n_ind, n_terr)

    entered_any = np.zeros((n_ind, n_terr), dtype=bool)
    entered_any[obs.indicator, obs.territory] = True
    computed = np.zeros((n_ind, n_terr), dtype=bool)
    inconsistencies: list[dict] = []

    # 2. Aggregation, grouped by rule so each group is one vectorised call.
    rules = np.array([spec.aggregation for spec in specs])
    for rule in {spec.aggregation for spec in specs} - {NONE}:
        members = np.nonzero(rules == rule)[0]
        weights = None
        if rule == MEAN:
            weights = np.broadcast_to(axis.population, (members.size, axis.population.size))
        elif rule == RATIO:
            weights = den[members, axis.dept_slice]
        stacked = np.concatenate(
            [va[members, axis.dept_slice, :], vi[members, axis.dept_slice, None], vc[members, axis.dept_slice, None]]
            + [vc_annual[members, axis.dept_slice, None]],
            axis=2,
        )
        for target_slice, membership in ((axis.reg_slice, axis.dept_to_region), (axis.nat_slice, axis.dept_to_nation)):
            agg = aggregate(stacked, membership, rule, weights)
            parts = {"va": agg[..., :n_per], "vi": agg[..., n_per], "vc": agg[..., n_per + 1]}
            parts["vc_annual"] = agg[..., n_per + 2]
            targets = {"va": va, "vi": vi, "vc": vc, "vc_annual": vc_annual}
            for name, aggregated in parts.items():
                array = targets[name]
                if name == "va":
                    entered = array[members, target_slice, :]
                else:
                    entered = array[members, target_slice]
                bad = inconsistent(entered, aggregated)
                for position in zip(*np.nonzero(bad), strict=True):
                    i, t = members[position[0]], target_slice.start + position[1]
                    inconsistencies.append(
                        {
                            "indicator": specs[i].id,
                            "territory": axis.codes[t],
                            "metric": name,
                            "period": month_label(int(periods[position[2]])) if name == "va" else None,
                            "entered": float(entered[position]),
                            "computed": float(aggregated[position]),
                        }
                    )
                filled = np.where(np.isnan(entered), aggregated, entered)
                if name == "va":
                    array[members, target_slice, :] = filled
                else:
                    array[members, target_slice] = filled
            has_members = np.einsum("im,mg->ig", entered_any[members, axis.dept_slice].astype(float), membership) > 0
            computed[members, target_slice] |= has_members & ~entered_any[members, target_slice]

    # 3. Last and previous known VA.
    fill = forward_fill_index(~np.isnan(va))
    last_idx = fill[..., -1]
    safe_last = np.clip(last_idx, 0, None)
    va_last = np.where(last_idx >= 0, np.take_along_axis(va, safe_last[..., None], axis=2)[..., 0], np.nan)
    prev_idx = np.where(
        last_idx >= 1, np.take_along_axis(fill, np.clip(last_idx - 1, 0, None)[..., None], axis=2)[..., 0], -1
    )
    va_prev = np.where(
        prev_idx >= 0, np.take_along_axis(va, np.clip(prev_idx, 0, None)[..., None], axis=2)[..., 0], np.nan
    )
    last_period = np.where(last_idx >= 0, periods[safe_last], -1)

    va_final = va_last.copy()
    va_final_prev = va_prev.copy()
    vi_annual = vi.copy()
    va_annual = va_last.copy()
    cumulative = np.array([spec.cumulative for spec in specs])
    year_start = as_of.year * 12 - first  # position of January of the as_of year
    since_start = np.nonzero(cumulative == "since_start")[0]
    if since_start.size:
        dec = year_start - 1
        if dec >= 0:
            dec_idx = fill[since_start, :, dec]
            base = np.where(
                dec_idx >= 0,
                np.take_along_axis(va[since_start], np.clip(dec_idx, 0, None)[..., None], axis=2)[..., 0],
                np.nan,
            )
            vi_annual[since_start] = base
    yearly = np.nonzero(cumulative == "yearly")[0]
    if yearly.size:
        vi_annual[yearly] = 0.0
        in_year = last_period[yearly] >= as_of.year * 12
        va_annual[yearly] = np.where(in_year, va_last[yearly], 0.0)
        total = vi[yearly].copy()
        for year in range(int(periods[0]) // 12, as_of.year):
            end = min((year + 1) * 12 - 1, int(periods[-1])) - first
            idx = fill[yearly, :, end]
            idx_period = np.where(idx >= 0, periods[np.clip(idx, 0, None)], -1)
            year_total = np.where(
                idx_period // 12 == year,
                np.take_along_axis(va[yearly], np.clip(idx, 0, None)[..., None], axis=2)[..., 0],
                0.0,
            )
            total = total + year_total
        va_final[yearly] = total + va_annual[yearly]
        va_final_prev[yearly] = np.nan  # a month-on-month comparison of a re-cumulated total is not meaningful

    inc = increasing[:, None]
    ta, ta_unbounded = progress_rates(vi, va_final, vc, inc)
    ta_prev, _ = progress_rates(vi, va_final_prev, vc, inc)
    ta_annual, _ = progress_rates(vi_annual, va_annual, vc_annual, inc)

    # Where the indicator is followed: entered there, or aggregated from entered départements.
    expected = entered_any | computed

    # 4. Chantier TA per level.
    n_ch = len(chantiers)
    chantier_ta = np.full((n_ch, n_terr), np.nan)
    chantier_ta_prev = np.full((n_ch, n_terr), np.nan)
    chantier_expected = np.zeros((n_ch, n_terr), dtype=bool)
    weighted_expected = np.zeros((n_ind, n_terr), dtype=bool)
    for level in LEVELS:
        cols = axis.level_slice(level)
        weights = np.array([spec.weight(level) for spec in specs], dtype=float)
        matrix = np.zeros((n_ch, n_ind))
        matrix[chantier_of, np.arange(n_ind)] = weights
        total = matrix.sum(axis=1)[:, None]
        weighted = (matrix > 0).astype(float)
        weighted_expected[:, cols] = expected[:, cols] & (weights > 0)[:, None]
        chantier_expected[:, cols] = (weighted @ weighted_expected[:, cols].astype(float)) > 0
        for source, target in ((ta, chantier_ta), (ta_prev, chantier_ta_prev)):
            part = source[:, cols]
            nulls = weighted @ np.isnan(part).astype(float)
            numerator = matrix @ np.where(np.isnan(part), 0.0, part)
            with np.errstate(invalid="ignore", divide="ignore"):
                value = numerator / np.where(total > 0, total, 1.0)
            target[:, cols] = np.where((total > 0) & (nulls == 0), value, np.nan)

    # Medians of the same level (départements among départements, régions among régions).
    medians = np.full((n_ind, n_terr), np.nan)
    chantier_medians = np.full((n_ch, n_terr), np.nan)
    for level in (REG, DEPT):
        cols = axis.level_slice(level)
        part = np.where(expected[:, cols], ta[:, cols], np.nan)
        medians[:, cols] = _quiet_nanmedian(part, axis=1)[:, None]
        ch_part = np.where(chantier_expected[:, cols], chantier_ta[:, cols], np.nan)
        chantier_medians[:, cols] = _quiet_nanmedian(ch_part, axis=1)[:, None]

    alerts = _alerts(
        axis=axis,
        specs=specs,
        chantiers=chantiers,
        as_of=as_of,
        ta=ta,
        medians=medians,
        expected=expected,
        weighted_expected=weighted_expected,
        va_last=va_final,
        va_prev=va_final_prev,
        increasing=increasing,
        chantier_ta=chantier_ta,
        chantier_medians=chantier_medians,
        chantier_expected=chantier_expected,
        meteo=meteo,
        meteo_levels=meteo_levels,
    )
    return Result(
        axis=axis,
        specs=specs,
        chantiers=chantiers,
        as_of=as_of,
        periods=periods,
        va=va,
        vi=vi,
        vc=vc,
        vc_annual=vc_annual,
        va_last=va_final,
        va_prev=va_final_prev,
        last_period=last_period,
        computed=computed,
        ta=ta,
        ta_unbounded=ta_unbounded,
        ta_annual=ta_annual,
        ta_prev=ta_prev,
        expected=expected,
        chantier_ta=chantier_ta,
        chantier_ta_prev=chantier_ta_prev,
        chantier_expected=chantier_expected,
        medians=medians,
        chantier_medians=chantier_medians,
        alerts=alerts,
        inconsistencies=inconsistencies,
    )


def _alerts(
    *,
    axis,
    specs,
    chantiers,
    as_of,
    ta,
    medians,
    expected,
    weighted_expected,
    va_last,
    va_prev,
    increasing,
    chantier_ta,
    chantier_medians,
    chantier_expected,
    meteo,
    meteo_levels,
) -> list[Alert]:
    alerts: list[Alert] = []
    codes = axis.codes

    # Gap to the median of the same level: strictly below −10 points.
    with np.errstate(invalid="ignore"):
        gap = ta - medians
        low = expected & (gap < GAP_THRESHOLD)
    for i, t in zip(*np.nonzero(low), strict=True):
        alerts.append(Alert(GAP, specs[i].chantier, specs[i].id, codes[t], _clean(ta[i, t]), _clean(medians[i, t])))

    with np.errstate(invalid="ignore"):
        chantier_low = chantier_expected & (chantier_ta - chantier_medians < GAP_THRESHOLD)
    for c, t in zip(*np.nonzero(chantier_low), strict=True):
        alerts.append(
            Alert(GAP, chantiers[c], None, codes[t], _clean(chantier_ta[c, t]), _clean(chantier_medians[c, t]))
        )

    # Downward trend: the last known value moved away from the target since the previous one.
    with np.errstate(invalid="ignore"):
        worse = np.where(increasing[:, None], va_last < va_prev, va_last > va_prev)
    for i, t in zip(*np.nonzero(expected & worse), strict=True):
        alerts.append(
            Alert(TREND, specs[i].chantier, specs[i].id, codes[t], _clean(va_last[i, t]), _clean(va_prev[i, t]))
        )

    # TA not computable where a weighted indicator is expected; the same for the chantier.
    for i, t in zip(*np.nonzero(weighted_expected & np.isnan(ta)), strict=True):
        alerts.append(Alert(NOT_COMPUTABLE, specs[i].chantier, specs[i].id, codes[t]))
    for c, t in zip(*np.nonzero(chantier_expected & np.isnan(chantier_ta)), strict=True):
        alerts.append(Alert(NOT_COMPUTABLE, chantiers[c], None, codes[t]))

    # No departmental TA at all for a chantier steered at departmental level.
    dept = axis.dept_slice
    for c, chantier in enumerate(chantiers):
        steered = any(spec.chantier == chantier and spec.weight_dept > 0 for spec in specs)
        if steered and np.all(np.isnan(chantier_ta[c, dept])):
            alerts.append(Alert(NO_DEPT, chantier, None, NATION))

    if meteo is not None:
        for c, t in zip(*np.nonzero(chantier_expected), strict=True):
            if level_of(codes[t]) in meteo_levels and (chantiers[c], codes[t]) not in meteo:
                alerts.append(Alert(METEO, chantiers[c], None, codes[t]))

    for spec in specs:
        if spec.next_update is not None and spec.next_update < as_of:
            alerts.append(Alert(OUT_OF_DATE, spec.chantier, spec.id, NATION))
    return alerts
