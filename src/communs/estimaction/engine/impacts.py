"""Health impacts of noise and air pollution, from exposure by band or by cell.

Noise (Directive (EU) 2020/367, WHO 2018): highly annoyed (HA) and highly sleep-disturbed (HSD)
from the band midpoints, ischaemic heart disease (IHD) through a population attributable fraction,
DALY with the WHO disability weights. Air (Santé publique France EQIS, WHO AirQ+): log-linear
relative risk above a counterfactual concentration, attributable fraction AF = (RR − 1)/RR,
attributable deaths per cell then summed; PM2.5 and NO2 are never added.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

import numpy as np

from communs.estimaction.engine.parameters import (
    AGE_BANDS,
    BANDS,
    DISABILITY_WEIGHTS,
    IHD,
    SOURCES_WITH_ERF,
    AirCrf,
    IhdParameters,
    band_by_label,
    noise_erf,
)

# --- Noise ---------------------------------------------------------------------------------------


def percent_highly_annoyed(level: float, source_type: str = "road") -> float:
    return noise_erf("highly_annoyed", source_type).percent(level)


def percent_highly_sleep_disturbed(level: float, source_type: str = "road") -> float:
    return noise_erf("highly_sleep_disturbed", source_type).percent(level)


def _band_midpoints(indicator: str, exposure: Mapping[str, float]) -> list[tuple[float, float]]:
    """(midpoint, population) of the mapped bands; "below the first band" carries no effect."""
    known = band_by_label(indicator)
    pairs = []
    for label, population in exposure.items():
        if label in known:
            pairs.append((known[label].midpoint, float(population)))
        elif not label.startswith("<"):
            raise ValueError(f"Unknown {indicator} band « {label} » (expected one of {', '.join(known)})")
    return pairs


def highly_annoyed(lden_exposure: Mapping[str, float], source_type: str = "road") -> float:
    """Σ population(band) × %HA(midpoint)/100 over the Lden bands."""
    erf = noise_erf("highly_annoyed", source_type)
    return sum(pop * erf.percent(mid) / 100 for mid, pop in _band_midpoints("lden", lden_exposure))


def highly_sleep_disturbed(lnight_exposure: Mapping[str, float], source_type: str = "road") -> float:
    erf = noise_erf("highly_sleep_disturbed", source_type)
    return sum(pop * erf.percent(mid) / 100 for mid, pop in _band_midpoints("lnight", lnight_exposure))


def ihd_relative_risk(
    level: float, rr_per_10db: float = IHD.rr_per_10db, threshold: float = IHD.threshold_db
) -> float:
    """RR = RR10^((L − 53)/10) above the threshold, 1 below it (never extrapolated below)."""
    if level <= threshold:
        return 1.0
    return rr_per_10db ** ((level - threshold) / 10)


def ihd_paf(
    lden_exposure: Mapping[str, float], total_population: float, rr_per_10db: float = IHD.rr_per_10db
) -> float:
    """PAF = Σ pᵢ(RRᵢ − 1) / (Σ pᵢ(RRᵢ − 1) + 1), pᵢ the share of the *whole* population in band i."""
    if total_population <= 0:
        return 0.0
    excess = sum(
        (pop / total_population) * (ihd_relative_risk(mid, rr_per_10db) - 1)
        for mid, pop in _band_midpoints("lden", lden_exposure)
    )
    return excess / (excess + 1)


@dataclass
class NoiseImpacts:
    highly_annoyed: float
    highly_sleep_disturbed: float
    ihd_paf: float
    ihd_attributable_cases: float
    ihd_ci_low: float
    ihd_ci_high: float
    daly: float
    daly_highly_annoyed: float
    daly_highly_sleep_disturbed: float
    out_of_validity: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _out_of_validity(indicator: str, outcome: str, exposure: Mapping[str, float], source_type: str) -> list[str]:
    erf = noise_erf(outcome, source_type)
    warnings = []
    for band in BANDS[indicator]:
        if exposure.get(band.label, 0) > 0 and band.midpoint > erf.valid_to:
            warnings.append(
                f"{indicator} {band.label} : point milieu {band.midpoint} dB au-delà du domaine de validité "
                f"de la courbe ({erf.valid_from:g}–{erf.valid_to:g} dB)"
            )
    return warnings


def noise_impacts(
    lden_exposure: Mapping[str, float] | None,
    lnight_exposure: Mapping[str, float] | None,
    *,
    total_population: float | None = None,
    ihd_incidence_per_100k: float | None = None,
    source_type: str = "road",
    ihd: IhdParameters = IHD,
) -> NoiseImpacts:
    """All noise impacts from exposure by band. `total_population` defaults to the sum over the Lden
    bands, including "below the first band" (the PAF is taken over the whole population)."""
    lden = dict(lden_exposure or {})
    lnight = dict(lnight_exposure or {})
    population = total_population if total_population is not None else sum(lden.values()) or sum(lnight.values())
    ha = highly_annoyed(lden, source_type) if lden else 0.0
    hsd = highly_sleep_disturbed(lnight, source_type) if lnight else 0.0
    incidence = (
        ihd_incidence_per_100k if ihd_incidence_per_100k is not None else ihd.default_incidence_per_100k
    ) / 1e5
    paf = ihd_paf(lden, population, ihd.rr_per_10db) if lden and source_type == "road" else 0.0
    paf_low = ihd_paf(lden, population, ihd.rr_low) if lden and source_type == "road" else 0.0
    paf_high = ihd_paf(lden, population, ihd.rr_high) if lden and source_type == "road" else 0.0
    daly_ha = ha * DISABILITY_WEIGHTS["highly_annoyed"]
    daly_hsd = hsd * DISABILITY_WEIGHTS["highly_sleep_disturbed"]
    warnings = _out_of_validity("lden", "highly_annoyed", lden, source_type) + _out_of_validity(
        "lnight", "highly_sleep_disturbed", lnight, source_type
    )
    return NoiseImpacts(
        highly_annoyed=ha,
        highly_sleep_disturbed=hsd,
        ihd_paf=paf,
        ihd_attributable_cases=paf * incidence * population,
        ihd_ci_low=paf_low * incidence * population,
        ihd_ci_high=paf_high * incidence * population,
        daly=daly_ha + daly_hsd,
        daly_highly_annoyed=daly_ha,
        daly_highly_sleep_disturbed=daly_hsd,
        out_of_validity=warnings,
    )


def noise_impacts_by_source(
    sources: Mapping[str, Mapping],
    *,
    total_population: float,
    ihd_incidence_per_100k: float | None = None,
) -> dict[str, NoiseImpacts | None]:
    """Impacts of each source type with its own curves (Directive (EU) 2020/367 Annex III): road, rail and
    aircraft HA/HSD, IHD for road only; None for a source without an exposure-response function
    (industry). `sources` maps a source type to {"lden": bands, "lnight": bands}. The figures of different
    sources are not added: the Directive assesses each source on its own."""
    return {
        source: noise_impacts(
            exposure.get("lden"),
            exposure.get("lnight"),
            total_population=total_population,
            ihd_incidence_per_100k=ihd_incidence_per_100k,
            source_type=source,
        )
        if source in SOURCES_WITH_ERF
        else None
        for source, exposure in sources.items()
    }


# --- Air -----------------------------------------------------------------------------------------


def air_relative_risk(concentration, rr10: float, c0: float):
    """RR = exp(ln(RR10)/10 · (C − C0)) above C0, 1 at or below it (works on scalars and arrays)."""
    delta = np.maximum(np.asarray(concentration, dtype=float) - c0, 0.0)
    rr = np.exp(math.log(rr10) / 10 * delta)
    return float(rr) if np.ndim(rr) == 0 else rr


def attributable_fraction(concentration, rr10: float, c0: float):
    """AF = (RR − 1)/RR."""
    rr = np.asarray(air_relative_risk(concentration, rr10, c0))
    af = (rr - 1) / rr
    return float(af) if np.ndim(af) == 0 else af


@dataclass(frozen=True)
class AirRows:
    """Per-cell (or per-row) air inputs: concentration (µg/m³), exposed population of the age group,
    and the baseline all-cause death rate of that group (deaths per person-year)."""

    concentration: np.ndarray
    population: np.ndarray
    baseline_death_rate: np.ndarray
    # Optional years of life lost per attributable death (from age data), same length.
    yll_per_death: np.ndarray | None = None

    @classmethod
    def of(cls, concentration: Sequence[float], population: Sequence[float], baseline_death_rate, yll=None):
        n = len(concentration)
        rate = np.broadcast_to(np.asarray(baseline_death_rate, dtype=float), (n,))
        return cls(
            np.asarray(concentration, dtype=float),
            np.asarray(population, dtype=float),
            np.asarray(rate, dtype=float),
            None if yll is None else np.asarray(yll, dtype=float),
        )


@dataclass
class AirImpact:
    pollutant: str
    attributable_deaths: float
    ci_low: float
    ci_high: float
    exposed_population: float
    population_weighted_concentration: float
    years_of_life_lost: float | None = None
    monte_carlo: dict | None = None
    c0: float = 0.0
    rr10: float = 0.0
    validity: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _deaths(rows: AirRows, rr10: float, c0: float) -> np.ndarray:
    return attributable_fraction(rows.concentration, rr10, c0) * rows.baseline_death_rate * rows.population


def monte_carlo_deaths(rows: AirRows, crf: AirCrf, *, draws: int = 2000, seed: int = 20260101) -> dict:
    """Propagate the RR uncertainty: ln(RR10) ~ Normal(ln RR, (ln hi − ln lo)/(2·1.96)), seeded."""
    rng = np.random.default_rng(seed)
    sigma = (math.log(crf.rr_high) - math.log(crf.rr_low)) / (2 * 1.959964)
    beta = rng.normal(math.log(crf.rr10), sigma, size=draws)  # ln RR per 10 µg/m³
    delta = np.maximum(rows.concentration - crf.c0, 0.0)
    weight = rows.baseline_death_rate * rows.population
    # deaths(draw) = Σ_cells (1 − exp(−β·Δ/10)) · rate · pop  (AF = 1 − 1/RR)
    totals = np.array([float(np.sum((1 - np.exp(-b / 10 * delta)) * weight)) for b in beta])
    return {
        "draws": draws,
        "seed": seed,
        "mean": float(totals.mean()),
        "p2_5": float(np.percentile(totals, 2.5)),
        "p50": float(np.percentile(totals, 50)),
        "p97_5": float(np.percentile(totals, 97.5)),
    }


def air_impact(rows: AirRows, crf: AirCrf, *, monte_carlo: int = 0, seed: int = 20260101) -> AirImpact:
    """Attributable deaths per row then summed, with the interval from the RR bounds."""
    deaths = _deaths(rows, crf.rr10, crf.c0)
    population = float(rows.population.sum())
    weighted = float((rows.concentration * rows.population).sum() / population) if population else 0.0
    yll = float((deaths * rows.yll_per_death).sum()) if rows.yll_per_death is not None else None
    return AirImpact(
        pollutant=crf.pollutant,
        attributable_deaths=float(deaths.sum()),
        ci_low=float(_deaths(rows, crf.rr_low, crf.c0).sum()),
        ci_high=float(_deaths(rows, crf.rr_high, crf.c0).sum()),
        exposed_population=population,
        population_weighted_concentration=weighted,
        years_of_life_lost=yll,
        monte_carlo=monte_carlo_deaths(rows, crf, draws=monte_carlo, seed=seed) if monte_carlo else None,
        c0=crf.c0,
        rr10=crf.rr10,
        validity=f"Aucun impact calculé sous {crf.c0:g} µg/m³ (concentration contrefactuelle, pas d'extrapolation).",
    )


def yll_per_death_from_ages(age_populations: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """From Filosofi adult age columns: per cell, the expected baseline death rate of the adult group
    and the years of life lost per death (death-weighted remaining life expectancy)."""
    columns = [column for column in AGE_BANDS if column in age_populations]
    adults = sum(np.asarray(age_populations[c], dtype=float) for c in columns)
    deaths = sum(np.asarray(age_populations[c], dtype=float) * AGE_BANDS[c]["death_rate"] for c in columns)
    years = sum(
        np.asarray(age_populations[c], dtype=float) * AGE_BANDS[c]["death_rate"] * AGE_BANDS[c]["life_expectancy"]
        for c in columns
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(adults > 0, deaths / adults, 0.0)
        yll = np.where(deaths > 0, years / deaths, 0.0)
    return rate, yll
