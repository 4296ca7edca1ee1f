"""Targeting: a transparent additive risk score per establishment over a rolling 24 months.

score = Σ weight × feature, each feature in [0, 1], weights published below (they sum to 100).
Features describe the establishment's use of contracts, never a person: no personal attribute
is a feature. Each score lists its reasons (contribution, value, peer median, articles). The
algorithm version, the weights and the data month go with every ranking (CRPA L311-3-1, L312-1-3).
The inspector decides; the score only ranks.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

from communs.champollion.engine.consolidation import Contract, Establishment, month_end
from communs.champollion.engine.rules import INFRACTION, Finding, add_months

ALGORITHM_VERSION = "ciblage-1.0"
WINDOW_MONTHS = 24
VERY_SHORT_DAYS = 7
MIN_PEERS = 5


@dataclass(frozen=True)
class Feature:
    id: str
    weight: int
    label: str
    description: str
    articles: tuple[str, ...] = ()


FEATURES: tuple[Feature, ...] = (
    Feature(
        "precarity_rate",
        15,
        "Taux de précarité",
        "Jours de CDD et de CTT rapportés à l'ensemble des jours de contrat sur 24 mois.",
        ("L1242-1", "L1251-5"),
    ),
    Feature(
        "precarity_percentile",
        15,
        "Rang parmi les pairs",
        "Rang centile du taux de précarité parmi les établissements de même activité (NAF), même région et "
        "même tranche d'effectif (tous les établissements si moins de 5 pairs).",
        ("L1242-1",),
    ),
    Feature(
        "findings_rate",
        30,
        "Constats par contrat",
        "Constats des règles par contrat précaire (infraction = 1, à vérifier = 0,5), plafonné à 1.",
        ("L1244-3-1", "L1243-13-1", "L1242-8-1", "L1243-11"),
    ),
    Feature(
        "ata_share",
        10,
        "Part d'accroissement temporaire d'activité",
        "Part des contrats précaires au motif « accroissement temporaire d'activité » (02).",
        ("L1242-2",),
    ),
    Feature(
        "replacement_without_absence",
        10,
        "Remplacements sans absence déclarée",
        "Part des contrats de remplacement sans arrêt (S21.G00.60) ni suspension (S21.G00.65) déclaré sur le "
        "même poste à la même période.",
        ("L1242-2",),
    ),
    Feature(
        "very_short_share",
        10,
        "Contrats très courts",
        f"Part des contrats précaires de {VERY_SHORT_DAYS} jours ou moins.",
        ("L1242-1",),
    ),
    Feature(
        "interim_intensity",
        10,
        "Intensité d'intérim",
        "Jours de mission d'intérim rapportés à l'ensemble des jours de contrat sur 24 mois.",
        ("L1251-5",),
    ),
)
WEIGHTS = {f.id: f.weight for f in FEATURES}


@dataclass
class EstablishmentScore:
    siret: str
    risk_score: float
    features: dict[str, float]
    reasons: list[dict] = field(default_factory=list)
    peer_group: str = ""
    contracts: int = 0
    precarious_contracts: int = 0
    findings: int = 0

    def as_dict(self) -> dict:
        return {
            "siret": self.siret,
            "risk_score": self.risk_score,
            "peer_group": self.peer_group,
            "contracts": self.contracts,
            "precarious_contracts": self.precarious_contracts,
            "findings": self.findings,
            "features": self.features,
            "reasons": self.reasons,
        }


def size_class(headcount: int | None) -> str:
    if headcount is None:
        return "?"
    for bound, label in ((10, "0-9"), (50, "10-49"), (250, "50-249")):
        if headcount < bound:
            return label
    return "250+"


def _percentile_rank(value: float, values: list[float]) -> float:
    """Share of the group at or below `value` (ties counted half), in [0, 1]."""
    below = sum(1 for v in values if v < value)
    equal = sum(1 for v in values if v == value)
    return round((below + 0.5 * equal) / len(values), 4) if values else 0.0


def score_establishments(
    contracts: list[Contract],
    findings: list[Finding],
    establishments: dict[str, Establishment],
    data_month: date | None,
    region_of=None,
) -> list[EstablishmentScore]:
    """Score every establishment having contracts in the window; highest risk first."""
    if not contracts:
        return []
    data_month = data_month or max(c.months[-1] for c in contracts)
    raw, counts, findings_by_siret = raw_features(contracts, findings, data_month)
    return _scores(raw, counts, findings_by_siret, establishments, region_of, only=None)


def rescore(
    contracts: list[Contract],
    findings: list[Finding],
    establishments: dict[str, Establishment],
    data_month: date,
    region_of,
    peers: dict[str, dict[str, float]],
) -> list[EstablishmentScore]:
    """Score only the establishments of `contracts` against `peers`, the stored raw features of the
    others (siret → features): an inspector's edit on one establishment recomputes that one.

    The others keep their stored scores; their percentiles against the edited establishment are
    refreshed by the next full analysis (an import)."""
    raw, counts, findings_by_siret = raw_features(contracts, findings, data_month)
    combined = {siret: features for siret, features in peers.items() if siret not in raw}
    combined.update(raw)
    return _scores(combined, counts, findings_by_siret, establishments, region_of, only=set(raw))


def raw_features(contracts: list[Contract], findings: list[Finding], data_month: date):
    """Per analysed establishment: its features (before percentiles), its (contracts, precarious)
    counts over the window ending with `data_month`, and its findings."""
    window_end = month_end(data_month)
    window_start = add_months(window_end + timedelta(days=1), -WINDOW_MONTHS)
    per_siret: dict[str, list[Contract]] = defaultdict(list)
    for contract in contracts:
        if contract.last_day >= window_start and contract.start <= window_end:
            per_siret[contract.analysis_siret].append(contract)
    findings_by_siret: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        findings_by_siret[finding.siret].append(finding)
    raw: dict[str, dict[str, float]] = {}
    counts: dict[str, tuple[int, int]] = {}
    for siret, group in per_siret.items():
        raw[siret], counts[siret] = _features(group, findings_by_siret[siret], window_start, window_end)
    return raw, counts, findings_by_siret


def _scores(raw, counts, findings_by_siret, establishments, region_of, only) -> list[EstablishmentScore]:
    def peer_key(siret: str) -> str:
        est = establishments.get(siret) or Establishment(siret)
        region = region_of(est.departement) if region_of else est.departement
        return f"{est.naf or '?'}|{region or '?'}|{size_class(est.headcount)}"

    keys = {siret: peer_key(siret) for siret in raw}
    groups: dict[str, list[str]] = defaultdict(list)
    for siret in raw:
        groups[keys[siret]].append(siret)
    everyone = [raw[s]["precarity_rate"] for s in raw]
    scores = []
    for siret, features in raw.items():
        if only is not None and siret not in only:
            continue
        key = keys[siret]
        peers = groups[key] if len(groups[key]) >= MIN_PEERS else list(raw)
        features["precarity_percentile"] = _percentile_rank(
            features["precarity_rate"], [raw[s]["precarity_rate"] for s in peers] if peers else everyone
        )
        reasons = []
        for feature in FEATURES:
            value = features[feature.id]
            peer_values = [raw[s][feature.id] for s in peers if feature.id in raw[s]]
            reasons.append(
                {
                    "feature": feature.id,
                    "label": feature.label,
                    "value": round(value, 4),
                    "weight": feature.weight,
                    "contribution": round(feature.weight * value, 2),
                    "peer_median": round(median(peer_values), 4) if peer_values else None,
                    "articles": list(feature.articles),
                    "evidence": _evidence(feature.id, findings_by_siret[siret]),
                }
            )
        reasons.sort(key=lambda r: -r["contribution"])
        total, precarious = counts[siret]
        scores.append(
            EstablishmentScore(
                siret=siret,
                risk_score=round(sum(r["contribution"] for r in reasons), 2),
                features={k: round(v, 4) for k, v in features.items()},
                reasons=reasons,
                peer_group=key if len(groups[key]) >= MIN_PEERS else "tous",
                contracts=total,
                precarious_contracts=precarious,
                findings=len(findings_by_siret[siret]),
            )
        )
    scores.sort(key=lambda s: (-s.risk_score, s.siret))
    return scores


def _features(group: list[Contract], findings: list[Finding], start: date, end: date):
    all_days = precarious_days = interim_days = 0
    precarious = [c for c in group if c.precarious]
    for contract in group:
        days = (min(contract.last_day, end) - max(contract.start, start)).days + 1
        all_days += days
        if contract.precarious:
            precarious_days += days
        if contract.nature == "03":
            interim_days += days
    weight = sum(1.0 if f.status == INFRACTION else 0.5 for f in findings)
    replacements = [c for c in precarious if c.motif == "01"]
    absences = defaultdict(list)
    for contract in group:
        for absence in contract.absences:
            absences[contract.poste].append(absence)
    unexplained = sum(1 for c in replacements if not _absence_near(c, absences[c.poste]))
    features = {
        "precarity_rate": precarious_days / all_days if all_days else 0.0,
        "findings_rate": min(1.0, weight / len(precarious)) if precarious else 0.0,
        "ata_share": sum(1 for c in precarious if c.motif == "02") / len(precarious) if precarious else 0.0,
        "replacement_without_absence": unexplained / len(replacements) if replacements else 0.0,
        "very_short_share": sum(1 for c in precarious if c.duration_days <= VERY_SHORT_DAYS) / len(precarious)
        if precarious
        else 0.0,
        "interim_intensity": interim_days / all_days if all_days else 0.0,
    }
    return features, (len(group), len(precarious))


def _absence_near(contract: Contract, absences) -> bool:
    for absence in absences:
        a_start = absence.start or date.min
        a_end = absence.end or date.max
        if a_start - timedelta(days=31) <= contract.start <= a_end + timedelta(days=1):
            return True
    return False


def _evidence(feature: str, findings: list[Finding]) -> list[dict]:
    if feature != "findings_rate":
        return []
    return [{"rule": f.rule, "status": f.status, "contract": f.contract, "article": f.article} for f in findings[:5]]
