"""Versioned parameter sets of Estim'Action, each with its source.

Everything a health-impact figure depends on lives here: noise bands, exposure-response functions
(ERFs), relative risks with their confidence bounds, counterfactual concentrations, disability
weights and thresholds. Changing a value means adding a new version, never editing a published one,
so that a figure can always be traced to the parameters that produced it.
"""

from dataclasses import dataclass, field

# --- Noise bands (END / CNIG "cartes de bruit stratégiques", type A zones) --------------------------


@dataclass(frozen=True)
class Band:
    """A 5 dB noise band; `upper` is None for the open top band (≥ 75 dB Lden, ≥ 70 dB Ln)."""

    label: str
    lower: float
    upper: float | None

    @property
    def midpoint(self) -> float:
        # The open top band gets the midpoint of a 5 dB band, as in Directive (EU) 2020/367 Annex III.
        return self.lower + 2.5


def _bands(lowest: int, count: int) -> tuple[Band, ...]:
    bands = [Band(f"{low}-{low + 5}", low, low + 5) for low in range(lowest, lowest + 5 * (count - 1), 5)]
    top = lowest + 5 * (count - 1)
    return (*bands, Band(f">={top}", top, None))


INDICATORS = ("lden", "lnight")
BANDS: dict[str, tuple[Band, ...]] = {"lden": _bands(55, 5), "lnight": _bands(50, 5)}
BELOW = {"lden": "<55", "lnight": "<50"}


def band_labels(indicator: str) -> list[str]:
    """Every label of an indicator, "below the first band" first: ["<55", "55-60", …, ">=75"]."""
    return [BELOW[indicator], *(band.label for band in BANDS[indicator])]


def band_by_label(indicator: str) -> dict[str, Band]:
    return {band.label: band for band in BANDS[indicator]}


# --- Noise sources ------------------------------------------------------------------------------------

# Strategic noise maps are made per source type (CNIG `TYPESOURCE`: R, F, A, I). Directive (EU) 2020/367
# Annex III gives exposure-response functions for road, rail and aircraft noise only, each applied to the
# exposure to that source alone: figures are computed and shown per source, never summed across sources
# (the same person can be annoyed by a road and by a railway; the Directive has no combination rule).
SOURCE_TYPES = ("road", "rail", "aircraft", "industry")
SOURCE_LABELS = {"road": "route", "rail": "voie ferrée", "aircraft": "aérodrome", "industry": "industrie"}
SOURCES_WITH_ERF = ("road", "rail", "aircraft")
NO_ERF_REASON = {
    "industry": "pas de fonction exposition-risque pour le bruit industriel dans les lignes directrices OMS 2018 "
    "ni dans la Directive (UE) 2020/367 (annexe III : route, fer, avion) : exposition seule, sans impact calculé",
}


# --- Noise exposure-response functions --------------------------------------------------------------


@dataclass(frozen=True)
class QuadraticErf:
    """%effect = a + b·L + c·L², applied only within [valid_from, valid_to] dB (never extrapolated below)."""

    outcome: str  # "highly_annoyed" | "highly_sleep_disturbed"
    source_type: str  # "road" | "rail" | "aircraft"
    indicator: str  # "lden" | "lnight"
    a: float
    b: float
    c: float
    valid_from: float
    valid_to: float
    reference: str

    def percent(self, level: float) -> float:
        if level < self.valid_from:
            return 0.0
        return max(0.0, self.a + self.b * level + self.c * level * level)


_DIRECTIVE = "Directive (UE) 2020/367, annexe III ; OMS, Environmental Noise Guidelines for the European Region, 2018"

NOISE_ERFS: tuple[QuadraticErf, ...] = (
    # Guski et al. 2017 (WHO systematic review on annoyance), as transposed in Directive 2020/367.
    QuadraticErf("highly_annoyed", "road", "lden", 78.9270, -3.1162, 0.0342, 40, 80, _DIRECTIVE),
    QuadraticErf("highly_annoyed", "rail", "lden", 38.1596, -2.05538, 0.0285, 40, 80, _DIRECTIVE),
    QuadraticErf("highly_annoyed", "aircraft", "lden", -50.9693, 1.0168, 0.0072, 40, 75, _DIRECTIVE),
    # Basner & McGuire 2018 (WHO systematic review on sleep), as transposed in Directive 2020/367.
    QuadraticErf("highly_sleep_disturbed", "road", "lnight", 19.4312, -0.9336, 0.0126, 40, 65, _DIRECTIVE),
    QuadraticErf("highly_sleep_disturbed", "rail", "lnight", 67.5406, -3.1852, 0.0391, 40, 65, _DIRECTIVE),
    QuadraticErf("highly_sleep_disturbed", "aircraft", "lnight", 16.7885, -0.9293, 0.0198, 40, 65, _DIRECTIVE),
)


