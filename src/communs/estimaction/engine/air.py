"""Annual-mean air concentration rasters (GeoTIFF, COG or NetCDF), sampled at populated cells.

The concentration of a 200 m cell is the raster value at the cell centre (nearest pixel; modelled
annual means are 10 m to 1 km, so the centre value is the usual EQIS choice). Cells outside the
raster or on nodata are reported as missing, never guessed. A raster without CRS (frequent in
NetCDF files from CAMS) is read as longitude/latitude (EPSG:4326).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pyproj import CRS, Transformer

from communs.estimaction.engine.grid import PopulationGrid
from communs.estimaction.engine.parameters import POLLUTANTS
from communs.guards.finite import is_plausible
from communs.guards.limits import InputLimitError, csv_records


class AirFileError(ValueError):
    """An air input that cannot be read; the message names the file, line and field."""


@dataclass
class Raster:
    values: np.ndarray  # 2-D float, nan where nodata
    transform: object  # affine.Affine
    crs: str
    source: str = ""


def read_raster(path: str | Path, *, variable: str | None = None) -> Raster:
    import rasterio

    path = Path(path)
    if not path.exists():
        raise AirFileError(f"{path} : fichier introuvable")
    target = f'netcdf:"{path}":{variable}' if variable and path.suffix.lower() in {".nc", ".nc4"} else str(path)
    try:
        with rasterio.open(target) as dataset:
            values = dataset.read(1, masked=True).astype(float).filled(np.nan)
            crs = dataset.crs.to_string() if dataset.crs else "EPSG:4326"
            transform = dataset.transform
    except rasterio.errors.RasterioError as exc:
        raise AirFileError(f"{path.name} : lecture impossible ({exc})") from None
    return Raster(values, transform, crs, path.name)


def sample_at(raster: Raster, x: np.ndarray, y: np.ndarray, crs: str = "EPSG:3035") -> np.ndarray:
    """Raster values at points (nan outside the raster or on nodata)."""
    if not CRS.from_user_input(crs).equals(CRS.from_user_input(raster.crs)):
        transformer = Transformer.from_crs(crs, raster.crs, always_xy=True)
        x, y = transformer.transform(x, y)
    inverse = ~raster.transform
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    cols = inverse.a * x + inverse.b * y + inverse.c
    rows = inverse.d * x + inverse.e * y + inverse.f
    cols, rows = np.floor(cols).astype(np.int64), np.floor(rows).astype(np.int64)
    height, width = raster.values.shape
    inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
    values = np.full(len(cols), np.nan)
    values[inside] = raster.values[rows[inside], cols[inside]]
    return values


def sample_grid(raster: Raster, grid: PopulationGrid) -> np.ndarray:
    x, y = grid.centroids()
    return sample_at(raster, x, y)


def write_geotiff(path: str | Path, values: np.ndarray, *, west: float, north: float, resolution: float, crs: str):
    """Write a single-band float32 GeoTIFF (demo and tests)."""
    import rasterio
    from affine import Affine

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=values.shape[0],
        width=values.shape[1],
        count=1,
        dtype="float32",
        crs=crs,
        transform=Affine(resolution, 0.0, west, 0.0, -resolution, north),
        nodata=-9999.0,
    ) as dataset:
        dataset.write(np.where(np.isnan(values), -9999.0, values).astype("float32"), 1)


@dataclass
class AirTable:
    """Rows of AIR.csv: pollutant, concentration (µg/m³), population, baseline death rate."""

    pollutant: np.ndarray
    concentration: np.ndarray
    population: np.ndarray
    baseline_death_rate: np.ndarray


def read_air_csv(path: str | Path) -> AirTable:
    path = Path(path)
    if not path.exists():
        raise AirFileError(f"{path} : fichier introuvable")
    pollutants, values = [], []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            fieldnames, records = csv_records(handle.read(), source=path.name)
        except InputLimitError as exc:
            raise AirFileError(str(exc)) from None
        required = ("pollutant", "concentration", "population", "baseline_death_rate")
        missing = [name for name in required if name not in fieldnames]
        if missing:
            raise AirFileError(f"{path.name} : colonne(s) absente(s) : {', '.join(missing)}")
        for line, row in records:
            pollutant = row["pollutant"].strip().lower().replace(".", "").replace(",", "")
            if pollutant not in POLLUTANTS:
                raise AirFileError(
                    f"{path.name}, ligne {line}, colonne « pollutant » : « {row['pollutant']} » inconnu"
                )
            numbers = []
            for name in required[1:]:
                try:
                    number = float(row[name])
                except (TypeError, ValueError):
                    raise AirFileError(f"{path.name}, ligne {line}, colonne « {name} » : nombre attendu") from None
                if not is_plausible(number) or number < 0:
                    raise AirFileError(
                        f"{path.name}, ligne {line}, colonne « {name} » : valeur positive finie attendue"
                    )
                numbers.append(number)
            pollutants.append(pollutant)
            values.append(numbers)
    if not values:
        raise AirFileError(f"{path.name} : aucune ligne")
    array = np.array(values)
    return AirTable(np.array(pollutants), array[:, 0], array[:, 1], array[:, 2])
