"""WMTS 1.0.0 capabilities (OGC 07-057r7): structure, namespaces, GoogleMapsCompatible matrices, KVP checks."""

import xml.etree.ElementTree as ET  # noqa: S405 (parses documents this code wrote itself)

import pytest
from morecantile import tms as tile_matrix_sets

from communs.cosia.engine import wmts

NS = {"wmts": wmts.WMTS_NS, "ows": wmts.OWS_NS, "xlink": wmts.XLINK_NS}
WEB_MERCATOR = tile_matrix_sets.get("WebMercatorQuad")
RENNES_BOUNDS = (-1.7530, 48.0769, -1.6244, 48.1549)  # about the commune of Rennes (WGS 84)


def parse(document: bytes) -> ET.Element:
    return ET.fromstring(document)  # noqa: S314 (our own output, not untrusted input)


def _service() -> wmts.Service:
    return wmts.Service(
        title="CoSIA",
        abstract="Tuiles",
        provider="Communs",
        provider_url="https://cosia.ign.fr/",
        capabilities_url="https://example.test/cosia/wmts/1.0.0/WMTSCapabilities.xml",
        kvp_url="https://example.test/cosia/wmts?",
        tiles_url="https://example.test/cosia/tuiles/",
    )


def _layer(identifier: str = "cosia-2024", bounds=RENNES_BOUNDS) -> wmts.Layer:
    return wmts.Layer(
        identifier=identifier,
        title="CoSIA 2024",
        abstract="Prédiction",
        bounds=bounds,
        tile_template="https://example.test/cosia/tuiles/2024/{TileMatrix}/{TileCol}/{TileRow}.png",
        legend_url="https://example.test/cosia/wmts/legende-2024.svg",
        legend=(wmts.LegendEntry(1, "Bâtiment", "#ce7079"), wmts.LegendEntry(13, "Pelouse", "#8cd76a")),
    )


@pytest.fixture(scope="module")
def document() -> ET.Element:
    return parse(wmts.capabilities(_service(), [_layer()], min_zoom=8, max_zoom=22))


# Hand computation (OGC 07-057r7 §6.1.1 and Annex E.4):
#   equator = 2π × 6,378,137 m = 40,075,016.686 m; at zoom 0 one 256-px tile spans it,
#   pixel = 40,075,016.686 / 256 = 156,543.0339 m; scale denominator = 156,543.0339 / 0.00028 = 559,082,264.03.
#   Each zoom halves the pixel: zoom 8 → 559,082,264.03 / 256 = 2,183,915.094;
#   zoom 18 → / 262,144 = 2,132.7296; zoom 22 → / 4,194,304 = 133.2956.
@pytest.mark.parametrize(
    ("zoom", "expected"), [(0, 559_082_264.03), (8, 2_183_915.094), (18, 2_132.7296), (22, 133.2956)]
)
def test_scale_denominator_follows_the_standard_formula(document, zoom, expected):
    matrix = document.find(f"wmts:Contents/wmts:TileMatrixSet/wmts:TileMatrix[ows:Identifier='{zoom}']", NS)
    value = float(matrix.findtext("wmts:ScaleDenominator", namespaces=NS))
    assert value == pytest.approx(expected, rel=1e-8)
    assert value == pytest.approx(WEB_MERCATOR.matrix(zoom).scaleDenominator, rel=1e-12)  # morecantile agrees


def test_root_and_namespaces(document):
    assert document.tag == f"{{{wmts.WMTS_NS}}}Capabilities" and document.get("version") == "1.0.0"
    assert document.findtext("ows:ServiceIdentification/ows:ServiceType", namespaces=NS) == "OGC WMTS"
    assert document.findtext("ows:ServiceIdentification/ows:ServiceTypeVersion", namespaces=NS) == "1.0.0"
    operations = {op.get("name") for op in document.findall("ows:OperationsMetadata/ows:Operation", NS)}
    assert operations == {"GetCapabilities", "GetTile"}
    encodings = document.findall(
        "ows:OperationsMetadata/ows:Operation[@name='GetTile']/ows:DCP/ows:HTTP/ows:Get/ows:Constraint"
        "/ows:AllowedValues/ows:Value",
        NS,
    )
    assert {e.text for e in encodings} == {"KVP", "RESTful"}
    metadata = document.find("wmts:ServiceMetadataURL", NS)
    assert metadata.get(f"{{{wmts.XLINK_NS}}}href").endswith("/WMTSCapabilities.xml")


def test_qgis_reads_the_literal_prefixes():
    # QGIS parses capabilities without namespace processing: it looks for "ows:Identifier", "Layer"...
    text = wmts.capabilities(_service(), [_layer()], min_zoom=8, max_zoom=9).decode()
    assert "<Contents><Layer><ows:Title>" in text and "<ows:Identifier>cosia-2024</ows:Identifier>" in text
    assert 'xmlns="http://www.opengis.net/wmts/1.0"' in text