def noise_erf(outcome: str, source_type: str = "road") -> QuadraticErf:
    for erf in NOISE_ERFS:
        if erf.outcome == outcome and erf.source_type == source_type:
            return erf
    raise KeyError(f"No ERF for {outcome} / {source_type}")


@dataclass(frozen=True)
class IhdParameters:
    """Ischaemic heart disease from road traffic noise: RR per 10 dB Lden above a threshold (van Kempen 2018)."""

    rr_per_10db: float = 1.08
    rr_low: float = 1.01
    rr_high: float = 1.15
    threshold_db: float = 53.0
    default_incidence_per_100k: float = 300.0
    reference: str = _DIRECTIVE + " ; van Kempen et al. 2018, Int J Environ Res Public Health"


IHD = IhdParameters()

# Disability weights for DALY (WHO 2011, Burden of disease from environmental noise).
DISABILITY_WEIGHTS = {"highly_annoyed": 0.02, "highly_sleep_disturbed": 0.07}
DALY_REFERENCE = "OMS Europe 2011, Burden of disease from environmental noise (poids d'incapacité 0,02 et 0,07)"


# --- Air pollution: log-linear concentration-response functions --------------------------------------


@dataclass(frozen=True)
class AirCrf:
    pollutant: str  # "pm25" | "no2"
    rr10: float  # relative risk of all-cause (non-accidental) mortality per 10 µg/m³
    rr_low: float
    rr_high: float
    c0: float  # counterfactual concentration (µg/m³): no impact computed below it
    age_group: str  # population the baseline mortality applies to
    reference: str


@dataclass(frozen=True)
class AirParameterSet:
    key: str
    label: str
    version: str
    crfs: dict[str, AirCrf] = field(default_factory=dict)
    reference: str = ""


AIR_PARAMETER_SETS: dict[str, AirParameterSet] = {
    "spf2021": AirParameterSet(
        key="spf2021",
        label="Santé publique France 2021 (EQIS)",
        version="spf2021-v1",
        crfs={
            "pm25": AirCrf(
                "pm25",
                1.15,
                1.05,
                1.25,
                5.0,
                "adults",
                "Pascal et al. / Santé publique France 2016, 2021 (cohorte Gazel)",
            ),
            "no2": AirCrf("no2", 1.023, 1.008, 1.037, 10.0, "adults", "Santé publique France 2021, EQIS NO2"),
        },
        reference="Santé publique France, Impact de la pollution de l'air ambiant sur la mortalité en France "
        "métropolitaine, 2021 ; guide EQIS 2019",
    ),
    "who2021": AirParameterSet(
        key="who2021",
        label="OMS 2021 (lignes directrices qualité de l'air)",
        version="who2021-v1",
        crfs={
            "pm25": AirCrf("pm25", 1.08, 1.06, 1.09, 5.0, "adults", "Chen & Hoek 2020, Environ Int 143:105974"),
            "no2": AirCrf("no2", 1.02, 1.01, 1.04, 10.0, "adults", "Huangfu & Atkinson 2020, Environ Int 144:105998"),
        },
        reference="OMS, WHO global air quality guidelines, 2021",
    ),
}
# The CLI's names for the parameter sets, as the issue spells them.
PARAMETER_ALIASES = {"who2018": "who2021", "spf2021": "spf2021", "who2021": "who2021"}
DEFAULT_AIR_PARAMETERS = "spf2021"
POLLUTANTS = ("pm25", "no2")
POLLUTANT_LABELS = {"pm25": "PM2,5", "no2": "NO₂"}

# Share of the population aged 25 and over, used as the "adults" group when the grid has no age
# columns (INSEE population estimates 2024, France: ≈ 69 %). Filosofi's age bands start at 25, the
# closest to the 30+ cohorts of the risk functions.
ADULT_SHARE_DEFAULT = 0.69
ADULT_AGE_COLUMNS = ("ind_25_39", "ind_40_54", "ind_55_64", "ind_65_79", "ind_80p")

# Remaining life expectancy (years) at the middle of each Filosofi adult age band, France both sexes,
# rounded from INSEE life tables 2019-2021; with the all-cause death rate of the band (per person-year).
# Used only for years of life lost when the grid carries age columns.
AGE_BANDS = {
    "ind_25_39": {"life_expectancy": 50.0, "death_rate": 0.0007},
    "ind_40_54": {"life_expectancy": 36.0, "death_rate": 0.0025},
    "ind_55_64": {"life_expectancy": 26.0, "death_rate": 0.0070},
    "ind_65_79": {"life_expectancy": 16.0, "death_rate": 0.0200},
    "ind_80p": {"life_expectancy": 7.0, "death_rate": 0.0900},
}
DEFAULT_ADULT_DEATH_RATE = 0.0125  # all-cause deaths per adult (25+) per year, France ≈ 1.25 %


# --- Thresholds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Threshold:
    key: str
    value: float
    unit: str
    reference: str


