"""Territory GeoJSON: WGS 84 by default, legacy `crs` member honoured, clear errors."""

import json

import pytest
import shapely
from pyproj import Transformer

from communs.cosia.engine.geometry import TerritoryError, geometry_to_geojson, territory_from_geojson


def test_wgs84_polygon_is_projected_to_lambert93():
    square_l93 = shapely.box(700_000, 6_600_000, 700_100, 6_600_100)  # 1 ha
    doc = {"type": "Feature", "properties": {}, "geometry": geometry_to_geojson(square_l93)}
    geometry = territory_from_geojson(doc)
    assert geometry.area == pytest.approx(10_000, rel=1e-6)
    assert geometry.bounds[0] == pytest.approx(700_000, abs=0.01)


def test_lambert93_crs_member_is_honoured():
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": shapely.geometry.mapping(shapely.box(700_000, 6_600_000, 700_200, 6_600_100)),
            }
        ],
    }
    assert territory_from_geojson(json.dumps(doc)).area == pytest.approx(20_000)


def test_features_are_merged():
    to_wgs84 = Transformer.from_crs(2154, 4326, always_xy=True)
    assert to_wgs84  # the helper below goes through geometry_to_geojson
    parts = [shapely.box(700_000, 6_600_000, 700_100, 6_600_100), shapely.box(700_100, 6_600_000, 700_200, 6_600_100)]
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": geometry_to_geojson(p)} for p in parts],
    }
    assert territory_from_geojson(doc).area == pytest.approx(20_000, rel=1e-5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "JSON invalide"),
        ('{"type": "Point", "coordinates": [2, 48]}', "Point"),
        ('{"type": "FeatureCollection", "features": []}', "aucun polygone"),
        ('{"type": "Polygon", "coordinates": [[[2, 48], [2, 48], [2, 48], [2, 48]]]}', "aucun polygone|aire nulle"),
    ],
)
def test_bad_territory(text, message):
    with pytest.raises(TerritoryError, match=message):
        territory_from_geojson(text, origin="zone.geojson")
