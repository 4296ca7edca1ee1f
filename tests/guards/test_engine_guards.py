"""communs.guards: finite numbers, depth and size limits, geometry checks (no database)."""

import csv
import io
import json
import math
import time
import zipfile

import pytest

from communs.guards.finite import MAX_MAGNITUDE, NumberError, finite_number
from communs.guards.geometry import GeometryInputError, check_geojson_coordinates, check_rings
from communs.guards.limits import InputLimitError, check_zip, csv_rows, loads_json, read_xlsx_rows


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "Infinity", float("inf"), float("nan"), "1e308", 1e16, True])
def test_finite_number_refuses_non_finite_and_implausible(value):
    with pytest.raises(NumberError) as error:
        finite_number(value, field="quantity", line=3)
    assert "ligne 3" in str(error.value) and "quantity" in str(error.value)


@pytest.mark.parametrize(("value", "expected"), [("3.5", 3.5), (0, 0.0), (-2, -2.0), (MAX_MAGNITUDE, MAX_MAGNITUDE)])
def test_finite_number_keeps_plausible_values(value, expected):
    assert finite_number(value) == expected


def test_finite_number_applies_the_quantity_range():
    assert finite_number(100, minimum=0, maximum=100) == 100
    with pytest.raises(NumberError, match="hors de l'intervalle"):
        finite_number(-1, minimum=0)


def test_json_depth_limit_and_constants():
    # 2,000 nested lists: beyond the 64 levels allowed; Python's decoder alone would recurse 2,000 times.
    with pytest.raises(InputLimitError, match="imbrication trop profonde"):
        loads_json("[" * 2000 + "]" * 2000)
    with pytest.raises(InputLimitError, match="imbrication trop profonde"):
        loads_json("[" * 100_000 + "]" * 100_000)
    with pytest.raises(InputLimitError, match="NaN"):
        loads_json('{"x": NaN}')
    with pytest.raises(InputLimitError, match="ligne 2, colonne 1"):
        loads_json('{"x":\n}')
    assert loads_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    assert loads_json(json.dumps({"a": 1}).encode("utf-16")) == {"a": 1}  # json.loads detects UTF-16 bytes


def test_csv_field_over_the_limit_is_located():
    text = "a,b\n1,2\n3," + "x" * 131_073 + "\n"
    reader = csv.reader(io.StringIO(text))
    with pytest.raises(InputLimitError, match=r"unites\.csv, ligne 3 : champ de plus de 131"):
        list(csv_rows(reader, source="unites.csv"))


def _zip_bomb(uncompressed: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(uncompressed >> 20):
                member.write(chunk)
    return buffer.getvalue()


def test_zip_declaring_more_than_the_cap_is_refused_before_inflating():
    bomb = _zip_bomb(300 << 20)  # 300 MiB of zeros deflate to ≈ 300 KB
    assert len(bomb) < 1_000_000
    started = time.perf_counter()
    with pytest.raises(InputLimitError, match="se décompresse en"):
        check_zip(bomb, source="valeurs.xlsx")
    assert time.perf_counter() - started < 1


def _xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_rows_and_columns_caps():
    data = _xlsx([[1, 2, 3]] * 6)
    assert len(read_xlsx_rows(data, source="a.xlsx")) == 6
    with pytest.raises(InputLimitError, match="plus de 5 lignes"):
        read_xlsx_rows(data, source="a.xlsx", max_rows=5)
    with pytest.raises(InputLimitError, match="ligne 1 : plus de 2 colonnes"):
        read_xlsx_rows(data, source="a.xlsx", max_columns=2)
    with pytest.raises(InputLimitError, match="illisible"):
        read_xlsx_rows(b"PK\x03\x04 not really", source="a.xlsx")


def _polygon(ring):
    return {"type": "Polygon", "coordinates": [ring]}


RENNES = [[-1.70, 48.10], [-1.60, 48.10], [-1.60, 48.12], [-1.70, 48.12], [-1.70, 48.10]]


def test_geometry_coordinates_checks():
    assert check_geojson_coordinates(_polygon(RENNES)) == 5
    world = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]
    with pytest.raises(GeometryInputError, match="hors de l'emprise de la France"):
        check_geojson_coordinates({"type": "Feature", "geometry": _polygon(world)})
    with pytest.raises(GeometryInputError, match="non finie"):
        check_geojson_coordinates(_polygon([[math.nan, 48.1], *RENNES[1:]]))
    with pytest.raises(GeometryInputError, match="non finie"):
        check_geojson_coordinates(_polygon([[math.inf, 48.1], *RENNES[1:]]))
    with pytest.raises(GeometryInputError, match="plus de 4 sommets"):
        check_geojson_coordinates(_polygon(RENNES), max_vertices=4)
    # Réunion and Lambert-93 are within France's extents.
    assert check_geojson_coordinates(_polygon([[55.4, -21.0], [55.5, -21.0], [55.5, -21.1], [55.4, -21.0]]))
    lambert = [[350_000, 6_790_000], [351_000, 6_790_000], [351_000, 6_791_000], [350_000, 6_790_000]]
    assert check_geojson_coordinates(_polygon(lambert), crs="EPSG:2154") == 4


def test_bowtie_is_refused_naming_the_crossing():
    import shapely

    bowtie = shapely.geometry.shape(
        _polygon([[-1.70, 48.10], [-1.60, 48.12], [-1.60, 48.10], [-1.70, 48.12], [-1.70, 48.10]])
    )
    with pytest.raises(GeometryInputError, match=r"se recoupe lui-même au point \(-1\.65 48\.11\)"):
        check_rings(bowtie)
    check_rings(shapely.geometry.shape(_polygon(RENNES)))
