"""Use cases of Estim'Action: import a dataset, compute a territory, recompute after a new vintage.

Reading and computing happen before the transaction; the transaction only writes, so a bad file
or a failed computation never leaves half a dataset or half a result behind. Imports and
computations are audited (`estimaction.dataset.import`, `estimaction.result.compute`).
"""

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from pyproj import Transformer

from communs.core import files
from communs.core.audit import record_event
from communs.estimaction import selectors
from communs.estimaction.engine.air import AirFileError, Raster, read_raster, sample_grid
from communs.estimaction.engine.diagnosis import bin_air_exposure, compare
from communs.estimaction.engine.exposure import compute_exposure, prepare_zones, select_communes
from communs.estimaction.engine.grid import GridFileError, PopulationGrid, read_population_grid
from communs.estimaction.engine.noise_zones import NoiseFileError, NoiseZones, read_noise_zones
from communs.estimaction.models import Dataset, DatasetKind, DatasetStatus, TerritoryResult
from communs.estimaction.permissions import can_compute, can_manage_data, require_manager  # noqa: F401

SERVICE = "estimaction"
MAX_MAP_CELLS = 2500
Advance = Callable[..., None]


class DatasetError(ValueError):
    """A dataset that cannot be imported; the message names the file and the fault."""


def storage_dir() -> Path:
    return files.data_dir("estimaction", "datasets")


def _read(kind: str, path: Path, source_type: str | None = None):
    """Parse a dataset file with the engine; raises DatasetError naming the file."""
    try:
        if kind == DatasetKind.POPULATION:
            grid = read_population_grid(path)
            return grid, len(grid)
        if kind == DatasetKind.NOISE:
            zones = read_noise_zones(path, declared_source=source_type)
            return zones, len(zones)
        raster = read_raster(path)
        return raster, int(np.isfinite(raster.values).sum())
    except (GridFileError, NoiseFileError, AirFileError) as exc:
        raise DatasetError(str(exc)) from None


def import_dataset(
    path: str | Path,
    *,
    kind: str,
    name: str,
    producer: str,
    vintage: int,
    coverage: str,
    source_url: str = "",
    user=None,
    checked_at=None,
    audited: bool = True,
    source_type: str | None = None,
) -> Dataset:
    """Validate a file, store it and make it the dataset in force for its kind (the previous one is
    kept, marked superseded). `audited=False` is for the synthetic demo only: seeding it changes no
    official figure, and the audit log stays the log of real actions.

    Noise maps are in force per source type (CNIG maps are published per source): a rail map replaces
    the previous rail map only; a map stays in force while one of its source types has no newer map.
    `source_type` declares the map's source when the file has no `TYPESOURCE`."""
    require_manager(user)
    if kind not in DatasetKind.values:
        raise DatasetError(f"type de jeu de données inconnu « {kind} »")
    path = Path(path)
    parsed, features = _read(kind, path, source_type)
    source_types = parsed.source_types() if kind == DatasetKind.NOISE else []
    if kind == DatasetKind.NOISE and not source_types:
        raise DatasetError(f"{path.name} : aucune zone de bruit dans le fichier")
    with transaction.atomic():
        previous = Dataset.objects.filter(kind=kind, status=DatasetStatus.ACTIVE)
        if kind == DatasetKind.NOISE:
            covered = set(source_types)
            superseded = [d.pk for d in previous if set(d.source_types or ["road"]) <= covered]
            Dataset.objects.filter(pk__in=superseded).update(status=DatasetStatus.SUPERSEDED)
        else:
            previous.update(status=DatasetStatus.SUPERSEDED)
        dataset = Dataset.objects.create(
            kind=kind,
            name=name,
            producer=producer,
            vintage=vintage,
            coverage=coverage,
            source_url=source_url,
            file_name=path.name,
            features=features,
            source_types=source_types,
            last_checked_at=checked_at or timezone.now(),
            imported_by=user if user is not None and user.is_authenticated else None,
        )
        target = storage_dir() / str(dataset.pk)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target / path.name)
        if audited:
            record_event(
                user,
                "estimaction.dataset.import",
                service=SERVICE,
                obj=dataset,
                metadata={
                    "kind": kind,
                    "vintage": vintage,
                    "file": path.name,
                    "features": features,
                    "source_types": source_types,
                },
            )
    return dataset


def dataset_path(dataset: Dataset) -> Path:
    return storage_dir() / str(dataset.pk) / dataset.file_name


@dataclass
class Inputs:
    datasets: dict[str, Dataset]
    grid: PopulationGrid
    zones: NoiseZones | None
    rasters: dict[str, Raster]


def load_inputs() -> Inputs:
    """Read the datasets in force once (a recomputation of many territories shares them)."""
    datasets = selectors.datasets_in_force()
    if DatasetKind.POPULATION not in datasets:
        raise DatasetError("aucune population carroyée importée : importez d'abord un fichier Filosofi")
    grid, _ = _read(DatasetKind.POPULATION, dataset_path(datasets[DatasetKind.POPULATION]))
    # Each source type from the map in force for it (one file may serve several source types).
    parts, read = [], {}
    for key, dataset in datasets.items():
        if not key.startswith(f"{DatasetKind.NOISE}:"):
            continue
        if dataset.pk not in read:
            # A map declared of one source type at import is read with that declaration again.
            declared = dataset.source_types[0] if len(dataset.source_types) == 1 else None
            read[dataset.pk] = _read(DatasetKind.NOISE, dataset_path(dataset), declared)[0]
        zones_of_file = read[dataset.pk]
        parts.append(zones_of_file.select(zones_of_file.source_type == key.split(":", 1)[1]))
    zones = prepare_zones(NoiseZones.concatenate(parts)) if parts else None
    rasters = {
        kind: _read(kind, dataset_path(datasets[kind]))[0]
        for kind in (DatasetKind.PM25, DatasetKind.NO2)
        if kind in datasets
    }
    return Inputs(datasets, grid, zones, rasters)


