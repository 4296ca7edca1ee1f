"""INSEE Filosofi 200 m gridded population (carreaux), as plain numpy arrays.

A cell is named by `idcar_200m`, e.g. `CRS3035RES200mN2890000E3762000`: EPSG:3035 (ETRS89-LAEA),
200 m resolution, lower-left corner at northing 2,890,000 m and easting 3,762,000 m. Files are the
INSEE CSV or GeoPackage; column names are matched case-insensitively (`Idcar_200m`, `Ind` in older
vintages). `lcog_geo` (the communes a cell intersects, codes concatenated) is kept when present so
that a territory can be selected without its contour.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from communs.guards.finite import is_plausible
from communs.guards.limits import InputLimitError, csv_records

CELL_ID = re.compile(r"^CRS(?P<crs>\d+)RES(?P<res>\d+)mN(?P<n>\d+)E(?P<e>\d+)$")
AGE_COLUMNS = (
    "ind_0_3",
    "ind_4_5",
    "ind_6_10",
    "ind_11_17",
    "ind_18_24",
    "ind_25_39",
    "ind_40_54",
    "ind_55_64",
    "ind_65_79",
    "ind_80p",
)


class GridFileError(ValueError):
    """A population file that cannot be read; the message names the file, line and field."""


@dataclass(frozen=True)
class CellId:
    crs: int
    resolution: int
    north: int
    east: int


def parse_cell_id(text: str) -> CellId:
    match = CELL_ID.match(text.strip())
    if not match:
        raise ValueError(f"identifiant de carreau invalide « {text} » (attendu : CRS3035RES200mN…E…)")
    return CellId(int(match["crs"]), int(match["res"]), int(match["n"]), int(match["e"]))


def cell_polygon(text: str) -> shapely.Polygon:
    cell = parse_cell_id(text)
    return shapely.box(cell.east, cell.north, cell.east + cell.resolution, cell.north + cell.resolution)


def commune_codes(lcog_geo: str) -> list[str]:
    """`lcog_geo` concatenates 5-character commune codes: "3523835281" → ["35238", "35281"]."""
    text = (lcog_geo or "").strip()
    return [text[i : i + 5] for i in range(0, len(text) - len(text) % 5, 5)]


@dataclass
class PopulationGrid:
    """Populated cells: lower-left corners (EPSG:3035 metres), resolution and population per cell."""

    ids: np.ndarray  # str
    east: np.ndarray  # float
    north: np.ndarray  # float
    population: np.ndarray  # float
    resolution: float = 200.0
    ages: dict[str, np.ndarray] = field(default_factory=dict)
    communes: list[list[str]] = field(default_factory=list)
    source: str = ""

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def total(self) -> float:
        return float(self.population.sum())

    def polygons(self) -> np.ndarray:
        return shapely.box(self.east, self.north, self.east + self.resolution, self.north + self.resolution)

    def centroids(self) -> tuple[np.ndarray, np.ndarray]:
        half = self.resolution / 2
        return self.east + half, self.north + half

    def subset(self, mask: np.ndarray, weights: np.ndarray | None = None) -> "PopulationGrid":
        """The cells where `mask` holds, populations (and ages) multiplied by `weights` if given."""
        w = np.ones(int(mask.sum())) if weights is None else weights
        return PopulationGrid(
            ids=self.ids[mask],
            east=self.east[mask],
            north=self.north[mask],
            population=self.population[mask] * w,
            resolution=self.resolution,
            ages={name: values[mask] * w for name, values in self.ages.items()},
            communes=[codes for codes, keep in zip(self.communes, mask, strict=False) if keep]
            if self.communes
            else [],
            source=self.source,
        )


def _float(value, path: Path, line: int, column: str) -> float:
    try:
        number = float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        raise GridFileError(
            f"{path.name}, ligne {line}, colonne « {column} » : nombre attendu, lu « {value} »"
        ) from None
    if not is_plausible(number) or number < 0:
        raise GridFileError(
            f"{path.name}, ligne {line}, colonne « {column} » : valeur positive finie attendue, lu « {value} »"
        )
    return number


def _build(path: Path, rows: list[dict], first_line: int) -> PopulationGrid:
    if not rows:
        raise GridFileError(f"{path.name} : aucun carreau")
    columns = {name.lower(): name for name in rows[0]}
    for required in ("idcar_200m", "ind"):
        if required not in columns:
            raise GridFileError(f"{path.name} : colonne « {required} » absente (colonnes lues : {', '.join(rows[0])})")
    id_column, ind_column = columns["idcar_200m"], columns["ind"]
    age_columns = [columns[name] for name in AGE_COLUMNS if name in columns]
    lcog_column = columns.get("lcog_geo")
    n = len(rows)
    ids = np.empty(n, dtype=object)
    east = np.empty(n)
    north = np.empty(n)
    population = np.empty(n)
    ages = {name.lower(): np.empty(n) for name in age_columns}
    communes = []
    resolution = None
    for index, row in enumerate(rows):
        line = first_line + index
        try:
            cell = parse_cell_id(str(row[id_column]))
        except ValueError as exc:
            raise GridFileError(f"{path.name}, ligne {line}, colonne « {id_column} » : {exc}") from None
        if cell.crs != 3035:
            raise GridFileError(f"{path.name}, ligne {line} : carreau en EPSG:{cell.crs}, seul EPSG:3035 est accepté")
        if resolution is None:
            resolution = cell.resolution
        elif cell.resolution != resolution:
            raise GridFileError(f"{path.name}, ligne {line} : résolution {cell.resolution} m ≠ {resolution} m")
        ids[index] = str(row[id_column]).strip()
        east[index], north[index] = cell.east, cell.north
        population[index] = _float(row[ind_column], path, line, ind_column)
        for name in age_columns:
            ages[name.lower()][index] = _float(row[name], path, line, name)
        if lcog_column:
            communes.append(commune_codes(str(row[lcog_column] or "")))
    unique = len(set(ids.tolist()))
    if unique != n:
        raise GridFileError(f"{path.name} : {n - unique} carreau(x) en double")
    return PopulationGrid(ids, east, north, population, float(resolution), ages, communes, source=path.name)


def read_population_grid(path: str | Path, *, layer: str | None = None) -> PopulationGrid:
    """Read a Filosofi grid from CSV (comma or semicolon separated) or GeoPackage."""
    path = Path(path)
    if not path.exists():
        raise GridFileError(f"{path} : fichier introuvable")
    suffix = path.suffix.lower()
    if suffix in {".csv", ".txt"}:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            head = handle.readline()
            handle.seek(0)
            delimiter = ";" if head.count(";") > head.count(",") else ","
            try:
                _, records = csv_records(handle.read(), delimiter=delimiter, source=path.name)
            except InputLimitError as exc:
                raise GridFileError(str(exc)) from None
        return _build(path, [row for _, row in records], first_line=2)
    if suffix in {".gpkg", ".shp", ".fgb", ".geojson"}:
        import pyogrio.raw

        try:
            meta, _, _, field_data = pyogrio.raw.read(path, layer=layer, read_geometry=False)
        except Exception as exc:  # pyogrio raises DataSourceError, DataLayerError, … all worth the same message
            raise GridFileError(f"{path.name} : lecture impossible ({exc})") from None
        names = list(meta["fields"])
        rows = [dict(zip(names, values, strict=True)) for values in zip(*field_data, strict=True)]
        return _build(path, rows, first_line=1)
    raise GridFileError(f"{path.name} : format non pris en charge (CSV ou GeoPackage attendu)")


def write_population_csv(path: str | Path, grid: PopulationGrid) -> None:
    """Write a grid back as a Filosofi-style CSV (used by the demo and the tests)."""
    age_names = [name for name in AGE_COLUMNS if name in grid.ages]
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["idcar_200m", "lcog_geo", "ind", *age_names])
        for index, cell_id in enumerate(grid.ids):
            codes = "".join(grid.communes[index]) if grid.communes else ""
            ages = [f"{grid.ages[name][index]:.1f}" for name in age_names]
            writer.writerow([cell_id, codes, f"{grid.population[index]:.1f}", *ages])


def make_cell_id(east: float, north: float, resolution: int = 200) -> str:
    return f"CRS3035RES{resolution}mN{int(north)}E{int(east)}"
