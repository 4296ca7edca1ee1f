"""A seeded synthetic valley: a river, a levee, a basin behind it and a village. Never real data.

The river runs south to north along x = 60 m in a 10 m wide channel (bed at 10 m NGF). A levee
crest at 15.5 m guards the east bank between y = 40 m and y = 200 m; behind it a basin falls to
11.5 m, and the levee's two ends tie into ground at 14.5 m, so the basin stays dry until the
river rises above 14.5 m and then fills around the levee's ends — the story a 2D map tells badly.
A village of small buildings sits on the slope east of the basin. The terrain is a pure function
of the cell coordinates and the seed (a little noise), so two runs give identical files.
"""

import json
from pathlib import Path

import numpy as np

from communs.inondata.engine.terrain import Terrain

ORIGIN = (842_000.0, 6_520_000.0)  # Lambert-93, a plausible place in a valley of the Rhône basin
RIVER_X = 60.0
HYDROGRAPH = ((0, 12.0), (60, 13.2), (120, 14.3), (180, 15.0), (240, 15.6), (300, 15.1), (360, 14.0))


def valley(seed: int = 17, *, cols: int = 150, rows: int = 120, resolution: float = 2.0) -> Terrain:
    rng = np.random.default_rng(seed)
    x = (np.arange(cols) + 0.5) * resolution
    y = (np.arange(rows) + 0.5) * resolution  # metres south of the top edge
    xx, yy = np.meshgrid(x, y)
    # Floodplain rising gently away from the river, valley sides rising fast beyond x = 230 m.
    z = 12.0 + 0.012 * np.abs(xx - RIVER_X) + np.clip(xx - 230.0, 0, None) * 0.15
    z += 0.004 * (rows * resolution - yy)  # the valley falls towards the north
    channel = np.abs(xx - RIVER_X) < 5.0
    z = np.where(channel, 10.0, z)
    # The basin east of the levee (an old meander), down to 11.5 m at its centre.
    basin = np.exp(-(((xx - 130.0) / 35.0) ** 2) - (((yy - 120.0) / 55.0) ** 2))
    z -= 2.2 * basin
    # The ground where the levee ends tie in: 14.5 m north and south of it.
    ends = (np.abs(xx - 82.0) < 12.0) & ((yy < 40.0) | (yy > 200.0))
    z = np.where(ends, np.maximum(z, 14.5), z)
    levee = (np.abs(xx - 82.0) < 3.0) & (yy >= 40.0) & (yy <= 200.0)
    z = np.where(levee, 15.5, z)
    z += rng.normal(0.0, 0.03, z.shape)
    z = np.where(channel, 10.0, z)
    return Terrain(z=z, origin=ORIGIN, resolution=resolution, filled=np.zeros(z.shape, dtype=bool))


def river_line(terrain: Terrain) -> dict:
    """The river's centre line as GeoJSON in Lambert-93 (legacy `crs` member)."""
    x0, y1 = terrain.origin
    x0b, y0, _, _ = terrain.bounds
    return {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"nom": "Rivière de démonstration"},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[x0 + RIVER_X, y0 + 1.0], [x0 + RIVER_X, y1 - 1.0]],
                },
            }
        ],
    }


def village(terrain: Terrain, seed: int = 17) -> list[dict]:
    """Buildings (footprint in Lambert-93 and BD TOPO attributes), floor level from the terrain."""
    import shapely

    rng = np.random.default_rng(seed + 1)
    x0, y1 = terrain.origin
    items = []
    index = 0
    for gy in range(7):
        for gx in range(4):
            if rng.random() < 0.15:
                continue
            cx = 150.0 + gx * 22.0 + rng.uniform(-3, 3)
            cy = 40.0 + gy * 26.0 + rng.uniform(-3, 3)  # metres south of the top edge
            w, d = rng.uniform(8, 14), rng.uniform(7, 11)
            col0, col1 = int((cx - w / 2) / terrain.resolution), int((cx + w / 2) / terrain.resolution) + 1
            row0, row1 = int((cy - d / 2) / terrain.resolution), int((cy + d / 2) / terrain.resolution) + 1
            floor = float(np.nanmin(terrain.z[row0:row1, col0:col1])) + 0.2
            storeys = int(rng.integers(1, 4))
            index += 1
            items.append(
                {
                    "cleabs": f"BATIMENT-DEMO-{index:04d}",
                    "geometry": shapely.box(x0 + cx - w / 2, y1 - cy - d / 2, x0 + cx + w / 2, y1 - cy + d / 2),
                    "altitude_minimale_sol": round(floor, 2),
                    "hauteur": round(storeys * 2.8 + rng.uniform(0.5, 2.0), 1),
                    "nombre_d_etages": storeys,
                    "nombre_de_logements": int(rng.integers(1, 3 * storeys + 1)),
                }
            )
    return items


def write_buildings_gpkg(items: list[dict], path: Path) -> Path:
    import pyogrio.raw
    import shapely

    fields = ["cleabs", "altitude_minimale_sol", "hauteur", "nombre_d_etages", "nombre_de_logements"]
    values = [
        np.array([i["cleabs"] for i in items], dtype=object),
        np.array([i["altitude_minimale_sol"] for i in items], dtype=np.float64),
        np.array([i["hauteur"] for i in items], dtype=np.float64),
        np.array([i["nombre_d_etages"] for i in items], dtype=np.int32),
        np.array([i["nombre_de_logements"] for i in items], dtype=np.int32),
    ]
    path.unlink(missing_ok=True)
    pyogrio.raw.write(
        path,
        shapely.to_wkb([i["geometry"] for i in items]),
        values,
        fields=fields,
        layer="batiment",
        driver="GPKG",
        geometry_type="Polygon",
        crs="EPSG:2154",
    )
    return path


def hydrograph_csv(rows=HYDROGRAPH) -> str:
    return "t,level\n" + "".join(f"{t},{level}\n" for t, level in rows)


def demo_files(directory: Path | str, seed: int = 17) -> dict[str, Path]:
    """Write the demo DTM (COG), river line, hydrograph and buildings; return their paths."""
    from communs.inondata.engine.terrain import write_dtm

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    terrain = valley(seed)
    paths = {
        "dem": directory / "vallee-demo.tif",
        "seeds": directory / "riviere-demo.geojson",
        "levels": directory / "crue-demo.csv",
        "buildings": directory / "bati-demo.gpkg",
    }
    write_dtm(terrain, paths["dem"])
    paths["seeds"].write_text(json.dumps(river_line(terrain)), encoding="utf-8")
    paths["levels"].write_text(hydrograph_csv(), encoding="utf-8")
    write_buildings_gpkg(village(terrain, seed), paths["buildings"])
    return paths
