"""The territorial diagnosis: from stored exposure (noise bands, binned air exposure) to the figures
the dashboard, the export and the API show, for a chosen parameter set and threshold family.

Kept pure so that switching parameters or thresholds is a recomputation in microseconds, never a
new spatial computation.
"""

from collections.abc import Mapping

import numpy as np

from communs.estimaction.engine.exposure import share_above
from communs.estimaction.engine.impacts import AirRows, air_impact, noise_impacts_by_source, yll_per_death_from_ages
from communs.estimaction.engine.parameters import (
    ADULT_SHARE_DEFAULT,
    AIR_PARAMETER_SETS,
    DEFAULT_ADULT_DEATH_RATE,
    INDICATORS,
    NO_ERF_REASON,
    NOISE_THRESHOLDS,
    NOISE_VERSION,
    POLLUTANTS,
    SOURCE_TYPES,
    THRESHOLDS,
)

BIN_WIDTH = 0.05  # µg/m³: binning error on the attributable fraction stays below 0.1 %


def bin_air_exposure(
    concentration: np.ndarray, population: np.ndarray, ages: Mapping[str, np.ndarray] | None = None
) -> list[list[float]]:
    """Per-cell concentrations → rows [c, population, adults, baseline deaths, baseline deaths × YLL/death]
    binned by 0.05 µg/m³ (cells with no value are dropped: they are reported apart)."""
    valid = np.isfinite(concentration)
    c, pop = concentration[valid], population[valid]
    if ages and all(name in ages for name in ("ind_25_39", "ind_65_79")):
        age_valid = {name: np.asarray(values)[valid] for name, values in ages.items()}
        adults = sum(age_valid[name] for name in ("ind_25_39", "ind_40_54", "ind_55_64", "ind_65_79", "ind_80p"))
        rate, yll = yll_per_death_from_ages(age_valid)
    else:
        adults = pop * ADULT_SHARE_DEFAULT
        rate, yll = np.full(len(pop), DEFAULT_ADULT_DEATH_RATE), np.zeros(len(pop))
    deaths = adults * rate
    keys = np.round(c / BIN_WIDTH).astype(np.int64)
    unique, inverse = np.unique(keys, return_inverse=True)
    rows = []
    sums = [
        np.bincount(inverse, weights=w, minlength=len(unique)) for w in (c * pop, pop, adults, deaths, deaths * yll)
    ]
    for i in range(len(unique)):
        population_i = sums[1][i]
        centre = sums[0][i] / population_i if population_i else unique[i] * BIN_WIDTH
        rows.append(
            [round(float(centre), 4), float(population_i), float(sums[2][i]), float(sums[3][i]), float(sums[4][i])]
        )
    return rows


def _air_rows(bins: list[list[float]]) -> tuple[AirRows, np.ndarray, bool]:
    array = np.asarray(bins, dtype=float).reshape(-1, 5)
    adults, deaths = array[:, 2], array[:, 3]
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(adults > 0, deaths / adults, 0.0)
        yll = np.where(deaths > 0, array[:, 4] / deaths, 0.0)
    has_ages = bool(array[:, 4].sum() > 0)
    return AirRows.of(array[:, 0], adults, rate, yll if has_ages else None), array[:, 1], has_ages


def noise_sources(exposure: Mapping) -> dict[str, dict]:
    """Stored exposure per source type, road first. A result stored before exposures were split by
    source (no `sources` key) held road maps only: its bands are read as road."""
    sources = exposure.get("sources")
    if sources is None:
        if not exposure.get("lden") and not exposure.get("lnight"):
            return {}
        sources = {"road": {key: exposure.get(key, {}) for key in ("lden", "lnight", "exceedance")}}
    return {source: sources[source] for source in SOURCE_TYPES if source in sources}


def _above(bands: Mapping, indicator: str, limit, total: float) -> dict | None:
    if limit is None:
        return None
    population, lower_bound = share_above(bands.get(indicator, {}), indicator, limit.value)
    return {
        "threshold": limit.value,
        "unit": limit.unit,
        "reference": limit.reference,
        "population": population,
        "share": population / total if total else 0.0,
        "lower_bound": lower_bound,
    }


def diagnose(
    exposure: Mapping,
    air: Mapping[str, list],
    *,
    parameters: str = "spf2021",
    thresholds: str = "who",
    ihd_incidence_per_100k: float | None = None,
    monte_carlo: int = 0,
) -> dict:
    """Every figure of the dashboard. `exposure` is ExposureResult.as_dict(); `air` maps a pollutant
    to its bins (see `bin_air_exposure`). Noise figures are per source type: `noise[source]` holds the
    impacts with that source's curves (or `not_applicable` with the reason, for industry) and
    `above[source][indicator]` the population above that source's threshold (None when there is none)."""
    parameter_set = AIR_PARAMETER_SETS[parameters]
    limits = THRESHOLDS[thresholds]
    total = float(exposure.get("total_population", 0.0))
    sources = noise_sources(exposure)
    impacts = noise_impacts_by_source(sources, total_population=total, ihd_incidence_per_100k=ihd_incidence_per_100k)
    noise = {
        source: impact.as_dict() if impact is not None else {"not_applicable": NO_ERF_REASON[source]}
        for source, impact in impacts.items()
    }
    # Per source type and indicator; None where the family has no value for that source.
    above = {
        source: {
            indicator: _above(bands, indicator, NOISE_THRESHOLDS[thresholds][source][indicator], total)
            for indicator in INDICATORS
        }
        for source, bands in sources.items()
    }
    air_results = {}
    for pollutant in POLLUTANTS:
        bins = air.get(pollutant)
        if not bins:
            continue
        rows, population, has_ages = _air_rows(bins)
        impact = air_impact(rows, parameter_set.crfs[pollutant], monte_carlo=monte_carlo)
        threshold = limits[pollutant].value
        exposed = float(population[rows.concentration > threshold].sum())
        covered = float(population.sum())
        baseline = float((rows.baseline_death_rate * rows.population).sum())
        air_results[pollutant] = {
            **impact.as_dict(),
            "covered_population": covered,
            "baseline_deaths": baseline,
            "attributable_share": impact.attributable_deaths / baseline if baseline else 0.0,
            "has_age_data": has_ages,
            "above": {
                "threshold": threshold,
                "unit": limits[pollutant].unit,
                "reference": limits[pollutant].reference,
                "population": exposed,
                "share": exposed / covered if covered else 0.0,
            },
            "reference": parameter_set.crfs[pollutant].reference,
        }
    return {
        "total_population": total,
        "parameters": {"key": parameter_set.key, "label": parameter_set.label, "version": parameter_set.version},
        "noise_version": NOISE_VERSION,
        "thresholds": thresholds,
        "noise": noise,
        "above": above,
        "air": air_results,
    }


def compare(exposure_changes_from: Mapping, exposure_to: Mapping) -> dict:
    """Band-by-band difference between two exposures (what a new data vintage changed)."""
    changes: dict = {}
    for indicator in INDICATORS:
        before, after = exposure_changes_from.get(indicator, {}), exposure_to.get(indicator, {})
        changes[indicator] = {
            label: float(after.get(label, 0.0)) - float(before.get(label, 0.0)) for label in dict(before) | dict(after)
        }
    changes["total_population"] = float(exposure_to.get("total_population", 0.0)) - float(
        exposure_changes_from.get("total_population", 0.0)
    )
    return changes
