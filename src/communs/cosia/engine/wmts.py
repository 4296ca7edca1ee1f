"""OGC WMTS 1.0.0 capabilities of the CoSIA tiles, so QGIS, ArcGIS or GDAL add them by URL.

Standard: OGC 07-057r7, *OpenGIS Web Map Tile Service Implementation Standard* 1.0.0 —
§7.1 (GetCapabilities response), §7.2 (GetTile), §10 (RESTful binding: `ResourceURL` templates),
Annex E.4 (well-known scale set *GoogleMapsCompatible*). The tile matrix set is the one of
OGC 17-083r2 (*Two Dimensional Tile Matrix Set*) Annex D.1 *WebMercatorQuad*: EPSG:3857,
256-px tiles, 2^z × 2^z tiles at zoom z, top-left corner (−20,037,508.34 m, 20,037,508.34 m).

Scale denominator of zoom z (OGC 07-057r7 §6.1.1, "standardized rendering pixel size" 0.28 mm):
    pixel size (m) = 2π · 6,378,137 / (256 · 2^z)      (equator length / pixels across)
    scale denominator = pixel size / 0.00028

The document lists every zoom 0–`max_zoom` of the set (identifiers "0", "1"... as clients expect
of GoogleMapsCompatible) and restricts each layer with `TileMatrixSetLimits` to the zooms served
and to the tiles over its extent, so clients never ask for tiles that can only be empty.
"""

import math
import xml.etree.ElementTree as ET  # noqa: S405 (builds our own document; nothing is parsed here)
from dataclasses import dataclass
from xml.sax.saxutils import escape

from communs.cosia.engine.tiles import TILE_SIZE  # the size the tiles are rendered at

WMTS_NS = "http://www.opengis.net/wmts/1.0"
OWS_NS = "http://www.opengis.net/ows/1.1"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = (
    "http://www.opengis.net/wmts/1.0 http://schemas.opengis.net/wmts/1.0/wmtsGetCapabilities_response.xsd"
)

TILE_MATRIX_SET = "GoogleMapsCompatible"
WELL_KNOWN_SCALE_SET = "urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible"
SUPPORTED_CRS = "urn:ogc:def:crs:EPSG::3857"
EARTH_RADIUS_M = 6_378_137.0  # WGS 84 semi-major axis, the sphere of EPSG:3857
ORIGIN_M = math.pi * EARTH_RADIUS_M  # 20,037,508.3427892 m: half the equator
RENDERING_PIXEL_M = 0.00028  # OGC "standardized rendering pixel size"
MAX_LATITUDE = 85.0511287798066  # latitude where Web Mercator's square ends: atan(sinh(π))
FORMAT = "image/png"
STYLE = "default"

# Names are written with their literal prefixes (WMTS as the default namespace, `ows:`, `xlink:`),
# declared once on the root: QGIS reads capabilities without namespace processing and looks for
# `ows:Identifier`, `Layer`, `TileMatrix`... by these exact names, as in the standard's examples.
XLINK_HREF = "xlink:href"


def pixel_size_m(zoom: int) -> float:
    """Ground size of a pixel at the equator, in metres of EPSG:3857, at `zoom`."""
    return 2 * ORIGIN_M / (TILE_SIZE * 2**zoom)


def scale_denominator(zoom: int) -> float:
    return pixel_size_m(zoom) / RENDERING_PIXEL_M


def tile_of(lon: float, lat: float, zoom: int) -> tuple[int, int]:
    """(column, row) of the tile holding a WGS 84 point (the "slippy map" formula, rows from the top)."""
    lat = max(-MAX_LATITUDE, min(MAX_LATITUDE, lat))
    n = 2**zoom
    col = int((lon + 180.0) / 360.0 * n)
    phi = math.radians(lat)
    row = int((1.0 - math.asinh(math.tan(phi)) / math.pi) / 2.0 * n)
    return min(max(col, 0), n - 1), min(max(row, 0), n - 1)


@dataclass(frozen=True)
class TileLimits:
    zoom: int
    min_row: int
    max_row: int
    min_col: int
    max_col: int


