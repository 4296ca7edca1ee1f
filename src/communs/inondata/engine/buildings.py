"""Water at buildings (BD TOPO `batiment` layer): depth per frame, depth class, storeys, dwellings.

- Floor level: `altitude_minimale_sol` (BD TOPO, m NGF-IGN69), or the lowest terrain height under
  the footprint when it is missing.
- The water reaches a building at level H when a cell of its footprint or of the ring of cells
  around it has a spill level ≤ H (LiDAR has no ground under a roof, so the footprint alone is
  filled terrain); the depth against the building is then `H − floor level` (0 if negative).
- Storeys flooded: the storey height is `hauteur / nombre_d_etages` (3 m when either is
  missing); a building with depth d has `min(storeys, ceil(d / storey height))` storeys touched.
- Dwellings affected: `nombre_de_logements` of every building the water reaches with depth > 0.
"""

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from communs.inondata.engine.classes import CLASS_KEYS, depth_class, empty_counts

FIELDS = ("altitude_minimale_sol", "hauteur", "nombre_d_etages", "nombre_de_logements")
DEFAULT_STOREY_HEIGHT = 3.0


class BuildingError(ValueError):
    pass


@dataclass
class Building:
    ident: str
    geometry: object  # shapely, EPSG:2154
    floor: float | None
    height: float | None
    storeys: int | None
    dwellings: int | None
    reach: float = math.inf  # lowest spill level around the building
    depths: list[float] = field(default_factory=list)

    @property
    def storey_height(self) -> float:
        if self.height and self.storeys:
            return self.height / self.storeys
        return DEFAULT_STOREY_HEIGHT

    def flooded_storeys(self, depth: float) -> int:
        if depth <= 0:
            return 0
        touched = math.ceil(depth / self.storey_height - 1e-9)
        return min(self.storeys, touched) if self.storeys else touched

    @property
    def max_depth(self) -> float:
        return max(self.depths, default=0.0)


def _number(value):
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def read_buildings(path: Path | str) -> list[Building]:
    """Buildings from a GeoPackage (first layer, or `batiment`), reprojected to EPSG:2154."""
    import pyogrio
    import pyogrio.raw
    import pyproj
    import shapely

    path = Path(path)
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
        layer = "batiment" if "batiment" in layers else layers[0]
        meta, _, geometry, values = pyogrio.raw.read(path, layer=layer)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, IndexError) as exc:
        raise BuildingError(f"{path} : GeoPackage illisible ({exc})") from exc
    names = [str(n).lower() for n in meta["fields"]]
    missing = [f for f in FIELDS if f not in names]
    if missing:
        raise BuildingError(f"{path}, couche {layer} : champ(s) manquant(s) {', '.join(missing)}")
    column = {name: values[index] for index, name in enumerate(names)}
    geometries = shapely.from_wkb(geometry)
    crs = meta.get("crs")
    if crs and pyproj.CRS(crs).to_epsg() != 2154:
        transformer = pyproj.Transformer.from_crs(crs, "EPSG:2154", always_xy=True)
        geometries = [
            shapely.transform(g, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))
            for g in geometries
        ]
    ident = column.get("cleabs", column.get("id"))
    buildings = []
    for index, geom in enumerate(geometries):
        if geom is None or geom.is_empty:
            raise BuildingError(f"{path}, couche {layer}, entité {index + 1} : géométrie vide")
        storeys = _number(column["nombre_d_etages"][index])
        dwellings = _number(column["nombre_de_logements"][index])
        buildings.append(
            Building(
                ident=str(ident[index]) if ident is not None else f"bat-{index + 1}",
                geometry=geom,
                floor=_number(column["altitude_minimale_sol"][index]),
                height=_number(column["hauteur"][index]),
                storeys=int(storeys) if storeys and storeys > 0 else None,
                dwellings=int(dwellings) if dwellings and dwellings > 0 else 0,
            )
        )
    return buildings


