"""Contours reader: property detection, reprojection, simplification, merging (no database)."""

import json

import pytest
import shapely

from communs.territoires.engine.contours import ContoursFileError, detect_code_property, read_contours
from tests.territoires.contour_files import MINI, SHARED, write_lambert93_geopackage


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["code", "nom"], "code"),
        (["ID", "NOM", "INSEE_COM"], "INSEE_COM"),
        (["insee_dep", "nom"], "insee_dep"),  # case-insensitive
        (["code_insee"], "code_insee"),
        (["INSEE_REG", "NOM_M"], "INSEE_REG"),
    ],
)
def test_detect_code_property(fields, expected):
    assert detect_code_property(fields) == expected


def test_detect_code_property_error_lists_fields():
    with pytest.raises(ContoursFileError, match="aucune propriété de code INSEE trouvée parmi ID, NOM"):
        detect_code_property(["ID", "NOM"])
    with pytest.raises(ContoursFileError, match="propriété « foo » absente"):
        detect_code_property(["code"], "foo")


def test_read_geojson_merges_parts_of_a_code():
    result = read_contours(MINI, level="commune")
    assert result.code_property == "INSEE_COM"
    assert [c.code for c in result.contours] == ["35051", "35238"]
    cesson = result.contours[0]
    assert json.loads(cesson.geojson)["type"] in {"Polygon", "MultiPolygon"}
    # bbox spans both hand-made parts: lon -1.62 → -1.53, lat 48.10 → 48.15
    assert cesson.bbox == pytest.approx((-1.62, 48.10, -1.53, 48.15))


def test_read_geopackage_reprojects_to_wgs84(tmp_path):
    path = write_lambert93_geopackage(tmp_path / "communes.gpkg")
    result = read_contours(path, level="commune", tolerance_m=10)
    assert result.source_crs.endswith("2154")
    rennes = next(c for c in result.contours if c.code == "35238")
    # Back in degrees, within a few metres of the square drawn at (-1.75, 48.08) ± 0.1°.
    assert rennes.bbox == pytest.approx((-1.75, 48.08, -1.65, 48.18), abs=1e-3)


def test_missing_file_and_bad_property(tmp_path):
    with pytest.raises(ContoursFileError, match="absent.geojson: fichier introuvable"):
        read_contours(tmp_path / "absent.geojson")
    with pytest.raises(ContoursFileError, match="contours-mini.geojson: propriété « CODE_X » absente"):
        read_contours(MINI, code_property="CODE_X")


def test_simplification_reduces_vertices():
    path = SHARED / "communes-35-ille-et-vilaine.geojson"
    if not path.exists():
        pytest.skip(f"{SHARED} absent (shared test data)")
    raw = read_contours(path, level="commune")
    simplified = read_contours(path, level="commune", tolerance_m=200)
    assert len(simplified.contours) == len(raw.contours) > 300
    assert sum(len(c.geojson) for c in simplified.contours) < sum(len(c.geojson) for c in raw.contours)
    for record in simplified.contours:
        assert shapely.from_geojson(record.geojson).is_valid
