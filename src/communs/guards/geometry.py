"""Checks every posted or uploaded polygon goes through before any area or pixel is counted.

- every coordinate a finite number, and at most `MAX_VERTICES` of them;
- in WGS 84 (GeoJSON's default), every point within one of France's extents below; in Lambert-93
  (EPSG:2154, declared by the legacy `crs` member), within that projection's metropolitan extent;
- rings that do not cross themselves. A self-intersecting ring ("bowtie") is refused, naming the
  crossing point: repairing it silently (`make_valid`) keeps two triangles, half the rectangle the
  author probably meant, and the count would look right while being wrong.

Extents (longitude, latitude, degrees), a little wider than the land and territorial waters:
metropolitan France with Corsica, the Antilles, Guyane, La Réunion, Mayotte, Saint-Pierre-et-Miquelon
(IGN, "Emprises des territoires", rounded outwards).
"""

import math

MAX_VERTICES = 200_000

FRANCE_EXTENTS_LONLAT: dict[str, tuple[float, float, float, float]] = {
    "France métropolitaine": (-5.8, 41.2, 10.0, 51.5),
    "Guadeloupe, Martinique, Saint-Martin, Saint-Barthélemy": (-63.3, 14.2, -60.7, 18.2),
    "Guyane": (-54.7, 2.0, -51.5, 6.0),
    "La Réunion": (55.1, -21.5, 56.0, -20.8),
    "Mayotte": (44.9, -13.1, 45.4, -12.5),
    "Saint-Pierre-et-Miquelon": (-56.6, 46.7, -56.0, 47.2),
}
# EPSG:2154 projected bounds (metres), from the EPSG registry's area of use, rounded outwards.
LAMBERT93_EXTENT = (-400_000.0, 6_000_000.0, 1_350_000.0, 7_250_000.0)
# Metropolitan France in ETRS89-LAEA (EPSG:3035, the European noise directive's grid), rounded outwards.
LAEA_FRANCE_EXTENT = (3_000_000.0, 1_900_000.0, 4_500_000.0, 3_300_000.0)


def extents_for(crs: str) -> tuple:
    """France's boxes in `crs` when it is one the suite knows (WGS 84, Lambert-93, LAEA), else none."""
    normalized = (crs or "").upper().replace("URN:OGC:DEF:CRS:EPSG::", "EPSG:")
    if normalized in ("EPSG:4326", "OGC:CRS84", "URN:OGC:DEF:CRS:OGC:1.3:CRS84"):
        return tuple(FRANCE_EXTENTS_LONLAT.values())
    if normalized == "EPSG:2154":
        return (LAMBERT93_EXTENT,)
    if normalized == "EPSG:3035":
        return (LAEA_FRANCE_EXTENT,)
    return ()


class GeometryInputError(ValueError):
    """A polygon that cannot be counted; the message names the source and what is wrong."""


def _positions(node, source: str):
    """Every position (list of numbers) of a GeoJSON `coordinates` member, without recursion."""
    stack = [node]
    while stack:
        item = stack.pop()
        if not isinstance(item, list | tuple):
            raise GeometryInputError(f"{source} : coordonnées mal formées ({type(item).__name__})")
        if item and all(isinstance(v, int | float) and not isinstance(v, bool) for v in item):
            yield item
        else:
            stack.extend(item)


def _coordinate_lists(doc, source: str, depth: int = 0):
    if depth > 8:
        raise GeometryInputError(f"{source} : GeoJSON trop imbriqué")
    if not isinstance(doc, dict):
        return
    kind = doc.get("type")
    if kind == "FeatureCollection":
        for feature in doc.get("features") or []:
            yield from _coordinate_lists(feature, source, depth + 1)
    elif kind == "Feature":
        yield from _coordinate_lists(doc.get("geometry"), source, depth + 1)
    elif kind == "GeometryCollection":
        for geometry in doc.get("geometries") or []:
            yield from _coordinate_lists(geometry, source, depth + 1)
    elif "coordinates" in doc:
        yield doc["coordinates"]


def _within(x: float, y: float, extents) -> bool:
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in extents)


def check_geojson_coordinates(
    doc,
    *,
    source: str = "GeoJSON",
    crs: str = "EPSG:4326",
    max_vertices: int = MAX_VERTICES,
    extents=None,
) -> int:
    """Refuse non-finite or out-of-extent coordinates and more than `max_vertices` positions;
    returns the number of positions. `extents`: boxes (xmin, ymin, xmax, ymax) in `crs`, by default
    France's for EPSG:4326 and Lambert-93's for EPSG:2154, none for another CRS."""
    if extents is None:
        extents = extents_for(crs)
    count = 0
    for coordinates in _coordinate_lists(doc, source):
        for position in _positions(coordinates, source):
            count += 1
            if count > max_vertices:
                raise GeometryInputError(f"{source} : plus de {max_vertices} sommets ; simplifiez le contour")
            if len(position) < 2:
                raise GeometryInputError(f"{source} : position {position} incomplète (x, y attendus)")
            x, y = position[0], position[1]
            if not (math.isfinite(x) and math.isfinite(y)):
                raise GeometryInputError(f"{source} : coordonnée non finie ({x}, {y})")
            if extents and not _within(x, y, extents):
                raise GeometryInputError(
                    f"{source} : le point ({x:g}, {y:g}) est hors de l'emprise de la France ({crs})"
                )
    return count


def check_rings(geometry, *, source: str = "GeoJSON") -> None:
    """Refuse a shapely geometry whose rings cross themselves, naming the point shapely reports.

    Other invalidities (a repeated point, a ring of zero area, a hole touching its shell) have one
    obvious repair: the caller applies `shapely.make_valid` and refuses what is left empty."""
    import shapely

    if geometry.is_valid:
        return
    reason = shapely.is_valid_reason(geometry)
    if reason.startswith("Self-intersection") or reason.startswith("Ring Self-intersection"):
        point = reason.split("[", 1)[-1].rstrip("]")
        raise GeometryInputError(
            f"{source} : un contour se recoupe lui-même au point ({point}) ; un polygone « en nœud papillon » "
            "n'a pas d'aire non ambiguë, corrigez le tracé"
        )


def check_coordinate_array(coordinates, *, source: str, crs: str = "", max_vertices: int | None = None) -> None:
    """The same checks on an (n, 2) array of coordinates (`shapely.get_coordinates` of a file's
    geometries): all finite, within France's extents for a known `crs`, at most `max_vertices`."""
    import numpy as np

    coordinates = np.asarray(coordinates, dtype=float).reshape(-1, 2)
    if max_vertices is not None and len(coordinates) > max_vertices:
        raise GeometryInputError(f"{source} : {len(coordinates)} sommets, au-delà de {max_vertices}")
    finite = np.isfinite(coordinates).all(axis=1)
    if not finite.all():
        x, y = coordinates[int(np.argmin(finite))]
        raise GeometryInputError(f"{source} : coordonnée non finie ({x}, {y})")
    extents = extents_for(crs)
    if extents and len(coordinates):
        inside = np.zeros(len(coordinates), dtype=bool)
        for x0, y0, x1, y1 in extents:
            inside |= (
                (coordinates[:, 0] >= x0)
                & (coordinates[:, 0] <= x1)
                & (coordinates[:, 1] >= y0)
                & (coordinates[:, 1] <= y1)
            )
        if not inside.all():
            x, y = coordinates[int(np.argmin(inside))]
            raise GeometryInputError(f"{source} : le point ({x:g}, {y:g}) est hors de l'emprise de la France ({crs})")
