"""Clip a CoSIA raster to a polygon and export it: GeoTIFF, GeoPackage, zipped Shapefile + metadata.

- GeoTIFF: EPSG:2154 at the source resolution (0.2 m), cropped to the polygon's bounding box,
  pixels whose centre falls outside the polygon set to nodata 0, colour table embedded, tiled
  and compressed (a valid COG when `cog=True`).
- Vector: the clipped raster polygonised (`rasterio.features.shapes`, 4-connectivity), one
  feature per connected patch with `code` and `classe`; optional smoothing (Douglas–Peucker
  simplification with topology kept, tolerance in metres) and minimum area (smaller patches are
  dropped, which leaves holes rather than guessing a class).
- Metadata: a JSON document (source, vintage, nomenclature, licence, processing, CRS).
"""

import json
import math
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyogrio.raw
import rasterio
import rasterio.shutil
import shapely
from rasterio.features import rasterize, shapes
from rasterio.windows import Window

from communs.cosia.engine.nomenclature import Nomenclature
from communs.cosia.engine.stats import RasterError, from_bounds, open_checked, window_transform

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
FORMATS = {"geotiff": "GeoTIFF (COG)", "gpkg": "GeoPackage", "shp": "Shapefile (zip)"}


@dataclass(frozen=True)
class ClipResult:
    path: Path
    width: int
    height: int
    crs: str
    resolution: float
    bounds: tuple[float, float, float, float]


def clip_raster(
    source: Path | str, geometry, destination: Path | str, nomenclature: Nomenclature, *, cog: bool = True
) -> ClipResult:
    destination = Path(destination)
    with open_checked(source) as dataset:
        raster_box = shapely.box(*dataset.bounds)
        if not shapely.intersects(geometry, raster_box):
            raise RasterError(f"{source} : le territoire ne recoupe pas le raster")
        # Crop to the polygon's bounding box snapped to the pixel grid, then blank what is outside.
        span = from_bounds(*shapely.intersection(geometry, raster_box).bounds, dataset.transform)
        col0, row0 = max(0, math.floor(span.col_off)), max(0, math.floor(span.row_off))
        col1 = min(dataset.width, math.ceil(span.col_off + span.width))
        row1 = min(dataset.height, math.ceil(span.row_off + span.height))
        window = Window(col0, row0, col1 - col0, row1 - row0)
        transform = window_transform(window, dataset.transform)
        data = dataset.read(1, window=window)
        inside = rasterize(
            [geometry], out_shape=data.shape, transform=transform, fill=0, default_value=1, dtype="uint8"
        ).astype(bool)
        data[~inside] = nomenclature.nodata
        data = data[np.newaxis]
        profile = {
            "driver": "GTiff",
            "dtype": "uint8",
            "count": 1,
            "height": data.shape[1],
            "width": data.shape[2],
            "crs": dataset.crs,
            "transform": transform,
            "nodata": nomenclature.nodata,
            "tiled": True,
            "blockxsize": 512,
            "blockysize": 512,
            "compress": "DEFLATE",
        }
        crs = dataset.crs.to_string()
        resolution = float(dataset.res[0])
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as tmp:
        staged = Path(tmp) / "clip.tif"
        with rasterio.open(staged, "w", **profile) as out:
            out.write_colormap(1, nomenclature.colormap())
            out.write(data[0], 1)
            out.update_tags(NOMENCLATURE=nomenclature.version)
        if cog:
            rasterio.shutil.copy(
                staged,
                destination,
                driver="COG",
                COMPRESS="DEFLATE",
                BLOCKSIZE=512,
                RESAMPLING="MODE",
                OVERVIEW_RESAMPLING="MODE",
            )
        else:
            staged.replace(destination)
    with rasterio.open(destination) as out:
        return ClipResult(destination, out.width, out.height, crs, resolution, tuple(out.bounds))


def polygonise(
    raster: Path | str, nomenclature: Nomenclature, *, smoothing_m: float = 0.0, min_area_m2: float = 0.0
) -> tuple[list, list[int]]:
    """Polygons (EPSG of the raster) and their class codes, nodata left out."""
    geometries, codes = [], []
    with rasterio.open(raster) as dataset:
        # The whole clip is read at once: a clip is one territory, not a national mosaic.
        data = dataset.read(1)
        valid = data != nomenclature.nodata
        for geom, value in shapes(data, mask=valid, transform=dataset.transform, connectivity=4):
            polygon = shapely.geometry.shape(geom)
            if smoothing_m > 0:
                polygon = polygon.simplify(smoothing_m, preserve_topology=True)
            if polygon.is_empty or polygon.area < min_area_m2:
                continue
            geometries.append(polygon)
            codes.append(int(value))
    return geometries, codes