def tile_limits(bounds: tuple[float, float, float, float], min_zoom: int, max_zoom: int) -> list[TileLimits]:
    """Tile rows and columns covering `bounds` (west, south, east, north in WGS 84) per served zoom."""
    west, south, east, north = bounds
    limits = []
    for zoom in range(min_zoom, max_zoom + 1):
        min_col, min_row = tile_of(west, north, zoom)
        max_col, max_row = tile_of(east, south, zoom)
        limits.append(TileLimits(zoom, min_row, max_row, min_col, max_col))
    return limits


@dataclass(frozen=True)
class LegendEntry:
    code: int
    name: str
    colour: str


@dataclass(frozen=True)
class Layer:
    """One vintage of CoSIA as a WMTS layer."""

    identifier: str
    title: str
    abstract: str
    bounds: tuple[float, float, float, float]  # WGS 84: west, south, east, north
    tile_template: str  # RESTful URL with {TileMatrix}, {TileCol}, {TileRow}
    legend_url: str
    legend: tuple[LegendEntry, ...]


@dataclass(frozen=True)
class Service:
    title: str
    abstract: str
    provider: str
    provider_url: str
    capabilities_url: str  # the RESTful capabilities document
    kvp_url: str  # the KVP endpoint (GetCapabilities and GetTile), ending with "?"
    tiles_url: str  # the root of the layers' ResourceURL templates (RESTful GetTile)
    fees: str = "Aucun"
    access_constraints: str = "Licence Ouverte 2.0 (Etalab)"


def _ows(tag: str) -> str:
    return f"ows:{tag}"


def _wmts(tag: str) -> str:
    return tag


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib) -> ET.Element:
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _operation(parent: ET.Element, name: str, service: Service) -> None:
    operation = _sub(parent, _ows("Operation"), name=name)
    http = _sub(_sub(operation, _ows("DCP")), _ows("HTTP"))
    restful = service.capabilities_url if name == "GetCapabilities" else service.tiles_url
    for href, encoding in ((service.kvp_url, "KVP"), (restful, "RESTful")):
        get = _sub(http, _ows("Get"), **{XLINK_HREF: href})
        constraint = _sub(get, _ows("Constraint"), name="GetEncoding")
        _sub(_sub(constraint, _ows("AllowedValues")), _ows("Value"), encoding)


def _layer(contents: ET.Element, layer: Layer, min_zoom: int, max_zoom: int) -> None:
    element = _sub(contents, _wmts("Layer"))
    _sub(element, _ows("Title"), layer.title)
    _sub(element, _ows("Abstract"), layer.abstract)
    box = _sub(element, _ows("WGS84BoundingBox"), crs="urn:ogc:def:crs:OGC:2:84")
    west, south, east, north = layer.bounds
    _sub(box, _ows("LowerCorner"), f"{west:.7f} {south:.7f}")
    _sub(box, _ows("UpperCorner"), f"{east:.7f} {north:.7f}")
    _sub(element, _ows("Identifier"), layer.identifier)
    style = _sub(element, _wmts("Style"), isDefault="true")
    _sub(style, _ows("Title"), "Couleurs officielles de la légende CoSIA")
    _sub(style, _ows("Identifier"), STYLE)
    _sub(style, _wmts("LegendURL"), format="image/svg+xml", **{XLINK_HREF: layer.legend_url})
    _sub(element, _wmts("Format"), FORMAT)
    link = _sub(element, _wmts("TileMatrixSetLink"))
    _sub(link, _wmts("TileMatrixSet"), TILE_MATRIX_SET)
    limits = _sub(link, _wmts("TileMatrixSetLimits"))
    for limit in tile_limits(layer.bounds, min_zoom, max_zoom):
        matrix = _sub(limits, _wmts("TileMatrixLimits"))
        _sub(matrix, _wmts("TileMatrix"), str(limit.zoom))
        _sub(matrix, _wmts("MinTileRow"), str(limit.min_row))
        _sub(matrix, _wmts("MaxTileRow"), str(limit.max_row))
        _sub(matrix, _wmts("MinTileCol"), str(limit.min_col))
        _sub(matrix, _wmts("MaxTileCol"), str(limit.max_col))
    _sub(element, _wmts("ResourceURL"), format=FORMAT, resourceType="tile", template=layer.tile_template)