def test_tile_matrix_set_is_google_maps_compatible(document):
    matrix_set = document.find("wmts:Contents/wmts:TileMatrixSet", NS)
    assert matrix_set.findtext("ows:Identifier", namespaces=NS) == "GoogleMapsCompatible"
    assert matrix_set.findtext("ows:SupportedCRS", namespaces=NS) == "urn:ogc:def:crs:EPSG::3857"
    assert matrix_set.findtext("wmts:WellKnownScaleSet", namespaces=NS) == wmts.WELL_KNOWN_SCALE_SET
    matrices = matrix_set.findall("wmts:TileMatrix", NS)
    assert [m.findtext("ows:Identifier", namespaces=NS) for m in matrices] == [str(z) for z in range(23)]
    for zoom, matrix in enumerate(matrices):
        # Origin: π × 6,378,137 = 20,037,508.3428 m west and north of (0, 0), easting first.
        x, y = (float(v) for v in matrix.findtext("wmts:TopLeftCorner", namespaces=NS).split())
        assert (x, y) == pytest.approx((-20_037_508.3428, 20_037_508.3428), abs=1e-4)
        assert matrix.findtext("wmts:TileWidth", namespaces=NS) == "256"
        assert matrix.findtext("wmts:MatrixWidth", namespaces=NS) == str(2**zoom)
        assert matrix.findtext("wmts:MatrixHeight", namespaces=NS) == str(2**zoom)


def test_layer_describes_bounds_format_style_and_template(document):
    layer = document.find("wmts:Contents/wmts:Layer[ows:Identifier='cosia-2024']", NS)
    lower = layer.findtext("ows:WGS84BoundingBox/ows:LowerCorner", namespaces=NS)
    upper = layer.findtext("ows:WGS84BoundingBox/ows:UpperCorner", namespaces=NS)
    assert [float(v) for v in lower.split() + upper.split()] == pytest.approx(RENNES_BOUNDS, abs=1e-7)
    assert layer.findtext("wmts:Format", namespaces=NS) == "image/png"
    style = layer.find("wmts:Style", NS)
    assert style.get("isDefault") == "true" and style.findtext("ows:Identifier", namespaces=NS) == "default"
    assert style.find("wmts:LegendURL", NS).get(f"{{{wmts.XLINK_NS}}}href").endswith("legende-2024.svg")
    assert layer.findtext("wmts:TileMatrixSetLink/wmts:TileMatrixSet", namespaces=NS) == "GoogleMapsCompatible"
    resource = layer.find("wmts:ResourceURL", NS)
    assert resource.get("resourceType") == "tile" and resource.get("format") == "image/png"
    assert resource.get("template").endswith("/2024/{TileMatrix}/{TileCol}/{TileRow}.png")


@pytest.mark.parametrize("zoom", [8, 14, 22])
def test_layer_limits_are_the_tiles_over_its_extent(document, zoom):
    limits = document.find(
        f"wmts:Contents/wmts:Layer/wmts:TileMatrixSetLink/wmts:TileMatrixSetLimits"
        f"/wmts:TileMatrixLimits[wmts:TileMatrix='{zoom}']",
        NS,
    )
    west, south, east, north = RENNES_BOUNDS
    top_left, bottom_right = WEB_MERCATOR.tile(west, north, zoom), WEB_MERCATOR.tile(east, south, zoom)
    found = [int(limits.findtext(f"wmts:{name}", namespaces=NS)) for name in ("MinTileRow", "MaxTileRow")]
    assert found == [top_left.y, bottom_right.y]
    found = [int(limits.findtext(f"wmts:{name}", namespaces=NS)) for name in ("MinTileCol", "MaxTileCol")]
    assert found == [top_left.x, bottom_right.x]


def test_only_served_zooms_are_limited(document):
    zooms = document.findall(".//wmts:TileMatrixLimits/wmts:TileMatrix", NS)
    assert [int(z.text) for z in zooms] == list(range(8, 23))


def test_tile_of_a_known_point():
    # Zoom 1: four tiles; (lon 10, lat 10) is east of Greenwich and north of the equator → column 1, row 0.
    assert wmts.tile_of(10.0, 10.0, 1) == (1, 0)
    assert wmts.tile_of(-10.0, -10.0, 1) == (0, 1)
    assert wmts.tile_of(-1.6, 48.1, 18) == (129_906, 91_016)  # as morecantile's WebMercatorQuad
    assert wmts.tile_of(180.0, -90.0, 3) == (7, 7)  # clamped to the last tile


def test_text_is_escaped():
    layer = _layer()
    layer = wmts.Layer(**{**layer.__dict__, "abstract": "Bâtiment < 5 m² & piscines"})
    parsed = parse(wmts.capabilities(_service(), [layer], min_zoom=8, max_zoom=8))
    assert parsed.findtext("wmts:Contents/wmts:Layer/ows:Abstract", namespaces=NS) == "Bâtiment < 5 m² & piscines"