THRESHOLDS: dict[str, dict[str, Threshold]] = {
    "who": {
        "lden": Threshold("lden", 53, "dB(A)", "OMS 2018, trafic routier, Lden"),
        "lnight": Threshold("lnight", 45, "dB(A)", "OMS 2018, trafic routier, Lnight"),
        "pm25": Threshold("pm25", 5, "µg/m³", "OMS 2021, moyenne annuelle"),
        "no2": Threshold("no2", 10, "µg/m³", "OMS 2021, moyenne annuelle"),
    },
    "regulatory": {
        # Arrêté du 4 avril 2006, article 7 : valeurs limites des routes (Lden 68, Ln 62).
        "lden": Threshold("lden", 68, "dB(A)", "Arrêté du 4 avril 2006, art. 7 (routes)"),
        "lnight": Threshold("lnight", 62, "dB(A)", "Arrêté du 4 avril 2006, art. 7 (routes)"),
        # Code de l'environnement, art. R221-1 : valeurs limites annuelles.
        "pm25": Threshold("pm25", 25, "µg/m³", "Code de l'environnement, art. R221-1"),
        "no2": Threshold("no2", 40, "µg/m³", "Code de l'environnement, art. R221-1"),
    },
}
THRESHOLD_LABELS = {"who": "valeurs guides OMS", "regulatory": "valeurs limites réglementaires"}

# Per source type, Lden and Lnight. WHO 2018 recommendations (road 53/45, rail 54/44, aircraft 45/40 dB;
# none for industry). Arrêté du 4 avril 2006, art. 7: road and high-speed lines 68/62, conventional rail
# 73/65 (the maps do not say whether a line is high-speed: the conventional value is used), aerodromes
# Lden 55 (no Lnight value), industry 71/60.
_WHO_NOISE = "OMS 2018, Environmental Noise Guidelines for the European Region"
_ARRETE = "Arrêté du 4 avril 2006, art. 7"
NOISE_THRESHOLDS: dict[str, dict[str, dict[str, Threshold | None]]] = {
    "who": {
        "road": {
            "lden": Threshold("lden", 53, "dB(A)", f"{_WHO_NOISE}, trafic routier"),
            "lnight": Threshold("lnight", 45, "dB(A)", f"{_WHO_NOISE}, trafic routier"),
        },
        "rail": {
            "lden": Threshold("lden", 54, "dB(A)", f"{_WHO_NOISE}, trafic ferroviaire"),
            "lnight": Threshold("lnight", 44, "dB(A)", f"{_WHO_NOISE}, trafic ferroviaire"),
        },
        "aircraft": {
            "lden": Threshold("lden", 45, "dB(A)", f"{_WHO_NOISE}, trafic aérien"),
            "lnight": Threshold("lnight", 40, "dB(A)", f"{_WHO_NOISE}, trafic aérien"),
        },
        "industry": {"lden": None, "lnight": None},
    },
    "regulatory": {
        "road": {
            "lden": Threshold("lden", 68, "dB(A)", f"{_ARRETE} (routes et lignes à grande vitesse)"),
            "lnight": Threshold("lnight", 62, "dB(A)", f"{_ARRETE} (routes et lignes à grande vitesse)"),
        },
        "rail": {
            "lden": Threshold("lden", 73, "dB(A)", f"{_ARRETE} (voies ferrées conventionnelles)"),
            "lnight": Threshold("lnight", 65, "dB(A)", f"{_ARRETE} (voies ferrées conventionnelles)"),
        },
        "aircraft": {
            "lden": Threshold("lden", 55, "dB(A)", f"{_ARRETE} (aérodromes)"),
            "lnight": None,
        },
        "industry": {
            "lden": Threshold("lden", 71, "dB(A)", f"{_ARRETE} (activités industrielles)"),
            "lnight": Threshold("lnight", 60, "dB(A)", f"{_ARRETE} (activités industrielles)"),
        },
    },
}

# v2: impacts and thresholds per source type (rail and aircraft curves applied to rail and aircraft maps).
NOISE_VERSION = "who2018-noise-v2"


# --- National references shown next to a territory's figures -------------------------------------------


@dataclass(frozen=True)
class NationalReference:
    key: str
    label: str
    value: float  # a share (0–1)
    reference: str


NATIONAL_REFERENCES = {
    "pm25": NationalReference(
        "pm25",
        "Part de la mortalité attribuable aux PM2,5, France métropolitaine 2016-2019",
        0.07,
        "Santé publique France 2021 : près de 40 000 décès par an, 7 % de la mortalité totale",
    ),
    "no2": NationalReference(
        "no2",
        "Part de la mortalité attribuable au NO₂, France métropolitaine 2016-2019",
        0.01,
        "Santé publique France 2021 : près de 7 000 décès par an, 1 % de la mortalité totale",
    ),
    "lden": NationalReference(
        "lden",
        "Part de la population exposée au bruit routier ≥ 55 dB Lden, Union européenne",
        0.20,
        "Agence européenne pour l'environnement, Environmental noise in Europe 2020 : au moins 20 %",
    ),
}
