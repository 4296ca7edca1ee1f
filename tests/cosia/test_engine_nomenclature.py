"""The nomenclature as data: official colours, default codes, loading another mapping."""

import json

import pytest

from communs.cosia.engine.nomenclature import DEFAULT_NOMENCLATURE, NomenclatureError, load_nomenclature


@pytest.mark.parametrize(
    ("code", "name", "rgb"),
    [
        # Official legend colours (cosia.ign.fr); hex pairs → decimal.
        (1, "Bâtiment", (206, 112, 121)),  # ce 70 79
        (2, "Zone imperméable", (166, 170, 183)),  # a6 aa b7
        (3, "Zone perméable", (152, 119, 82)),  # 98 77 52
        (4, "Piscine", (98, 208, 255)),  # 62 d0 ff
        (5, "Serre", (185, 226, 212)),  # b9 e2 d4
        (6, "Sol nu", (187, 176, 150)),  # bb b0 96
        (7, "Surface eau", (51, 117, 161)),  # 33 75 a1
        (8, "Neige", (233, 239, 254)),  # e9 ef fe
        (9, "Conifère", (18, 100, 33)),  # 12 64 21
        (10, "Feuillu", (76, 145, 41)),  # 4c 91 29
        (11, "Coupe", (228, 142, 77)),  # e4 8e 4d
        (12, "Broussaille", (181, 195, 53)),  # b5 c3 35
        (13, "Pelouse", (140, 215, 106)),  # 8c d7 6a
        (14, "Culture", (222, 207, 85)),  # de cf 55
        (15, "Terre labourée", (208, 163, 73)),  # d0 a3 49
        (16, "Vigne", (176, 130, 144)),  # b0 82 90
        (17, "Autre", (34, 34, 34)),  # 22 22 22
    ],
)
def test_default_codes_and_colours(code, name, rgb):
    cls = DEFAULT_NOMENCLATURE.get(code)
    assert (cls.name, cls.rgb) == (name, rgb)
    assert DEFAULT_NOMENCLATURE.colormap()[code] == (*rgb, 255)


def test_nodata_is_transparent_and_hidden_classes_too():
    table = DEFAULT_NOMENCLATURE.colormap(hidden={16})
    assert table[0] == (0, 0, 0, 0)
    assert table[16][3] == 0
    assert table[1][3] == 255


def test_another_mapping_for_a_vintage(tmp_path):
    data = DEFAULT_NOMENCLATURE.as_dict()
    data["version"] = "cosia-2021"
    for cls in data["classes"]:
        cls["code"] += 100  # a vintage that numbered its classes 101–117
    path = tmp_path / "cosia-2021.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    nomenclature = load_nomenclature(path)
    assert nomenclature.version == "cosia-2021"
    assert nomenclature.get(116).name == "Vigne"
    assert nomenclature.get(16) is None


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["classes"][0].update(colour="rouge"), "classe n° 1"),
        (lambda d: d["classes"][1].update(code=1), "en double"),
        (lambda d: d["classes"][2].update(code=0), "hors de 1–255"),
        (lambda d: d["classes"][3].update(group="urbain"), "groupe"),
        (lambda d: d.pop("classes"), "classes"),
    ],
)
def test_bad_mapping_is_refused_with_the_field(tmp_path, mutate, message):
    data = DEFAULT_NOMENCLATURE.as_dict()
    mutate(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NomenclatureError, match=message) as error:
        load_nomenclature(path)
    assert "bad.json" in str(error.value)