def write_vector(
    raster: Path | str,
    destination: Path | str,
    nomenclature: Nomenclature,
    *,
    driver: str = "GPKG",
    smoothing_m: float = 0.0,
    min_area_m2: float = 0.0,
) -> int:
    """Polygonise `raster` into a GeoPackage or Shapefile; returns the number of features."""
    geometries, codes = polygonise(raster, nomenclature, smoothing_m=smoothing_m, min_area_m2=min_area_m2)
    with rasterio.open(raster) as dataset:
        crs = dataset.crs.to_string()
    names = [nomenclature.get(code).name if nomenclature.get(code) else "" for code in codes]
    geometry_wkb = np.array(
        shapely.to_wkb(
            shapely.multipolygons([list(getattr(g, "geoms", [g])) for g in geometries]) if geometries else [],
            dtype=object,
        ),
        dtype=object,
    )
    kwargs = {"layer": "cosia"} if driver == "GPKG" else {"encoding": "UTF-8"}
    pyogrio.raw.write(
        str(destination),
        geometry=geometry_wkb,
        field_data=[np.array(codes, dtype=np.int32), np.array(names, dtype=object)],
        fields=["code", "classe"],
        geometry_type="MultiPolygon",
        crs=crs,
        driver=driver,
        **kwargs,
    )
    return len(codes)


def metadata(
    *,
    source: str,
    vintage: int | str,
    territory: str,
    nomenclature: Nomenclature,
    formats: list[str],
    processing: dict,
    crs: str = "EPSG:2154",
    resolution: float = 0.2,
) -> dict:
    return {
        "title": f"CoSIA {vintage} — {territory}",
        "description": "Carte de prédiction de la couverture du sol (CoSIA, IGN) découpée au territoire.",
        "source": source,
        "producer": "IGN — CoSIA (données intermédiaires de l'intelligence artificielle)",
        "vintage": vintage,
        "territory": territory,
        "licence": LICENCE,
        "crs": crs,
        "resolution_m": resolution,
        "nodata": nomenclature.nodata,
        "nomenclature": nomenclature.as_dict(),
        "formats": formats,
        "processing": processing,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def export_bundle(
    source: Path | str,
    geometry,
    destination: Path | str,
    nomenclature: Nomenclature,
    *,
    fmt: str,
    vintage: int | str,
    territory: str,
    smoothing_m: float = 0.0,
    min_area_m2: float = 0.0,
    basename: str = "cosia",
) -> dict:
    """A zip with the clipped data in `fmt` and `metadata.json`; returns a summary."""
    if fmt not in FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (attendu : {', '.join(FORMATS)})")
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as tmp:
        tmp = Path(tmp)
        tif = tmp / f"{basename}.tif"
        clipped = clip_raster(source, geometry, tif, nomenclature)
        members = []
        features = None
        if fmt == "geotiff":
            members.append(tif)
        elif fmt == "gpkg":
            gpkg = tmp / f"{basename}.gpkg"
            features = write_vector(tif, gpkg, nomenclature, smoothing_m=smoothing_m, min_area_m2=min_area_m2)
            members.append(gpkg)
        else:
            shp = tmp / f"{basename}.shp"
            features = write_vector(
                tif, shp, nomenclature, driver="ESRI Shapefile", smoothing_m=smoothing_m, min_area_m2=min_area_m2
            )
            members.extend(sorted(tmp.glob(f"{basename}.*")))
            members.remove(tif)
        meta = metadata(
            source=Path(source).name,
            vintage=vintage,
            territory=territory,
            nomenclature=nomenclature,
            formats=[FORMATS[fmt]],
            crs=clipped.crs,
            resolution=clipped.resolution,
            processing={
                "clip": "pixels dont le centre est hors du territoire mis à nodata (0)",
                "vectorisation": "rasterio.features.shapes, 4-connexité" if fmt != "geotiff" else None,
                "smoothing_m": smoothing_m,
                "min_area_m2": min_area_m2,
            },
        )
        (tmp / "metadata.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
        members.append(tmp / "metadata.json")
        partial = destination.with_suffix(".part")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member in members:
                archive.write(member, member.name)
        partial.replace(destination)
    return {
        "path": str(destination),
        "format": fmt,
        "features": features,
        "width": clipped.width,
        "height": clipped.height,
        "size_bytes": destination.stat().st_size,
    }
