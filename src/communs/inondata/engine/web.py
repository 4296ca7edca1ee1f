"""What the web pages draw: a terrain scene for the 3D viewer and PNG layers for the 2D map.

- `scene.json`: the terrain sampled on at most `SCENE_CELLS` × `SCENE_CELLS` vertices with the
  spill level of each vertex (so the viewer floods vertex `i` at frame `k` when
  `spill[i] ≤ level[k]`, exactly the engine's rule), the frames, and the buildings (footprint,
  floor level, height, depth per frame). Coordinates are metres east and south of the terrain's
  top-left corner (EPSG:2154 origin given).
- PNGs: a shaded relief and one depth-class layer per frame (plus the maximum), at most
  `MAP_PIXELS` pixels across, for the 2D map which works without WebGL.
"""

import json
import math
from pathlib import Path

import numpy as np

from communs.inondata.engine.classes import DEPTH_CLASSES, class_index
from communs.inondata.engine.rasters import png_rgba

SCENE_CELLS = 160
MAP_PIXELS = 640


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


PALETTE = np.array([(0, 0, 0, 0)] + [(*_hex(row[4]), 220) for row in DEPTH_CLASSES], dtype=np.uint8)


def _step(shape, limit: int) -> int:
    return max(1, math.ceil(max(shape) / limit))


def scene(terrain, spill, hydrograph, buildings, summary_frames) -> dict:
    step = _step(terrain.shape, SCENE_CELLS)
    z = terrain.z[::step, ::step]
    floor = float(np.nanmin(terrain.z))
    z = np.where(np.isnan(z), floor, z)
    s = spill[::step, ::step]
    x0, y1 = terrain.origin
    items = []
    for b in buildings:
        polygon = b.geometry.geoms[0] if b.geometry.geom_type == "MultiPolygon" else b.geometry
        ring = [[round(x - x0, 2), round(y1 - y, 2)] for x, y in list(polygon.exterior.coords)[:-1]]
        items.append(
            {
                "id": b.ident,
                "ring": ring,
                "floor": round(b.floor if b.floor is not None else floor, 2),
                "height": round(b.height or (b.storeys or 1) * 3.0, 2),
                "depths": b.depths,
            }
        )
    return {
        "origin": [x0, y1],
        "crs": "EPSG:2154",
        "spacing": terrain.resolution * step,
        "rows": int(z.shape[0]),
        "cols": int(z.shape[1]),
        "z": [round(float(v), 2) for v in z.ravel()],
        "spill": [round(float(v), 3) if math.isfinite(v) else None for v in s.ravel()],
        "frames": [{"t": f["t"], "level": f["level"]} for f in summary_frames],
        "classes": [
            {"key": r[0], "upper": r[2] if math.isfinite(r[2]) else None, "colour": r[4]} for r in DEPTH_CLASSES
        ],
        "buildings": items,
    }


def hillshade(z: np.ndarray, resolution: float) -> np.ndarray:
    """Grey shaded relief (sun from the north-west, 45° high) as RGBA."""
    filled = np.where(np.isnan(z), np.nanmin(z), z)
    dy, dx = np.gradient(filled, resolution)
    slope = np.arctan(np.hypot(dx, dy))
    aspect = np.arctan2(-dx, dy)
    altitude, azimuth = math.radians(45), math.radians(315)
    shade = np.sin(altitude) * np.cos(slope) + np.cos(altitude) * np.sin(slope) * np.cos(azimuth - aspect)
    span = np.nanmax(filled) - np.nanmin(filled) or 1.0
    tint = (filled - np.nanmin(filled)) / span
    grey = np.clip(150 + 80 * shade - 40 * tint, 0, 255).astype(np.uint8)
    rgba = np.stack([grey, grey, np.clip(grey.astype(int) - 10, 0, 255).astype(np.uint8), np.full_like(grey, 255)], -1)
    return rgba


def write_map_layers(directory: Path, terrain, depths: np.ndarray, max_depth: np.ndarray) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    step = _step(terrain.shape, MAP_PIXELS)
    (directory / "relief.png").write_bytes(png_rgba(hillshade(terrain.z[::step, ::step], terrain.resolution * step)))
    names = {"relief": "relief.png", "frames": []}
    for k in range(depths.shape[0]):
        name = f"profondeur-{k:03d}.png"
        (directory / name).write_bytes(png_rgba(PALETTE[class_index(depths[k, ::step, ::step])]))
        names["frames"].append(name)
    (directory / "profondeur-max.png").write_bytes(png_rgba(PALETTE[class_index(max_depth[::step, ::step])]))
    names["max"] = "profondeur-max.png"
    names["size"] = [int(np.ceil(terrain.shape[1] / step)), int(np.ceil(terrain.shape[0] / step))]
    return names


def write_scene(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
