"""One flood scenario from terrain, seeds and hydrograph to every output file and the summary.

Outputs (in `out_dir`): `profondeurs.tif` (multi-band COG, one band per frame, metres),
`arrivee.tif` (minutes), `profondeur_max.tif`, `duree.tif` (minutes), `batiments.gpkg` and
`batiments.csv` when buildings are given, `web/` (scene and map layers), `resume.json`.
Every file states the model's limits (raster tags, CSV first line, GeoPackage layer description,
summary `limits`).
"""

import json
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from communs.inondata.engine import buildings as bati
from communs.inondata.engine.classes import empty_counts
from communs.inondata.engine.hydrograph import Hydrograph
from communs.inondata.engine.limits import LIMITS, LIMITS_FR
from communs.inondata.engine.rasters import write_cog
from communs.inondata.engine.spill import spill_levels
from communs.inondata.engine.tiling import TILE, run_tiles
from communs.inondata.engine.web import scene, write_map_layers, write_scene


def run_flood(
    terrain,
    seeds: np.ndarray,
    hydrograph: Hydrograph,
    out_dir: Path | str,
    *,
    buildings: list | None = None,
    connectivity: int = 4,
    tile: int = TILE,
    mapper: Callable | None = None,
    report: Callable[[float, str], None] | None = None,
) -> dict:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    say = report or (lambda percent, message: None)
    started = time.perf_counter()
    say(5, "Niveaux de débordement (priority-flood)")
    spill = spill_levels(terrain.z, seeds, connectivity)
    spill_seconds = time.perf_counter() - started

    counter = {"done": 0, "total": 1}

    def advance(count=1, *, total=None):
        counter["total"] = total or counter["total"]
        counter["done"] += count
        say(10 + 60 * counter["done"] / counter["total"], f"Dalles : {counter['done']} sur {counter['total']}")

    tiles = run_tiles(terrain.z, spill, hydrograph, terrain.cell_area, tile=tile, mapper=mapper, advance=advance)
    buildings = buildings or []
    bati.locate(buildings, terrain, spill)
    building_frames = bati.apply_frames(buildings, hydrograph.levels)

    frames = []
    for k, (t, level) in enumerate(zip(hydrograph.times, hydrograph.levels, strict=True)):
        per_building = building_frames[k] if buildings else None
        frames.append(
            {
                "t": t,
                "level": level,
                "wet_area_m2": round(float(tiles["wet_cells"][k]) * terrain.cell_area, 3),
                "volume_m3": round(float(tiles["volume_m3"][k]), 3),
                "max_depth_m": round(float(tiles["max_depth_m"][k]), 3),
                "buildings": per_building["buildings"] if per_building else empty_counts(),
                "dwellings": per_building["dwellings"] if per_building else empty_counts(),
                "buildings_affected": per_building["buildings_affected"] if per_building else 0,
                "dwellings_affected": per_building["dwellings_affected"] if per_building else 0,
                "storeys_flooded": per_building["storeys_flooded"] if per_building else 0,
            }
        )

    say(75, "Écriture des COG")
    bands = [
        f"profondeur t={t:g} min, niveau {level:g} m"
        for t, level in zip(hydrograph.times, hydrograph.levels, strict=True)
    ]
    nodata = np.isnan(terrain.z)
    depths = np.where(nodata[np.newaxis], np.nan, tiles["depths"])
    outputs = {
        "depths": str(write_cog(out / "profondeurs.tif", depths, terrain, descriptions=bands)),
        "arrival": str(
            write_cog(out / "arrivee.tif", tiles["arrival"][np.newaxis], terrain, descriptions=["arrivée (min)"])
        ),
        "max_depth": str(
            write_cog(
                out / "profondeur_max.tif",
                np.where(nodata, np.nan, tiles["max_depth"])[np.newaxis],
                terrain,
                descriptions=["profondeur maximale (m)"],
            )
        ),
        "duration": str(
            write_cog(
                out / "duree.tif",
                np.where(nodata, np.nan, tiles["duration"])[np.newaxis],
                terrain,
                descriptions=["durée de submersion (min)"],
            )
        ),
    }
    if buildings:
        say(85, "Bâtiments")
        bati.write_buildings(buildings, hydrograph.times, out / "batiments.gpkg", out / "batiments.csv", LIMITS_FR)
        outputs["buildings_gpkg"] = str(out / "batiments.gpkg")
        outputs["buildings_csv"] = str(out / "batiments.csv")
    say(90, "Couches web")
    layers = write_map_layers(out / "web", terrain, tiles["depths"], tiles["max_depth"])
    write_scene(out / "web" / "scene.json", scene(terrain, spill, hydrograph, buildings, frames))
    outputs["web"] = str(out / "web")
    outputs["summary"] = str(out / "resume.json")

    reached = np.isfinite(spill)
    summary = {
        "frames": frames,
        "outputs": outputs,
        "limits": LIMITS,
        "connectivity": connectivity,
        "grid": {
            "width": int(terrain.shape[1]),
            "height": int(terrain.shape[0]),
            "resolution": terrain.resolution,
            "bounds": [float(v) for v in terrain.bounds],
            "crs": "EPSG:2154",
            "vertical_datum": "NGF-IGN69",
            "seed_cells": int(seeds.sum()),
            "reachable_cells": int(reached.sum()),
            "filled_cells": int(terrain.filled.sum()) if terrain.filled is not None else 0,
        },
        "max_level": max(hydrograph.levels),
        "max_wet_area_m2": max(f["wet_area_m2"] for f in frames),
        "buildings_total": len(buildings),
        "buildings_max": {
            "buildings": max((f["buildings_affected"] for f in frames), default=0),
            "dwellings": max((f["dwellings_affected"] for f in frames), default=0),
        },
        "map_layers": layers,
        "spill_seconds": round(spill_seconds, 3),
    }
    (out / "resume.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    say(100, "Terminé")
    return summary
