"""Reads of Estim'Action: datasets, computed territories, the territories a code designates.

Results are aggregated figures (no nominative data): anyone may read them. Writing is scoped in
`services.py`.
"""

from django.db.models import QuerySet

from communs.estimaction.engine.parameters import SOURCE_TYPES
from communs.estimaction.models import Dataset, DatasetKind, DatasetStatus, TerritoryLevel, TerritoryResult
from communs.territoires import selectors as territoires


def active_datasets() -> dict[str, Dataset]:
    """The dataset in force for each kind (the latest vintage imported)."""
    found: dict[str, Dataset] = {}
    for dataset in Dataset.objects.filter(status=DatasetStatus.ACTIVE).order_by("kind", "-vintage", "-imported_at"):
        found.setdefault(dataset.kind, dataset)
    return found


def noise_datasets_in_force() -> dict[str, Dataset]:
    """For each noise source type, the noise map in force: the latest active map holding that source."""
    found: dict[str, Dataset] = {}
    active = Dataset.objects.filter(kind=DatasetKind.NOISE, status=DatasetStatus.ACTIVE)
    for dataset in active.order_by("-vintage", "-imported_at"):
        for source in dataset.source_types or ["road"]:
            found.setdefault(source, dataset)
    return {source: found[source] for source in SOURCE_TYPES if source in found}


def datasets_in_force() -> dict[str, Dataset]:
    """What a computation uses, keyed "population", "pm25", "no2" and "bruit:<source type>"."""
    found = {kind: d for kind, d in active_datasets().items() if kind != DatasetKind.NOISE}
    found.update({f"{DatasetKind.NOISE}:{source}": d for source, d in noise_datasets_in_force().items()})
    return found


def list_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.select_related("imported_by").order_by("kind", "-vintage", "-imported_at")


def list_results() -> QuerySet[TerritoryResult]:
    return TerritoryResult.objects.defer("cells", "air").order_by("level", "name")


def get_result(level: str, code: str) -> TerritoryResult | None:
    return TerritoryResult.objects.filter(level=level, code=code).first()


def territory_name(level: str, code: str) -> str | None:
    getter = {
        TerritoryLevel.COMMUNE: territoires.get_commune,
        TerritoryLevel.EPCI: territoires.get_epci,
        TerritoryLevel.DEPARTEMENT: territoires.get_departement,
    }.get(level)
    territory = getter(code) if getter else None
    return territory.nom if territory else None


def territory_communes(level: str, code: str) -> list[tuple[str, str]]:
    """(commune code, département code) of every commune of the territory."""
    if level == TerritoryLevel.COMMUNE:
        commune = territoires.get_commune(code)
        return [(commune.code, commune.departement_id)] if commune else []
    if level == TerritoryLevel.EPCI:
        return [(c.code, c.departement_id) for c in territoires.members_of_epci(code)]
    if level == TerritoryLevel.DEPARTEMENT:
        return [(c.code, c.departement_id) for c in territoires.communes_of_departement(code)]
    return []


def level_of_code(code: str) -> str | None:
    """Guess the level of a bare code: 9 digits EPCI, 5 characters commune, 2-3 département."""
    code = code.strip().upper()
    if len(code) == 9 and code.isdigit():
        return TerritoryLevel.EPCI
    if len(code) == 5:
        return TerritoryLevel.COMMUNE
    if len(code) in (2, 3):
        return TerritoryLevel.DEPARTEMENT
    return None


def territory_contour(level: str, code: str) -> str | None:
    """The GeoJSON outline (EPSG:4326) imported into the reference, if any."""
    from communs.territoires.models import Contour

    return Contour.objects.filter(level=level, code=code).values_list("geometry", flat=True).first()


def search(query: str, limit: int = 15):
    return territoires.search_territories(query, levels=["commune", "epci", "departement"], limit=limit)


def dataset_kinds() -> list[tuple[str, str]]:
    return list(DatasetKind.choices)