def locate(buildings: list[Building], terrain, spill: np.ndarray) -> None:
    """Set each building's reach (lowest spill level on and around it) and missing floor level."""
    from rasterio.features import rasterize

    if not buildings:
        return
    labels = rasterize(
        [(b.geometry, i + 1) for i, b in enumerate(buildings)],
        out_shape=terrain.shape,
        transform=terrain.transform,
        fill=0,
        all_touched=True,
        dtype="int32",
    )
    count = len(buildings) + 1
    reach = np.full(count, np.inf)
    ground = np.full(count, np.inf)
    rows, cols = labels.shape
    z = np.where(np.isnan(terrain.z), np.inf, terrain.z)
    inside = labels > 0
    np.minimum.at(ground, labels[inside], z[inside])
    padded_labels = np.pad(labels, 1)
    for dr in (0, 1, 2):
        for dc in (0, 1, 2):
            shifted = padded_labels[dr : dr + rows, dc : dc + cols]
            hit = shifted > 0
            np.minimum.at(reach, shifted[hit], spill[hit])
    for index, building in enumerate(buildings, start=1):
        building.reach = float(reach[index])
        if building.floor is None:
            building.floor = float(ground[index]) if math.isfinite(ground[index]) else None


def depth_at_level(building: Building, level: float) -> float:
    if building.floor is None or building.reach > level:
        return 0.0
    return max(0.0, level - building.floor)


def apply_frames(buildings: list[Building], levels) -> list[dict]:
    """Depth of each building at each level; per frame, buildings and dwellings by depth class."""
    summaries = []
    for building in buildings:
        building.depths = [round(depth_at_level(building, level), 3) for level in levels]
    for k in range(len(levels)):
        counts = empty_counts()
        dwellings = empty_counts()
        storeys = 0
        for building in buildings:
            key = depth_class(building.depths[k])
            if key is not None:
                counts[key] += 1
                dwellings[key] += building.dwellings or 0
                storeys += building.flooded_storeys(building.depths[k])
        summaries.append(
            {
                "buildings": counts,
                "dwellings": dwellings,
                "buildings_affected": sum(counts.values()),
                "dwellings_affected": sum(dwellings.values()),
                "storeys_flooded": storeys,
            }
        )
    return summaries


def building_rows(buildings: list[Building], times) -> tuple[list[str], list[list]]:
    header = [
        "identifiant",
        "altitude_minimale_sol",
        "hauteur",
        "nombre_d_etages",
        "nombre_de_logements",
        "hauteur_eau_max_m",
        "classe_max",
        "etages_inondes_max",
        *[f"hauteur_eau_t{t:g}" for t in times],
    ]
    rows = []
    for b in buildings:
        rows.append(
            [
                b.ident,
                b.floor,
                b.height,
                b.storeys,
                b.dwellings,
                round(b.max_depth, 3),
                depth_class(b.max_depth) or "sec",
                b.flooded_storeys(b.max_depth),
                *b.depths,
            ]
        )
    return header, rows


def write_buildings(buildings: list[Building], times, gpkg: Path, csv_path: Path, limits: str) -> None:
    import csv

    import pyogrio.raw
    import shapely

    from communs.guards.cells import safe_row

    header, rows = building_rows(buildings, times)
    with open(csv_path, "w", encoding="utf-8", newline="") as handle:
        handle.write(f"# {limits}\n")
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(safe_row("" if v is None else v for v in row))
    fields = []
    for index in range(len(header)):
        values = [row[index] for row in rows]
        if index in (0, 6):
            fields.append(np.array([str(v) for v in values], dtype=object))
        else:
            fields.append(np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64))
    pyogrio.raw.write(
        gpkg,
        shapely.to_wkb([b.geometry for b in buildings]),
        fields,
        fields=header,
        layer="batiments_inondes",
        driver="GPKG",
        geometry_type="MultiPolygon" if any(b.geometry.geom_type == "MultiPolygon" for b in buildings) else "Polygon",
        crs="EPSG:2154",
        layer_options={"DESCRIPTION": limits},
    )


__all__ = ["CLASS_KEYS", "Building", "apply_frames", "locate", "read_buildings", "write_buildings"]
