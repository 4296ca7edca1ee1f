"""The WMTS service: capabilities from the ingested coverage, GetTile (RESTful and KVP), legend, links."""

import warnings
import xml.etree.ElementTree as ET  # noqa: S405 (parses documents this site wrote itself)
from urllib.parse import urlsplit

import numpy as np
import pytest
from django.urls import reverse
from pyproj import Transformer
from rasterio.errors import NotGeoreferencedWarning
from rasterio.io import MemoryFile

from communs.cosia.engine import wmts
from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE
from communs.cosia.engine.synthetic import DEMO_ORIGIN

pytestmark = pytest.mark.usefixtures("ingested")
NS = {"wmts": wmts.WMTS_NS, "ows": wmts.OWS_NS, "xlink": wmts.XLINK_NS}
DEMO_SIDE_M = 120  # the test demo rasters: 600 px × 0.2 m


def parse(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 (our own output, not untrusted input)


def _capabilities(client) -> ET.Element:
    response = client.get(reverse("cosia:wmts_capabilities"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    return parse(response.content)


def _demo_centre_wgs84() -> tuple[float, float]:
    x0, top = DEMO_ORIGIN
    return Transformer.from_crs(2154, 4326, always_xy=True).transform(x0 + DEMO_SIDE_M / 2, top - DEMO_SIDE_M / 2)


def _opaque_colours(png: bytes) -> set[tuple[int, int, int]]:
    with warnings.catch_warnings(), MemoryFile(png) as memory:
        warnings.simplefilter("ignore", NotGeoreferencedWarning)  # a PNG tile has no geotransform
        rgba = memory.open().read()
    opaque = rgba[3] == 255
    return {tuple(int(v) for v in rgba[:3, r, c]) for r, c in zip(*np.nonzero(opaque), strict=True)}


def test_one_layer_per_vintage_framing_the_coverage(client):
    document = _capabilities(client)
    layers = document.findall("wmts:Contents/wmts:Layer", NS)
    assert [layer.findtext("ows:Identifier", namespaces=NS) for layer in layers] == ["cosia-2024", "cosia-2021"]
    lower = layers[0].findtext("ows:WGS84BoundingBox/ows:LowerCorner", namespaces=NS)
    upper = layers[0].findtext("ows:WGS84BoundingBox/ows:UpperCorner", namespaces=NS)
    west, south = (float(v) for v in lower.split())
    east, north = (float(v) for v in upper.split())
    lon, lat = _demo_centre_wgs84()
    assert west < lon < east and south < lat < north
    # 120 m is ≈ 0.0011° of latitude (1° ≈ 111 km); the box is a bit larger (Lambert-93 is turned vs the meridians).
    assert 0.00105 < north - south < 0.0012


def test_kvp_get_capabilities_is_the_same_document(client):
    kvp = client.get(reverse("cosia:wmts"), {"service": "WMTS", "request": "GetCapabilities"})
    assert kvp.status_code == 200
    assert kvp.content == client.get(reverse("cosia:wmts_capabilities")).content


def test_a_tile_listed_by_the_document_is_the_png_of_the_coverage(client):
    document = _capabilities(client)
    layer = document.find("wmts:Contents/wmts:Layer[ows:Identifier='cosia-2024']", NS)
    template = layer.find("wmts:ResourceURL", NS).get("template")
    limits = layer.find(".//wmts:TileMatrixLimits[wmts:TileMatrix='19']", NS)
    col, row = wmts.tile_of(*_demo_centre_wgs84(), 19)
    assert (
        int(limits.findtext("wmts:MinTileCol", namespaces=NS))
        <= col
        <= int(limits.findtext("wmts:MaxTileCol", namespaces=NS))
    )
    assert (
        int(limits.findtext("wmts:MinTileRow", namespaces=NS))
        <= row
        <= int(limits.findtext("wmts:MaxTileRow", namespaces=NS))
    )
    url = template.replace("{TileMatrix}", "19").replace("{TileCol}", str(col)).replace("{TileRow}", str(row))
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    official = {cls.rgb for cls in DEFAULT_NOMENCLATURE.classes}
    colours = _opaque_colours(response.content)
    assert colours and colours <= official  # real classes only, in their official colours

    kvp = client.get(
        reverse("cosia:wmts"),
        {
            "SERVICE": "WMTS",
            "REQUEST": "GetTile",
            "VERSION": "1.0.0",
            "LAYER": "cosia-2024",
            "STYLE": "default",
            "FORMAT": "image/png",
            "TILEMATRIXSET": "GoogleMapsCompatible",
            "TILEMATRIX": "19",
            "TILEROW": str(row),
            "TILECOL": str(col),
        },
    )
    assert kvp.status_code == 200 and kvp.content == response.content
    assert kvp["X-Tile-Cache"] == "hit"  # same tile, same cache as the RESTful request


def test_kvp_get_tile_of_an_unknown_layer_is_an_ows_exception(client):
    response = client.get(
        reverse("cosia:wmts"),
        {
            "SERVICE": "WMTS",
            "REQUEST": "GetTile",
            "LAYER": "cosia-1999",
            "STYLE": "default",
            "FORMAT": "image/png",
            "TILEMATRIXSET": "GoogleMapsCompatible",
            "TILEMATRIX": "10",
            "TILEROW": "0",
            "TILECOL": "0",
        },
    )
    assert response.status_code == 400
    exception = parse(response.content).find("ows:Exception", NS)
    assert (exception.get("exceptionCode"), exception.get("locator")) == ("InvalidParameterValue", "LAYER")


def test_legend_of_the_layer_is_an_svg_with_the_official_colours(client):
    document = _capabilities(client)
    href = document.find(".//wmts:Layer/wmts:Style/wmts:LegendURL", NS).get(f"{{{wmts.XLINK_NS}}}href")
    response = client.get(urlsplit(href).path)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    fills = [rect.get("fill") for rect in parse(response.content).iter("{http://www.w3.org/2000/svg}rect")]
    assert fills == [cls.colour for cls in DEFAULT_NOMENCLATURE.classes]


def test_product_page_gives_the_capabilities_url_and_the_map_links_to_it(client):
    body = client.get(reverse("cosia:product")).content.decode()
    assert 'id="wmts"' in body and "http://testserver/cosia/wmts/1.0.0/WMTSCapabilities.xml" in body
    assert "<code>cosia-2024</code>" in body
    assert f"{reverse('cosia:product')}#wmts" in client.get(reverse("cosia:home")).content.decode()


def test_gdal_adds_the_layer_by_url_and_reads_official_colours(live_server):
    # The GIS user's path end to end: GDAL's WMTS driver (an independent client) gets the capabilities
    # URL, picks the layer, then fetches PNG tiles from the ResourceURL template over HTTP.
    import rasterio
    from rasterio.enums import Resampling

    url = f"WMTS:{live_server.url}{reverse('cosia:wmts_capabilities')},layer=cosia-2024"
    with rasterio.Env(GDAL_ENABLE_WMS_CACHE="NO", GDAL_HTTP_TIMEOUT="20"), rasterio.open(url) as dataset:
        assert dataset.crs.to_epsg() == 3857 and dataset.count == 4
        # 64 × 64 output pixels over the ≈ 120 m layer → GDAL reads a zoom of ≈ 2 m pixels (a few tiles).
        rgba = dataset.read(out_shape=(4, 64, 64), resampling=Resampling.nearest)
    opaque = rgba[3] == 255
    colours = {tuple(int(v) for v in rgba[:3, r, c]) for r, c in zip(*np.nonzero(opaque), strict=True)}
    assert opaque.mean() > 0.5  # the layer's box is mostly covered by the (tilted) Lambert-93 square
    assert colours <= {cls.rgb for cls in DEFAULT_NOMENCLATURE.classes}
