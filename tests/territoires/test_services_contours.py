"""Contours import: idempotent replacement per level and code, GeoJSON and GeoPackage."""

from pathlib import Path

import pytest

from communs.territoires.engine.contours import ContoursFileError
from communs.territoires.models import Contour
from communs.territoires.services import import_contours
from tests.territoires.contour_files import MINI, SHARED, write_lambert93_geopackage

pytestmark = pytest.mark.usefixtures("territoires_reference")


def test_import_geojson_twice_replaces():
    first = import_contours(MINI, level="commune")
    assert (first["imported"], first["replaced"], first["unknown_codes"]) == (2, 0, [])
    second = import_contours(MINI, level="commune", tolerance_m=5)
    assert (second["imported"], second["replaced"]) == (2, 2)
    assert Contour.objects.filter(level="commune").count() == 2
    rennes = Contour.objects.get(level="commune", code="35238")
    assert rennes.tolerance_m == 5
    assert (rennes.min_lon, rennes.max_lat) == pytest.approx((-1.75, 48.14))


def test_import_geopackage(tmp_path):
    path = write_lambert93_geopackage(tmp_path / "communes.gpkg")
    result = import_contours(path, level="commune", tolerance_m=10)
    assert result["imported"] == 2
    assert set(Contour.objects.values_list("code", flat=True)) == {"35238", "42218"}


def test_unknown_level_is_refused():
    with pytest.raises(ValueError, match="niveau inconnu « canton »"):
        import_contours(MINI, level="canton")


def test_bad_file_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(ContoursFileError, match="bad.geojson"):
        import_contours(bad)
    assert not Contour.objects.exists()


def test_import_real_ille_et_vilaine():
    path = Path(SHARED) / "communes-35-ille-et-vilaine.geojson"
    if not path.exists():
        pytest.skip(f"{SHARED} absent (shared test data)")
    result = import_contours(path, level="commune", tolerance_m=20)
    # The 2018 file has 345 communes; communes merged since then are reported, not refused.
    assert result["imported"] == 345
    assert "35238" not in result["unknown_codes"]
    assert Contour.objects.filter(level="commune", code="35238").exists()
