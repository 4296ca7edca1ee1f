"""API schemas of Estim'Action (mapped to the engine's dataclasses and the diagnosis dictionary)."""

from datetime import datetime

from ninja import Field, Schema


class DatasetOut(Schema):
    id: int
    kind: str
    name: str
    producer: str
    vintage: int
    coverage: str
    status: str
    features: int
    imported_at: datetime
    last_checked_at: datetime


class NoiseImpactsOut(Schema):
    highly_annoyed: float
    highly_sleep_disturbed: float
    ihd_paf: float
    ihd_attributable_cases: float
    ihd_ci_low: float
    ihd_ci_high: float
    daly: float
    daly_highly_annoyed: float
    daly_highly_sleep_disturbed: float
    out_of_validity: list[str]


class NoiseNotApplicableOut(Schema):
    not_applicable: str = Field(description="Pourquoi aucun impact n'est calculé pour cette source (industrie)")


class AirImpactOut(Schema):
    pollutant: str
    attributable_deaths: float
    ci_low: float
    ci_high: float
    exposed_population: float
    population_weighted_concentration: float
    years_of_life_lost: float | None = None
    monte_carlo: dict | None = None
    c0: float
    rr10: float
    validity: str


class TerritoryAirOut(AirImpactOut):
    covered_population: float
    baseline_deaths: float
    attributable_share: float
    has_age_data: bool
    above: dict
    reference: str


class TerritoryOut(Schema):
    level: str
    code: str
    name: str
    computed_at: datetime
    total_population: float
    exposure: dict[str, dict[str, float]] = Field(
        description="Population par bande, par indicateur (lden, lnight), toutes sources confondues "
        "(en chaque lieu la bande la plus élevée des sources)"
    )
    exceedance: dict[str, float] = Field(description="Population dans les zones de type C, toutes sources")
    exposure_by_source: dict[str, dict[str, dict[str, float]]] = Field(
        description="Par type de source (road, rail, aircraft, industry) : lden, lnight et exceedance"
    )
    above_thresholds: dict = Field(
        description="Par type de source puis par indicateur : population au-delà du seuil de la source (null si "
        "aucun seuil)"
    )
    noise: dict[str, NoiseImpactsOut | NoiseNotApplicableOut] = Field(
        description="Impacts par type de source, chacun avec ses fonctions (Directive (UE) 2020/367) ; "
        "à ne pas additionner entre sources"
    )
    air: dict[str, TerritoryAirOut]
    parameters: dict
    datasets: dict


class AirRowIn(Schema):
    pollutant: str = Field(pattern="^(pm25|no2)$")
    concentration: float = Field(ge=0)
    population: float = Field(ge=0)
    baseline_death_rate: float = Field(ge=0, le=1)


class ImpactsIn(Schema):
    lden: dict[str, float] | None = Field(None, description='Population par bande Lden, par exemple {"65-70": 2000}')
    lnight: dict[str, float] | None = None
    source_type: str = Field("road", pattern="^(road|rail|aircraft)$", description="Source du bruit (courbes)")
    air: list[AirRowIn] = []
    parameters: str = Field("spf2021", pattern="^(spf2021|who2021|who2018)$")
    ihd_incidence: float | None = Field(None, ge=0, le=100_000)
    monte_carlo: int = Field(0, ge=0, le=20_000)


class ImpactsOut(Schema):
    noise: NoiseImpactsOut
    air: dict[str, AirImpactOut]
    parameters: str
