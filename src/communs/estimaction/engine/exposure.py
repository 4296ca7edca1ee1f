"""Population exposed per noise band, by area-weighted intersection of grid cells with zones.

For each cell, the share of its area inside the zones of band b gives the share of its population
exposed in band b (population assumed uniform within a 200 m cell, the END/Cerema convention).
Rules, stated once:
- population is conserved: what no zone covers goes to "below the first band", so the bands of an
  indicator always sum to the population of the territory;
- overlapping zones of one indicator (several infrastructures, or a file that repeats an area) never
  count twice: each piece of area keeps the **highest** band that covers it (the ≥ rule of noise
  maps), resolved on the zones once before they meet the cells;
- type C zones (above the limit values) are counted apart, per indicator, with the same rule;
- a territory polygon clips cells by area: a cell half inside brings half its population, and only
  the zone area inside the territory counts.
Everything is vectorised with shapely 2 (STRtree bulk queries, array intersections) and numpy.
"""

from dataclasses import dataclass, field

import numpy as np
import shapely

from communs.estimaction.engine.grid import PopulationGrid
from communs.estimaction.engine.noise_zones import NoiseZones
from communs.estimaction.engine.parameters import BANDS, BELOW, INDICATORS, band_labels

# Below this share of a cell, an intersection is numerical noise from touching edges.
EPSILON = 1e-9
# When GEOS meets a robustness failure (nearly coincident edges after reprojection), the operation is
# redone on a 1 cm precision grid: far below the metre-level accuracy of noise maps.
FALLBACK_GRID_M = 0.01


def _robust(operation, *args):
    try:
        return operation(*args)
    except shapely.errors.GEOSException:
        valid = [shapely.make_valid(arg) for arg in args]
        return operation(*valid, grid_size=FALLBACK_GRID_M)


@dataclass
class SourceExposure:
    """Exposure to one source type (or to all sources together)."""

    bands: dict[str, dict[str, float]]
    exceedance: dict[str, float]
    cell_bands: dict[str, np.ndarray]

    def as_dict(self) -> dict:
        payload = {indicator: dict(self.bands[indicator]) for indicator in INDICATORS}
        payload["exceedance"] = dict(self.exceedance)
        return payload


@dataclass
class ExposureResult:
    total_population: float
    bands: dict[str, dict[str, float]]  # indicator → label → population (with "below" first)
    exceedance: dict[str, float]  # indicator → population inside type C zones
    grid: PopulationGrid  # the (clipped) cells the figures come from
    # Per cell and indicator: population in each band (n_cells × n_bands), for maps and air sampling.
    cell_bands: dict[str, np.ndarray] = field(default_factory=dict)
    overlaps_resolved: int = 0
    # Per source type (road, rail, aircraft, industry) present in the noise map.
    by_source: dict[str, SourceExposure] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """`lden`/`lnight`/`exceedance`: all sources together (each area at its highest band; the same as
        the source's own figures when the map holds one source type); `sources`: per source type."""
        payload = {indicator: dict(self.bands[indicator]) for indicator in INDICATORS}
        payload["total_population"] = self.total_population
        payload["exceedance"] = dict(self.exceedance)
        payload["sources"] = {source: exposure.as_dict() for source, exposure in self.by_source.items()}
        return payload

    def highest_band(self, indicator: str) -> np.ndarray:
        """Per cell, the index of the highest band holding population, −1 when none."""
        matrix = self.cell_bands[indicator]
        exposed = matrix > EPSILON
        last = matrix.shape[1] - 1 - np.argmax(exposed[:, ::-1], axis=1)
        return np.where(exposed.any(axis=1), last, -1)


