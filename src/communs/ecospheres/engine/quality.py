"""Metadata quality score, with the criteria data.gouv.fr uses (udata's `Dataset.quality`,
https://github.com/opendatateam/udata, `udata/core/dataset/models.py`), each named with how to fix it.

The score is the number of criteria passed, out of `len(CRITERIA)`. Criteria ids are udata's.
"Update respected" allows `UPDATE_SLACK` (one day) beyond the declared period.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from communs.ecospheres.engine.identifiers import normalise_url
from communs.ecospheres.engine.records import FREQUENCIES, OPEN_FORMATS, DatasetRecord

DESCRIPTION_MIN_LENGTH = 100  # udata's QUALITY_DESCRIPTION_LENGTH setting
UPDATE_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    advice: str
    check: Callable[[DatasetRecord, date, dict[str, bool]], bool]


def _update_in_time(record: DatasetRecord, today: date, _availability) -> bool:
    period = FREQUENCIES.get(record.frequency, ("", None))[1]
    if not record.frequency:
        return False
    if period is None:
        return True  # irregular, never, unknown: nothing was promised
    if record.modified is None:
        return False
    return today <= record.modified + timedelta(days=period) + UPDATE_SLACK


def _available(record: DatasetRecord, _today, availability: dict[str, bool]) -> bool:
    if not record.distributions:
        return False
    return all(availability.get(normalise_url(d.url), True) for d in record.distributions)


CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "dataset_description_quality",
        "Description suffisante",
        f"Décrivez le jeu de données en au moins {DESCRIPTION_MIN_LENGTH} caractères : contenu, méthode, "
        "couverture, limites.",
        lambda r, t, a: len(r.description.strip()) >= DESCRIPTION_MIN_LENGTH,
    ),
    Criterion(
        "license",
        "Licence",
        "Indiquez une licence (Licence Ouverte Etalab 2.0, ODbL…) pour dire ce que chacun peut faire des données.",
        lambda r, t, a: bool(r.license.strip()),
    ),
    Criterion(
        "temporal_coverage",
        "Couverture temporelle",
        "Renseignez la période couverte par les données (dates de début et de fin).",
        lambda r, t, a: r.temporal_start is not None,
    ),
    Criterion(
        "spatial",
        "Couverture spatiale",
        "Renseignez la couverture géographique (territoires INSEE ou emprise).",
        lambda r, t, a: bool(r.territories) or r.bbox is not None,
    ),
    Criterion(
        "update_frequency",
        "Fréquence de mise à jour déclarée",
        "Déclarez la fréquence de mise à jour (annuelle, mensuelle…), ou « irrégulière ».",
        lambda r, t, a: bool(r.frequency) and r.frequency != "UNKNOWN",
    ),
    Criterion(
        "update_fulfilled_in_time",
        "Mise à jour respectée",
        "Mettez à jour les données (et la date de modification) au rythme annoncé, ou corrigez la fréquence.",
        _update_in_time,
    ),
    Criterion(
        "has_resources",
        "Au moins une ressource",
        "Ajoutez au moins une distribution (fichier ou service) à télécharger ou à interroger.",
        lambda r, t, a: bool(r.distributions),
    ),
    Criterion(
        "has_open_format",
        "Format ouvert",
        "Publiez au moins une ressource dans un format ouvert (CSV, JSON, GeoJSON, GeoPackage, WFS…).",
        lambda r, t, a: any(d.format in OPEN_FORMATS for d in r.distributions),
    ),
    Criterion(
        "all_resources_available",
        "Ressources disponibles",
        "Corrigez les liens des ressources qui ne répondent plus lors du dernier contrôle.",
        _available,
    ),
    Criterion(
        "resources_documentation",
        "Ressources documentées",
        "Donnez à chaque ressource un titre et une description.",
        lambda r, t, a: bool(r.distributions) and all(d.title and d.description for d in r.distributions),
    ),
)

CRITERIA_BY_ID = {c.id: c for c in CRITERIA}


@dataclass
class QualityResult:
    score: int
    max: int
    criteria: list[dict]

    def as_dict(self) -> dict:
        return {"score": self.score, "max": self.max, "criteria": self.criteria}

    @property
    def band(self) -> str:
        return band(self.score, self.max)


def band(score: int, maximum: int) -> str:
    """The quality facet: bonne ≥ 80 %, moyenne ≥ 50 %, faible below."""
    ratio = score / maximum if maximum else 0
    return "bonne" if ratio >= 0.8 else "moyenne" if ratio >= 0.5 else "faible"


def evaluate(record: DatasetRecord, today: date, availability: dict[str, bool] | None = None) -> QualityResult:
    rows = []
    for criterion in CRITERIA:
        passed = bool(criterion.check(record, today, availability or {}))
        rows.append({"id": criterion.id, "label": criterion.label, "passed": passed, "advice": criterion.advice})
    return QualityResult(sum(r["passed"] for r in rows), len(CRITERIA), rows)
