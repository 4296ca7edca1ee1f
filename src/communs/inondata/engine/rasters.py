"""Cloud-Optimised GeoTIFF writing (rasterio, GDAL's COG driver) and a small PNG encoder."""

import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

from communs.inondata.engine.limits import LIMITS_EN, MODEL_NAME

NODATA = -9999.0


def write_cog(path: Path | str, bands: np.ndarray, terrain, *, descriptions: list[str], tags: dict | None = None):
    """Write `bands` (count, rows, cols) float32 as a COG in EPSG:2154; NaN becomes NODATA."""
    import rasterio
    import rasterio.shutil

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = np.where(np.isnan(bands), NODATA, bands).astype(np.float32)
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "count": data.shape[0],
        "height": data.shape[1],
        "width": data.shape[2],
        "crs": "EPSG:2154",
        "transform": terrain.transform,
        "nodata": NODATA,
    }
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        staged = Path(tmp) / "staged.tif"
        with rasterio.open(staged, "w", **profile) as out:
            out.write(data)
            for index, text in enumerate(descriptions, start=1):
                out.set_band_description(index, text)
            out.update_tags(MODEL=MODEL_NAME, LIMITS=LIMITS_EN, VERTICAL_DATUM="NGF-IGN69", **(tags or {}))
        rasterio.shutil.copy(staged, path, driver="COG", COMPRESS="DEFLATE", PREDICTOR="2", BLOCKSIZE=256)
    return path


def png_rgba(rgba: np.ndarray) -> bytes:
    """Encode an (rows, cols, 4) uint8 array as PNG (no filtering; zlib level 6)."""
    rows, cols, _ = rgba.shape
    raw = np.zeros((rows, cols * 4 + 1), dtype=np.uint8)
    raw[:, 1:] = rgba.reshape(rows, cols * 4)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", cols, rows, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw.tobytes(), 6))
        + chunk(b"IEND", b"")
    )
