"""Ingestion of CoSIA prediction rasters into Cloud-Optimised GeoTIFFs.

Every source (GeoTIFF, one uint8 band, any tiling) becomes one COG: 512-pixel tiles, DEFLATE,
nodata 0, the nomenclature's colour table embedded, and overviews computed by **mode** (the most
frequent class of each block) — averaging class codes would invent classes (mean of Bâtiment 1
and Sol nu 6 is Piscine…). The COG's name is the SHA-256 of the source, so ingesting the same
file again is a no-op (idempotent). Class codes outside the nomenclature are refused with the
values found, before anything is written.
"""

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import rasterio
import rasterio.shutil

from communs.cosia.engine.nomenclature import Nomenclature
from communs.cosia.engine.stats import RasterError, open_checked, plan_windows

COG_BLOCK = 512
COG_PROFILE = {
    "driver": "COG",
    "BLOCKSIZE": COG_BLOCK,
    "COMPRESS": "DEFLATE",
    "PREDICTOR": "NO",
    "RESAMPLING": "MODE",
    "OVERVIEW_RESAMPLING": "MODE",
    "OVERVIEWS": "IGNORE_EXISTING",
    "BIGTIFF": "IF_SAFER",
}


@dataclass(frozen=True)
class IngestedRaster:
    source: str
    sha256: str
    path: Path
    created: bool
    width: int
    height: int
    bounds: tuple[float, float, float, float]
    crs: str
    resolution: float
    overview_levels: tuple[int, ...]


def file_sha256(path: Path | str, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check_codes(dataset, nomenclature: Nomenclature, origin: str) -> None:
    """Refuse pixel values that are neither nodata nor a class of the nomenclature."""
    valid = np.zeros(256, dtype=bool)
    valid[[nomenclature.nodata, *nomenclature.codes]] = True
    found = np.zeros(256, dtype=bool)
    for win in plan_windows(dataset.width, dataset.height, 4096):
        values = np.unique(dataset.read(1, window=win))
        found[values] = True
    bad = np.flatnonzero(found & ~valid)
    if len(bad):
        raise RasterError(
            f"{origin} : valeurs hors nomenclature {nomenclature.version} : {', '.join(map(str, bad[:20]))}"
        )


def write_cog(array_source, destination: Path, nomenclature: Nomenclature, *, overviews: bool = True) -> None:
    """Copy an open uint8 dataset to `destination` as a COG with colour table and mode overviews."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent) as tmp:
        staged = Path(tmp) / "staged.tif"
        profile = {
            "driver": "GTiff",
            "dtype": "uint8",
            "count": 1,
            "width": array_source.width,
            "height": array_source.height,
            "crs": array_source.crs,
            "transform": array_source.transform,
            "nodata": nomenclature.nodata,
            "tiled": True,
            "blockxsize": COG_BLOCK,
            "blockysize": COG_BLOCK,
            "compress": "DEFLATE",
            "BIGTIFF": "IF_SAFER",
        }
        with rasterio.open(staged, "w", **profile) as out:
            out.write_colormap(1, nomenclature.colormap())
            for win in plan_windows(array_source.width, array_source.height, 4096):
                out.write(array_source.read(1, window=win), 1, window=win)
            out.update_tags(NOMENCLATURE=nomenclature.version)
        options = dict(COG_PROFILE)
        if not overviews:
            options["OVERVIEWS"] = "NONE"
        partial = destination.with_suffix(".part.tif")
        rasterio.shutil.copy(staged, partial, **options)
        partial.replace(destination)  # atomic: a half-written COG is never visible


def ingest_raster(
    source: Path | str,
    out_dir: Path | str,
    nomenclature: Nomenclature,
    *,
    advance: Callable[..., None] | None = None,
) -> IngestedRaster:
    source = Path(source)
    out_dir = Path(out_dir)
    digest = file_sha256(source)
    destination = out_dir / f"{digest[:16]}.tif"
    created = False
    with open_checked(source) as dataset:
        if dataset.count != 1:
            raise RasterError(f"{source} : une seule bande attendue (trouvé : {dataset.count})")
        if not destination.exists():
            check_codes(dataset, nomenclature, str(source))
            write_cog(dataset, destination, nomenclature)
            created = True
    if advance:
        advance(1)
    with rasterio.open(destination) as cog:
        return IngestedRaster(
            source=source.name,
            sha256=digest,
            path=destination,
            created=created,
            width=cog.width,
            height=cog.height,
            bounds=tuple(cog.bounds),
            crs=cog.crs.to_string(),
            resolution=float(cog.res[0]),
            overview_levels=tuple(cog.overviews(1)),
        )


def build_mosaic(paths: list[Path], destination: Path) -> Path:
    """A VRT mosaic of COGs on the same grid (one per département and vintage), written atomically.

    GDAL reads the sources' own overviews through the VRT (implicit overviews), so tiles at low
    zoom still come from the mode overviews.
    """
    if not paths:
        raise RasterError("aucune dalle à assembler")
    datasets = [rasterio.open(p) for p in paths]
    try:
        first = datasets[0]
        res = first.res
        left = min(d.bounds.left for d in datasets)
        top = max(d.bounds.top for d in datasets)
        right = max(d.bounds.right for d in datasets)
        bottom = min(d.bounds.bottom for d in datasets)
        width = round((right - left) / res[0])
        height = round((top - bottom) / res[1])
        colour_entries = "".join(
            f'<Entry c1="{r}" c2="{g}" c3="{b}" c4="{a}"/>' for _, (r, g, b, a) in sorted(first.colormap(1).items())
        )
        sources = []
        for path, d in zip(paths, datasets, strict=True):
            if d.crs != first.crs or not np.allclose(d.res, res):
                raise RasterError(f"{path} : grille différente de {paths[0]}")
            x_off = round((d.bounds.left - left) / res[0])
            y_off = round((top - d.bounds.top) / res[1])
            sources.append(
                f'<SimpleSource><SourceFilename relativeToVRT="0">{Path(path).resolve()}</SourceFilename>'
                f"<SourceBand>1</SourceBand>"
                f'<SrcRect xOff="0" yOff="0" xSize="{d.width}" ySize="{d.height}"/>'
                f'<DstRect xOff="{x_off}" yOff="{y_off}" xSize="{d.width}" ySize="{d.height}"/></SimpleSource>'
            )
        srs = first.crs.to_wkt().replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        vrt = (
            f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}"><SRS>{srs}</SRS>'
            f"<GeoTransform>{left}, {res[0]}, 0, {top}, 0, {-res[1]}</GeoTransform>"
            f'<VRTRasterBand dataType="Byte" band="1"><NoDataValue>{first.nodata or 0:g}</NoDataValue>'
            f"<ColorInterp>Palette</ColorInterp><ColorTable>{colour_entries}</ColorTable>"
            f"{''.join(sources)}</VRTRasterBand></VRTDataset>"
        )
    finally:
        for d in datasets:
            d.close()
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_suffix(".part")
    partial.write_text(vrt, encoding="utf-8")
    partial.replace(destination)
    return destination