def _tile_matrix_set(contents: ET.Element, max_zoom: int) -> None:
    element = _sub(contents, _wmts("TileMatrixSet"))
    _sub(element, _ows("Title"), "Google Maps Compatible (WebMercatorQuad)")
    _sub(element, _ows("Identifier"), TILE_MATRIX_SET)
    box = _sub(element, _ows("BoundingBox"), crs=SUPPORTED_CRS)
    _sub(box, _ows("LowerCorner"), f"{-ORIGIN_M:.7f} {-ORIGIN_M:.7f}")
    _sub(box, _ows("UpperCorner"), f"{ORIGIN_M:.7f} {ORIGIN_M:.7f}")
    _sub(element, _ows("SupportedCRS"), SUPPORTED_CRS)
    _sub(element, _wmts("WellKnownScaleSet"), WELL_KNOWN_SCALE_SET)
    for zoom in range(max_zoom + 1):
        matrix = _sub(element, _wmts("TileMatrix"))
        _sub(matrix, _ows("Identifier"), str(zoom))
        _sub(matrix, _wmts("ScaleDenominator"), repr(scale_denominator(zoom)))
        _sub(matrix, _wmts("TopLeftCorner"), f"{-ORIGIN_M:.7f} {ORIGIN_M:.7f}")  # easting northing (EPSG:3857 order)
        _sub(matrix, _wmts("TileWidth"), str(TILE_SIZE))
        _sub(matrix, _wmts("TileHeight"), str(TILE_SIZE))
        _sub(matrix, _wmts("MatrixWidth"), str(2**zoom))
        _sub(matrix, _wmts("MatrixHeight"), str(2**zoom))


def capabilities(service: Service, layers: list[Layer], *, min_zoom: int, max_zoom: int) -> bytes:
    """The GetCapabilities document (UTF-8 XML) listing `layers` on the GoogleMapsCompatible set."""
    root = ET.Element(
        _wmts("Capabilities"),
        {
            "xmlns": WMTS_NS,
            "xmlns:ows": OWS_NS,
            "xmlns:xlink": XLINK_NS,
            "xmlns:xsi": XSI_NS,
            "xsi:schemaLocation": SCHEMA_LOCATION,
            "version": "1.0.0",
        },
    )
    identification = _sub(root, _ows("ServiceIdentification"))
    _sub(identification, _ows("Title"), service.title)
    _sub(identification, _ows("Abstract"), service.abstract)
    _sub(identification, _ows("ServiceType"), "OGC WMTS")
    _sub(identification, _ows("ServiceTypeVersion"), "1.0.0")
    _sub(identification, _ows("Fees"), service.fees)
    _sub(identification, _ows("AccessConstraints"), service.access_constraints)
    provider = _sub(root, _ows("ServiceProvider"))
    _sub(provider, _ows("ProviderName"), service.provider)
    _sub(provider, _ows("ProviderSite"), **{XLINK_HREF: service.provider_url})
    _sub(provider, _ows("ServiceContact"))
    operations = _sub(root, _ows("OperationsMetadata"))
    _operation(operations, "GetCapabilities", service)
    _operation(operations, "GetTile", service)
    contents = _sub(root, _wmts("Contents"))
    for layer in layers:
        _layer(contents, layer, min_zoom, max_zoom)
    _tile_matrix_set(contents, max_zoom)
    _sub(root, _wmts("ServiceMetadataURL"), **{XLINK_HREF: service.capabilities_url})
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def exception_report(code: str, locator: str, text: str) -> bytes:
    """An OWS 1.1 ExceptionReport (OGC 06-121r3 §8) for a refused KVP request."""
    root = ET.Element(_ows("ExceptionReport"), {"xmlns:ows": OWS_NS, "version": "1.1.0", "xml:lang": "fr"})
    exception = _sub(root, _ows("Exception"), exceptionCode=code, locator=locator)
    _sub(exception, _ows("ExceptionText"), text)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def legend_svg(entries: tuple[LegendEntry, ...], title: str) -> bytes:
    """The legend as an SVG image (a swatch and a name per class), for the WMTS `LegendURL`."""
    row, width = 20, 240
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * (len(entries) + 1) + 8}" '
        f'role="img" aria-label="{escape(title)}" font-family="Marianne, Arial, sans-serif" font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<text x="4" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for index, entry in enumerate(entries, start=1):
        y = row * index + 4
        lines.append(f'<rect x="4" y="{y}" width="24" height="14" fill="{escape(entry.colour)}" stroke="#666"/>')
        lines.append(f'<text x="36" y="{y + 12}">{entry.code} — {escape(entry.name)}</text>')
    lines.append("</svg>")
    return "\n".join(lines).encode("utf-8")