def _get_tile(**changes) -> dict[str, str]:
    params = {
        "SERVICE": "WMTS",
        "REQUEST": "GetTile",
        "VERSION": "1.0.0",
        "LAYER": "cosia-2024",
        "STYLE": "default",
        "FORMAT": "image/png",
        "TILEMATRIXSET": "GoogleMapsCompatible",
        "TILEMATRIX": "18",
        "TILEROW": "91016",
        "TILECOL": "129906",
    }
    params.update(changes)
    return {k: v for k, v in params.items() if v is not None}


def test_get_tile_parameters_are_read_case_insensitively():
    params = {key.lower(): value for key, value in _get_tile().items()}
    assert wmts.kvp_request(params) == "GetTile"
    assert wmts.parse_get_tile(params, max_zoom=22) == wmts.TileRequest("cosia-2024", 18, 91_016, 129_906)


@pytest.mark.parametrize(
    ("changes", "code", "locator"),
    [
        ({"LAYER": None}, "MissingParameterValue", "LAYER"),
        ({"STYLE": "sombre"}, "InvalidParameterValue", "STYLE"),
        ({"FORMAT": "image/jpeg"}, "InvalidParameterValue", "FORMAT"),
        ({"TILEMATRIXSET": "PM"}, "InvalidParameterValue", "TILEMATRIXSET"),
        ({"TILEMATRIX": "23"}, "InvalidParameterValue", "TILEMATRIX"),
        ({"TILEROW": "-1"}, "InvalidParameterValue", "TILEROW"),
        ({"TILEMATRIX": "2", "TILEROW": "4"}, "TileOutOfRange", "TILEROW"),  # zoom 2: rows 0–3
        ({"TILEMATRIX": "2", "TILEROW": "3", "TILECOL": "4"}, "TileOutOfRange", "TILECOL"),
    ],
)
def test_get_tile_refusals_name_the_parameter(changes, code, locator):
    with pytest.raises(wmts.WmtsError) as error:
        wmts.parse_get_tile(_get_tile(**changes), max_zoom=22)
    assert (error.value.code, error.value.locator, error.value.status) == (code, locator, 400)
    report = parse(error.value.report())
    assert report.find("ows:Exception", NS).get("exceptionCode") == code


@pytest.mark.parametrize(
    ("params", "code", "status"),
    [
        ({"REQUEST": "GetTile"}, "MissingParameterValue", 400),
        ({"SERVICE": "WMS", "REQUEST": "GetMap"}, "InvalidParameterValue", 400),
        ({"SERVICE": "WMTS", "REQUEST": "GetFeatureInfo"}, "OperationNotSupported", 501),
    ],
)
def test_kvp_request_refusals(params, code, status):
    with pytest.raises(wmts.WmtsError) as error:
        wmts.kvp_request(params)
    assert (error.value.code, error.value.status) == (code, status)


def test_legend_svg_lists_every_class_with_its_colour():
    svg = parse(wmts.legend_svg(_layer().legend, "CoSIA 2024"))
    swatches = [rect.get("fill") for rect in svg.iter("{http://www.w3.org/2000/svg}rect")]
    labels = [text.text for text in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert swatches == ["#ce7079", "#8cd76a"]
    assert labels == ["CoSIA 2024", "1 — Bâtiment", "13 — Pelouse"]


def test_gdal_wmts_driver_reads_the_document(tmp_path):
    # GDAL's WMTS driver (the one QGIS uses for its raster providers) is an independent client:
    # it must find the layer, the EPSG:3857 matrix set and the deepest zoom's pixel size,
    # 2π × 6,378,137 / (256 × 2²²) = 0.037323 m, over the tiles of the layer's limits.
    import rasterio
    from pyproj import Transformer

    path = tmp_path / "WMTSCapabilities.xml"
    path.write_bytes(wmts.capabilities(_service(), [_layer()], min_zoom=8, max_zoom=22))
    with rasterio.open(f"WMTS:{path}") as dataset:
        assert dataset.crs.to_epsg() == 3857 and dataset.count == 4  # RGBA
        assert dataset.res == pytest.approx((0.037323, 0.037323), abs=1e-6)
        assert dataset.tags()["TITLE"] == "CoSIA 2024"
        west, south, east, north = RENNES_BOUNDS
        x0, y0 = Transformer.from_crs(4326, 3857, always_xy=True).transform(west, south)
        x1, y1 = Transformer.from_crs(4326, 3857, always_xy=True).transform(east, north)
        # GDAL frames the layer's bounding box on the deepest zoom's pixel grid (± one 0.0373 m pixel).
        assert dataset.bounds == pytest.approx((x0, y0, x1, y1), abs=0.0374)