def _territory_cells(inputs: Inputs, level: str, code: str) -> tuple[PopulationGrid, shapely.Geometry | None, str]:
    contour = selectors.territory_contour(level, code)
    if contour:
        shape = shapely.from_geojson(contour)
        to_laea = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
        shape = shapely.transform(shape, lambda xy: np.column_stack(to_laea.transform(xy[:, 0], xy[:, 1])))
        return inputs.grid, shape, "contour du référentiel (intersection surfacique)"
    communes = {commune for commune, _ in selectors.territory_communes(level, code)}
    return select_communes(inputs.grid, communes), None, "communes listées pour chaque carreau dans le carroyage"


def _empty_zones() -> NoiseZones:
    empty = np.array([], dtype=object)
    return NoiseZones(empty, empty, np.array([], dtype=np.int64), empty, empty)


def compute_territory(
    level: str, code: str, *, inputs: Inputs | None = None, user=None, audited: bool = True
) -> TerritoryResult:
    """Compute (or recompute) the exposure of a territory and store it with the data versions
    (`audited=False`: the synthetic demo only, see `import_dataset`)."""
    if user is not None and not can_compute(user, level, code):
        raise PermissionDenied(f"Territoire {code} hors de votre périmètre Estim'Action.")
    name = selectors.territory_name(level, code)
    if name is None:
        raise DatasetError(f"territoire inconnu : {level} {code}")
    inputs = inputs or load_inputs()
    started = time.perf_counter()
    grid, shape, method = _territory_cells(inputs, level, code)
    if len(grid) == 0 and shape is None:
        raise DatasetError(f"{name} : aucun carreau de population sur ce territoire dans les données importées")
    result = compute_exposure(grid, inputs.zones or _empty_zones(), shape)
    cells = result.grid
    air, concentrations = {}, {}
    for kind, raster in inputs.rasters.items():
        values = sample_grid(raster, cells)
        concentrations[kind] = values
        air[kind] = bin_air_exposure(values, cells.population, cells.ages)
        air[f"{kind}_missing_population"] = float(cells.population[~np.isfinite(values)].sum())
    lden_top = result.highest_band("lden") if "lden" in result.cell_bands else np.full(len(cells), -1)
    lnight_top = result.highest_band("lnight") if "lnight" in result.cell_bands else np.full(len(cells), -1)
    order = np.argsort(-cells.population)[:MAX_MAP_CELLS]
    map_cells = [
        [
            float(cells.east[i]),
            float(cells.north[i]),
            round(float(cells.population[i]), 1),
            int(lden_top[i]),
            int(lnight_top[i]),
            *(round(float(concentrations[k][i]), 2) if k in concentrations else None for k in ("pm25", "no2")),
        ]
        for i in order
    ]
    map_cells = json.loads(json.dumps(map_cells).replace("NaN", "null"))
    exposure = result.as_dict()
    exposure["overlaps_resolved"] = result.overlaps_resolved
    departements = sorted({dep for _, dep in selectors.territory_communes(level, code)})
    duration = int((time.perf_counter() - started) * 1000)
    with transaction.atomic():
        previous = selectors.get_result(level, code)
        changes = compare(previous.exposure, exposure) if previous else {}
        if previous:
            changes["datasets"] = {
                kind: {"before": previous.datasets.get(kind, {}).get("vintage"), "after": d.vintage}
                for kind, d in inputs.datasets.items()
                if previous.datasets.get(kind, {}).get("id") != d.pk
            }
        stored, _ = TerritoryResult.objects.update_or_create(
            level=level,
            code=code,
            defaults={
                "name": name,
                "departement": departements[0] if len(departements) == 1 else "",
                "total_population": result.total_population,
                "exposure": exposure,
                "air": air,
                "cells": map_cells,
                "cells_truncated": len(cells) > MAX_MAP_CELLS,
                "datasets": {kind: d.stamp() for kind, d in inputs.datasets.items()},
                "changes": changes,
                "method": method,
                "duration_ms": duration,
            },
        )
        if audited:
            record_event(
                user,
                "estimaction.result.compute",
                service=SERVICE,
                obj=stored,
                departement=stored.departement or None,
                metadata={"level": level, "code": code, "population": round(result.total_population)},
            )
    return stored


def recompute_all(*, user=None, advance: Advance | None = None) -> dict:
    """Recompute every territory already computed (after a new vintage): what changed, per territory."""
    targets = list(TerritoryResult.objects.values_list("level", "code"))
    advance = advance or (lambda n=1, *, total=None: None)
    advance(0, total=len(targets))
    inputs = load_inputs()
    changed = []
    for level, code in targets:
        stored = compute_territory(level, code, inputs=inputs, user=user)
        if stored.changes.get("datasets"):
            changed.append(
                {
                    "level": level,
                    "code": code,
                    "name": stored.name,
                    "population_change": stored.changes.get("total_population", 0.0),
                    "lden_change": stored.changes.get("lden", {}),
                }
            )
        advance(1)
    return {"recomputed": len(targets), "changed": changed}