class WmtsError(ValueError):
    """A KVP request the service refuses; carries the OWS exception code, locator and HTTP status."""

    def __init__(self, code: str, locator: str, text: str, status: int = 400):
        super().__init__(text)
        self.code, self.locator, self.text, self.status = code, locator, text, status

    def report(self) -> bytes:
        return exception_report(self.code, self.locator, self.text)


@dataclass(frozen=True)
class TileRequest:
    layer: str
    zoom: int
    row: int
    col: int


def kvp_request(params: dict[str, str]) -> str:
    """The operation of a KVP request (`GetCapabilities` or `GetTile`); names are case-insensitive (§8.1)."""
    params = {key.upper(): value for key, value in params.items()}
    if not params.get("SERVICE"):
        raise WmtsError("MissingParameterValue", "SERVICE", "Paramètre SERVICE manquant (attendu : WMTS).")
    if params["SERVICE"].upper() != "WMTS":
        raise WmtsError("InvalidParameterValue", "SERVICE", f"Service « {params['SERVICE']} » non pris en charge.")
    operation = params.get("REQUEST", "")
    if not operation:
        raise WmtsError("MissingParameterValue", "REQUEST", "Paramètre REQUEST manquant.")
    for known in ("GetCapabilities", "GetTile"):
        if operation.lower() == known.lower():
            return known
    raise WmtsError("OperationNotSupported", "REQUEST", f"Opération « {operation} » non prise en charge.", 501)


def parse_get_tile(params: dict[str, str], *, max_zoom: int) -> TileRequest:
    """Check a KVP GetTile (OGC 07-057r7 §7.2.2, table 16): every parameter, the tile inside its matrix."""
    params = {key.upper(): value for key, value in params.items()}
    for name in ("LAYER", "STYLE", "FORMAT", "TILEMATRIXSET", "TILEMATRIX", "TILEROW", "TILECOL"):
        if name not in params or (name != "STYLE" and not params[name]):
            raise WmtsError("MissingParameterValue", name, f"Paramètre {name} manquant.")
    if params["STYLE"] not in ("", STYLE):
        raise WmtsError("InvalidParameterValue", "STYLE", f"Style « {params['STYLE']} » inconnu (attendu : {STYLE}).")
    if params["FORMAT"] != FORMAT:
        raise WmtsError("InvalidParameterValue", "FORMAT", f"Format « {params['FORMAT']} » non servi ({FORMAT}).")
    if params["TILEMATRIXSET"] != TILE_MATRIX_SET:
        raise WmtsError(
            "InvalidParameterValue", "TILEMATRIXSET", f"Jeu de matrices « {params['TILEMATRIXSET']} » inconnu."
        )
    numbers = {}
    for name in ("TILEMATRIX", "TILEROW", "TILECOL"):
        if not params[name].isdigit():
            raise WmtsError("InvalidParameterValue", name, f"{name} « {params[name]} » : entier positif attendu.")
        numbers[name] = int(params[name])
    zoom = numbers["TILEMATRIX"]
    if zoom > max_zoom:
        raise WmtsError("InvalidParameterValue", "TILEMATRIX", f"Niveau {zoom} absent (0 à {max_zoom}).")
    for name in ("TILEROW", "TILECOL"):
        if numbers[name] >= 2**zoom:
            raise WmtsError(
                "TileOutOfRange", name, f"{name} {numbers[name]} hors de la matrice {zoom} (0 à {2**zoom - 1})."
            )
    return TileRequest(params["LAYER"], zoom, numbers["TILEROW"], numbers["TILECOL"])
