"""PILOTE's territories, read from the territorial reference (`communs.territoires`).

PILOTE steers the 101 départements of the 18 régions and the nation. It owns no list of them:
this module builds the engine's axis (`engine.territories.build_axis`) and the names shown on
pages from the reference tables, with each département's weight the sum of the INSEE municipal
populations of its communes (arrondissements municipaux are not counted twice).

Built once per process and kept (three small queries); a reload of the reference
(`territoires.signals.reference_changed`) drops it. While the reference tables are empty (a fresh
database, the file-only `communs pilote compute`), the same lists are read from the reference file
the tables are loaded from (`territoires.engine.reference`), so the figures are the same.
"""

from django.core.exceptions import ValidationError
from django.db.models import Sum

from communs.pilote.engine.geography import CARTOGRAM, GRID_COLUMNS, GRID_ROWS, cartogram_position
from communs.pilote.engine.territories import (
    DEPT,
    NAT,
    NATION,
    REG,
    AxisDepartement,
    TerritoryAxis,
    build_axis,
    insee_code,
    level_of,
    steered,
)
from communs.territoires.models import Commune, CommuneKind, Departement, Region

_cache: dict[str, object] = {}


def clear_cache(**kwargs) -> None:
    _cache.clear()


def _from_file() -> dict:
    from collections import Counter

    from communs.territoires.engine.reference import read_reference

    reference = read_reference()
    population: Counter = Counter()
    for commune in reference.communes:
        if commune.kind == CommuneKind.COMMUNE:
            population[commune.departement] += commune.population or 0
    chosen = steered(AxisDepartement(d.code, d.region, float(population[d.code])) for d in reference.departements)
    kept = {d.code for d in chosen}
    regions = {d.region for d in chosen}
    return {
        "axis": build_axis(chosen),
        "departements": [(d.code, d.nom) for d in reference.departements if d.code in kept],
        "regions": sorted((r.code, r.nom) for r in reference.regions if r.code in regions),
    }


def axis_from_reference_file() -> TerritoryAxis:
    """The axis read from the reference file, without the database (engine tests, benchmarks)."""
    if "file" not in _file_cache:
        _file_cache["file"] = _from_file()
    return _file_cache["file"]["axis"]


_file_cache: dict[str, dict] = {}


def _load() -> dict:
    if _cache:
        return _cache
    if not Departement.objects.exists():
        axis_from_reference_file()
        return _file_cache["file"]
    population = dict(
        Commune.objects.filter(kind=CommuneKind.COMMUNE)
        .values("departement_id")
        .annotate(total=Sum("population"))
        .values_list("departement_id", "total")
    )
    departements = list(Departement.objects.order_by("code").values_list("code", "nom", "region_id"))
    chosen = steered(
        AxisDepartement(code, region, float(population.get(code) or 0)) for code, _, region in departements
    )
    kept = {d.code for d in chosen}
    regions = {d.region for d in chosen}
    loaded = {
        "axis": build_axis(chosen),
        "departements": [(code, nom) for code, nom, _ in departements if code in kept],
        "regions": sorted(
            (code, nom) for code, nom in Region.objects.filter(code__in=regions).values_list("code", "nom")
        ),
    }
    if chosen:
        _cache.update(loaded)
    return loaded


def axis() -> TerritoryAxis:
    """The engine's axis: départements of the reference's 18 régions, their régions, the nation."""
    return _load()["axis"]


def names() -> dict[str, str]:
    loaded = _load()
    result = {NATION: "France"}
    result.update({f"{REG}-{code}": nom for code, nom in loaded["regions"]})
    result.update({f"{DEPT}-{code}": nom for code, nom in loaded["departements"]})
    return result


def territory_name(code: str) -> str:
    return names().get(code) or (insee_code(code) if "-" in code else code)


def territory_fields(code: str) -> dict:
    """`DEPT-35` → level, région and département columns; raises ValidationError if unknown."""
    code = code.strip().upper()
    current = axis()
    if code not in current.index:
        raise ValidationError(f"Territoire « {code} » inconnu (NAT-FR, REG-53, DEPT-35).")
    level = level_of(code)
    if level == NAT:
        return {"territory": code, "level": level, "region": "", "departement": ""}
    insee = insee_code(code)
    if level == REG:
        return {"territory": code, "level": level, "region": insee, "departement": ""}
    return {"territory": code, "level": level, "region": current.region_of[insee], "departement": insee}


def choices() -> list[tuple[str, str]]:
    """(code, label) for a territory picker: the nation, régions by name, départements by code."""
    loaded = _load()
    result = [(NATION, "France entière")]
    result += [(f"{REG}-{code}", f"{nom} (région)") for code, nom in sorted(loaded["regions"], key=lambda kv: kv[1])]
    result += [(f"{DEPT}-{code}", f"{code} — {nom}") for code, nom in loaded["departements"]]
    return result


def cartogram() -> list[tuple[str, str, int, int]]:
    """(code, name, column, row) of every steered département on the tile-grid cartogram."""
    tiles, extra = [], 0
    for code, nom in _load()["departements"]:
        if code not in CARTOGRAM:
            extra += 1
        tiles.append((code, nom, *cartogram_position(code, extra - 1)))
    return tiles


def grid_size() -> tuple[int, int]:
    rows = max((row for *_, row in cartogram()), default=GRID_ROWS - 1) + 1
    return GRID_COLUMNS, max(rows, GRID_ROWS)