def resolve_overlaps(geometries: np.ndarray, rank: np.ndarray) -> tuple[np.ndarray, int]:
    """Make zones disjoint: where zones overlap, the area goes to the highest `rank` (then the lowest
    index). Only zones whose interiors meet are touched, each with one `difference`."""
    geometries = np.asarray(geometries, dtype=object).copy()
    if len(geometries) < 2:
        return geometries, 0
    tree = shapely.STRtree(geometries)
    left, right = tree.query(geometries, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    if len(left) == 0:
        return geometries, 0
    # Neighbouring bands share an edge: touching is not overlapping.
    overlapping = ~shapely.touches(geometries[left], geometries[right])
    left, right = left[overlapping], right[overlapping]
    if len(left) == 0:
        return geometries, 0
    # Pair (i, j) with i < j: the loser is the lower rank, or j on equal rank.
    loser = np.where(rank[right] <= rank[left], right, left)
    winner = np.where(loser == right, left, right)
    order = np.argsort(loser, kind="stable")
    loser, winner = loser[order], winner[order]
    starts = np.flatnonzero(np.r_[True, loser[1:] != loser[:-1]])
    ends = np.r_[starts[1:], len(loser)]
    original = geometries.copy()
    for start, end in zip(starts, ends, strict=True):
        index = loser[start]
        cover = _robust(shapely.union_all, original[winner[start:end]])
        geometries[index] = _robust(shapely.difference, original[index], cover)
    return geometries, len(starts)


CLIP_CHUNK = 5000


def _piece_areas(zones: np.ndarray, boxes: np.ndarray, east: np.ndarray, north: np.ndarray, size: float) -> np.ndarray:
    """area(zone ∩ cell) for each pair. Each zone copy is shifted so that its cell becomes the same
    square [0, size]², which lets GEOS use its rectangle clipping (about 3× faster than a general
    intersection) in one vectorised call. A chunk where GEOS refuses the clip (a ring collapsing
    under the shift) is redone with the general intersection."""
    counts = shapely.get_num_coordinates(zones)
    offsets = np.column_stack([np.repeat(east, counts), np.repeat(north, counts)])
    shifted = shapely.transform(zones, lambda xy: xy - offsets)
    areas = np.empty(len(zones))
    for start in range(0, len(zones), CLIP_CHUNK):
        chunk = slice(start, start + CLIP_CHUNK)
        try:
            areas[chunk] = shapely.area(shapely.clip_by_rect(shifted[chunk], 0.0, 0.0, size, size))
        except shapely.errors.GEOSException:
            areas[chunk] = shapely.area(_robust(shapely.intersection, zones[chunk], boxes[chunk]))
    return areas


def _shares(cells: PopulationGrid, zones: np.ndarray, zone_band: np.ndarray, n_bands: int, cell_area: np.ndarray):
    """n_cells × n_bands matrix of the share of each cell's (clipped) area inside each band."""
    shares = np.zeros((len(cells), n_bands))
    if len(zones) == 0 or len(cells) == 0:
        return shares
    tree = shapely.STRtree(zones)
    boxes = cells.polygons()
    cell_index, zone_index = tree.query(boxes, predicate="intersects")
    if len(cell_index) == 0:
        return shares
    area = _piece_areas(
        zones[zone_index], boxes[cell_index], cells.east[cell_index], cells.north[cell_index], cells.resolution
    )
    np.add.at(shares, (cell_index, zone_band[zone_index]), area / cell_area[cell_index])
    return shares


def _resolve_map(zones: NoiseZones, geometries: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Resolve overlaps within each group (and indicator, zone type): type A by band, type C flat."""
    geometries = geometries.copy()
    for group in np.unique(groups):
        for indicator in INDICATORS:
            for zone_type in ("A", "C"):
                mask = (groups == group) & (zones.indicator == indicator) & (zones.zone_type == zone_type)
                if mask.any():
                    rank = zones.band[mask] if zone_type == "A" else np.zeros(int(mask.sum()), dtype=int)
                    geometries[mask], _ = resolve_overlaps(geometries[mask], rank)
    return geometries


def prepare_zones(zones: NoiseZones) -> NoiseZones:
    """Resolve overlaps once for a whole noise map, so that many territories computed from the same
    map share the work: within each source type (the per-source figures), and, when the map holds
    several source types, across them too (the "all sources" figure)."""
    if zones.resolved:
        return zones
    per_source = _resolve_map(zones, zones.geometries, zones.source_type)
    combined = None
    if len(zones.source_types()) > 1:
        combined = _resolve_map(zones, per_source, np.zeros(len(zones), dtype=int))
    return NoiseZones(
        per_source, zones.indicator, zones.band, zones.zone_type, zones.source_type, zones.source, True, combined
    )


def _near(zones: NoiseZones, grid: PopulationGrid) -> NoiseZones:
    """The zones that can touch the grid's cells (bounding-box pre-filter)."""
    if len(grid) == 0 or len(zones) == 0:
        return zones.select(np.zeros(len(zones), dtype=bool))
    envelope = shapely.box(
        grid.east.min(), grid.north.min(), grid.east.max() + grid.resolution, grid.north.max() + grid.resolution
    )
    return zones.select(shapely.intersects(zones.geometries, envelope))


def _exposure_of(
    cells: PopulationGrid, cell_area: np.ndarray, zones: NoiseZones, geometries: np.ndarray, resolved: bool
) -> tuple[SourceExposure, int]:
    """Bands and exceedance of one set of zones (one source type, or all sources together)."""
    population = cells.population
    total = float(population.sum())
    bands: dict[str, dict[str, float]] = {}
    cell_bands: dict[str, np.ndarray] = {}
    exceedance: dict[str, float] = {}
    count = 0
    for indicator in INDICATORS:
        n_bands = len(BANDS[indicator])
        mask = (zones.indicator == indicator) & (zones.zone_type == "A")
        geoms, resolved_here = (
            (geometries[mask], 0) if resolved else resolve_overlaps(geometries[mask], zones.band[mask])
        )
        count += resolved_here
        shares = np.clip(_shares(cells, geoms, zones.band[mask], n_bands, cell_area), 0.0, 1.0)
        # Floating error can push a fully covered cell a hair above 1: rescale such rows.
        row_sum = shares.sum(axis=1)
        over = row_sum > 1.0
        shares[over] /= row_sum[over, None]
        per_cell = shares * population[:, None]
        cell_bands[indicator] = per_cell
        in_bands = per_cell.sum(axis=0)
        labels = band_labels(indicator)
        result = {BELOW[indicator]: max(total - float(in_bands.sum()), 0.0)}
        result.update({labels[i + 1]: float(in_bands[i]) for i in range(n_bands)})
        bands[indicator] = result
        mask_c = (zones.indicator == indicator) & (zones.zone_type == "C")
        if mask_c.any():
            geoms_c, resolved_c = (
                (geometries[mask_c], 0)
                if resolved
                else resolve_overlaps(geometries[mask_c], np.zeros(int(mask_c.sum()), dtype=int))
            )
            count += resolved_c
            shares_c = np.clip(_shares(cells, geoms_c, np.zeros(len(geoms_c), dtype=int), 1, cell_area), 0.0, 1.0)
            exceedance[indicator] = float((shares_c[:, 0] * population).sum())
        else:
            exceedance[indicator] = 0.0
    return SourceExposure(bands, exceedance, cell_bands), count


def compute_exposure(
    grid: PopulationGrid, zones: NoiseZones, territory: shapely.Geometry | None = None
) -> ExposureResult:
    """Population per band for Lden and Lnight (type A) and inside type C zones, per source type and
    for all sources together (each piece of area at the highest band of any source).

    `territory` (EPSG:3035) clips cells and zones; without it every cell of the grid counts.
    """
    full_area = grid.resolution**2
    zones = _near(zones, grid)
    combined_geometries = zones.combined_geometries
    if territory is not None:
        shapely.prepare(territory)
        boxes = grid.polygons()
        inside = shapely.intersects(territory, boxes)
        clipped_area = np.zeros(len(grid))
        candidates = np.flatnonzero(inside)
        clipped_area[candidates] = shapely.area(_robust(shapely.intersection, boxes[candidates], territory))
        keep = clipped_area > EPSILON * full_area
        cells = grid.subset(keep, clipped_area[keep] / full_area)
        cell_area = clipped_area[keep]
        zone_geometries = _robust(shapely.intersection, zones.geometries, territory)
        if combined_geometries is not None:
            combined_geometries = _robust(shapely.intersection, combined_geometries, territory)
    else:
        cells = grid
        cell_area = np.full(len(grid), full_area)
        zone_geometries = zones.geometries
    by_source: dict[str, SourceExposure] = {}
    resolved = 0
    sources = zones.source_types()
    for source in sources:
        mask = zones.source_type == source
        by_source[source], count = _exposure_of(
            cells, cell_area, zones.select(mask), zone_geometries[mask], zones.resolved
        )
        resolved += count
    if len(sources) == 1:
        combined = by_source[sources[0]]
    elif zones.resolved and combined_geometries is not None:
        combined, _ = _exposure_of(cells, cell_area, zones, combined_geometries, True)
    else:
        # Not prepared (or no zone at all): resolve across sources here.
        combined, count = _exposure_of(cells, cell_area, zones, zone_geometries, False)
        resolved += count
    return ExposureResult(
        float(cells.population.sum()),
        combined.bands,
        combined.exceedance,
        cells,
        combined.cell_bands,
        resolved,
        by_source,
    )


def select_communes(grid: PopulationGrid, codes: set[str]) -> PopulationGrid:
    """Cells attributed to a set of communes through `lcog_geo`, when no contour is available.

    A cell listed under k communes brings 1/k of its population to each (uniform split: the
    documented approximation when the contour is unknown)."""
    if not grid.communes:
        raise ValueError("la grille n'a pas de colonne lcog_geo : fournissez un contour du territoire")
    weights = np.array(
        [sum(code in codes for code in listed) / len(listed) if listed else 0.0 for listed in grid.communes]
    )
    keep = weights > 0
    return grid.subset(keep, weights[keep])


def share_above(exposure: dict[str, float], indicator: str, threshold: float) -> tuple[float, bool]:
    """Population above a threshold in dB from band counts, interpolating linearly inside the band
    holding the threshold. Returns (population, lower_bound): lower_bound is True when the threshold
    lies below the first mapped band, so the population between them is unknown."""
    population = 0.0
    for band in BANDS[indicator]:
        count = exposure.get(band.label, 0.0)
        if band.lower >= threshold:
            population += count
        elif band.upper is not None and band.upper > threshold:
            population += count * (band.upper - threshold) / (band.upper - band.lower)
        elif band.upper is None:
            population += count
    return population, threshold < BANDS[indicator][0].lower
