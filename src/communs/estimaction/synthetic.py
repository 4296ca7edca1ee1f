"""Seeded synthetic inputs in the real formats' shapes, for the demo and the benchmarks.

Nothing here is real data: a population grid with a dense centre, noise bands as rings around
road segments (the shape strategic noise maps have), and an air concentration field that decreases
from the centre and near roads. Pure numpy/shapely: no Django.
"""

from dataclasses import dataclass

import numpy as np
import shapely

from communs.estimaction.engine.grid import PopulationGrid, make_cell_id
from communs.estimaction.engine.noise_zones import NoiseZones, build_zones

# Distance from the road axis (m) of the outer edge of each band, highest band first:
# ≥75 within 15 m, 70-75 to 40 m, 65-70 to 80 m, 60-65 to 150 m, 55-60 to 250 m (Lden);
# the night bands are the same rings, 5 dB lower, so slightly narrower.
LDEN_RINGS = (15, 40, 80, 150, 250)
LNIGHT_RINGS = (10, 30, 65, 120, 200)


@dataclass
class Centre:
    code: str
    east: float
    north: float
    weight: float  # relative density


def synthetic_grid(
    centres: list[Centre], *, radius_m: float, seed: int, people_per_cell: float = 60.0, resolution: int = 200
) -> PopulationGrid:
    """Populated cells around the centres; each cell's commune (lcog_geo) is its nearest centre."""
    rng = np.random.default_rng(seed)
    xs = [c.east for c in centres]
    ys = [c.north for c in centres]
    west = (min(xs) - radius_m) // resolution * resolution
    south = (min(ys) - radius_m) // resolution * resolution
    east_max, north_max = max(xs) + radius_m, max(ys) + radius_m
    east, north = np.meshgrid(np.arange(west, east_max, resolution), np.arange(south, north_max, resolution))
    east, north = east.ravel().astype(float), north.ravel().astype(float)
    cx, cy = east + resolution / 2, north + resolution / 2
    distances = np.stack([np.hypot(cx - c.east, cy - c.north) for c in centres])
    nearest = distances.argmin(axis=0)
    weights = np.array([c.weight for c in centres])[nearest]
    density = weights * np.exp(-distances.min(axis=0) / (radius_m / 3))
    population = rng.poisson(people_per_cell * density * rng.uniform(0.3, 1.7, len(east))).astype(float)
    keep = (population > 0) & (distances.min(axis=0) < radius_m)
    ids = np.array(
        [make_cell_id(e, n, resolution) for e, n in zip(east[keep], north[keep], strict=True)], dtype=object
    )
    communes = [[centres[i].code] for i in nearest[keep]]
    pop = population[keep]
    ages = {
        name: pop * share
        for name, share in {
            "ind_25_39": 0.21,
            "ind_40_54": 0.19,
            "ind_55_64": 0.12,
            "ind_65_79": 0.13,
            "ind_80p": 0.06,
        }.items()
    }
    return PopulationGrid(ids, east[keep], north[keep], pop, float(resolution), ages, communes, source="synthétique")


def synthetic_roads(
    centre: tuple[float, float],
    *,
    count: int,
    extent_m: float,
    seed: int,
    section_m: float = 600.0,
    sections: int = 10,
) -> np.ndarray:
    """Road sections (the unit of a noise map): `count` sections chained into roads of `sections`
    sections that wander away from points scattered around the centre, denser near it."""
    rng = np.random.default_rng(seed)
    roads = max(1, count // sections)
    start = np.asarray(centre) + rng.normal(0, extent_m / 2.5, (roads, 2))
    heading = rng.uniform(0, 2 * np.pi, roads)
    turns = np.cumsum(rng.normal(0, 0.25, (roads, sections)), axis=1) + heading[:, None]
    steps = np.stack([np.cos(turns), np.sin(turns)], axis=-1) * section_m
    points = np.concatenate([start[:, None, :], start[:, None, :] + np.cumsum(steps, axis=1)], axis=1)
    segments = np.stack([points[:, :-1, :], points[:, 1:, :]], axis=2).reshape(-1, 2, 2)
    return shapely.linestrings(segments[:count])


def noise_rings(roads: np.ndarray, *, quad_segs: int = 4) -> tuple[np.ndarray, list[str], list[str]]:
    """Band polygons around each road (EPSG:3035): 5 Lden rings and 5 Lnight rings per road."""
    geometries, indicators, legends = [], [], []
    for indicator, rings, lowest in (("LD", LDEN_RINGS, 55), ("LN", LNIGHT_RINGS, 50)):
        buffers = [shapely.buffer(roads, distance, quad_segs=quad_segs, cap_style="flat") for distance in rings]
        for k, outer in enumerate(buffers):
            band_low = lowest + 5 * (len(rings) - 1 - k)  # first ring is the highest band
            polygon = outer if k == 0 else shapely.difference(outer, buffers[k - 1])
            geometries.append(polygon)
            indicators += [indicator] * len(roads)
            legends += [f"{indicator}{band_low}"] * len(roads)
    return np.concatenate(geometries), indicators, legends


def synthetic_noise(roads: np.ndarray) -> NoiseZones:
    geometries, indicators, legends = noise_rings(roads)
    return build_zones(geometries, indicators, legends, crs="EPSG:3035", source="synthétique")


def synthetic_air_field(
    *,
    west: float,
    north: float,
    width_px: int,
    height_px: int,
    resolution: float,
    centre: tuple[float, float],
    background: float,
    peak: float,
    scale_m: float,
) -> np.ndarray:
    """A smooth annual-mean field (µg/m³): background + peak·exp(−d/scale) around the centre."""
    xs = west + resolution * (np.arange(width_px) + 0.5)
    ys = north - resolution * (np.arange(height_px) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    distance = np.hypot(gx - centre[0], gy - centre[1])
    return background + peak * np.exp(-distance / scale_m)
