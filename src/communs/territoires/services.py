"""Use cases that write the territorial reference: load the vendored COG file, import contours.

Both are idempotent: they compare what is stored with what the file says, create what is
missing, update what changed and leave the rest untouched, all in one transaction. Bulk
queries keep the full load (≈ 35 000 communes) to a few seconds on SQLite and PostgreSQL.
Codes that disappear from a newer reference are not deleted (other apps may still point to
them); they are counted as `obsolete` so an operator can decide.
"""

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from communs.territoires.engine.contours import ContourSet, read_contours
from communs.territoires.engine.normalize import normalize_search_text
from communs.territoires.engine.reference import REFERENCE_FILE, Reference, read_reference
from communs.territoires.models import Commune, CommuneKind, Contour, ContourLevel, Departement, Epci, Region

BATCH_SIZE = 1000
# `advance(n, total=None)`: n more records done; `total`, once known, is how many there are in all
# (the signature of `communs.core.cli.progress_bar`'s callback).
Advance = Callable[..., None]


def _postcode_text(postcodes) -> str:
    return f" {' '.join(postcodes)} " if postcodes else ""


def _sync(model, wanted: dict[str, dict], fields: list[str], advance: Advance) -> dict[str, int]:
    """Make `model` rows match `wanted` (code → field values): create missing, update changed."""
    existing = {row["pk"]: row for row in model.objects.values("pk", *fields)}
    to_create, to_update = [], []
    for code, values in wanted.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(pk=code, **values))
        elif any(current[name] != values[name] for name in fields):
            to_update.append(model(pk=code, **values))
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    advance(len(wanted))
    return {
        "created": len(to_create),
        "updated": len(to_update),
        "unchanged": len(wanted) - len(to_create) - len(to_update),
        "obsolete": len(existing.keys() - wanted.keys()),
    }


def _commune_values(reference: Reference) -> dict[str, dict]:
    return {
        c.code: {
            "nom": c.nom,
            "kind": c.kind,
            "departement_id": c.departement,
            "region_id": c.region,
            "epci_id": reference.epci_of_commune.get(c.code),
            "parent_id": c.parent or None,
            "population": c.population,
            "siren": c.siren,
            "postcodes": _postcode_text(c.postcodes),
            "search_name": normalize_search_text(c.nom),
        }
        # Communes actuelles first so that arrondissements find their parent already inserted.
        for c in sorted(reference.communes, key=lambda c: (c.kind != CommuneKind.COMMUNE, c.code))
    }


def load_reference(path: Path | str = REFERENCE_FILE, *, advance: Advance | None = None) -> dict:
    """Load (or refresh) régions, départements, EPCI and communes from the vendored file.

    Returns counts per level ({"communes": {"created": …, "updated": …, …}, …}) and the file's meta.
    `advance(0, total=N)` is called once the file is read, then `advance(n)` as records are
    processed (the CLI drives a progress bar with it, the reload job a percentage).
    """
    reference = read_reference(path)
    advance = advance or (lambda n, *, total=None: None)
    advance(0, total=sum(reference.counts().values()))
    with transaction.atomic():
        result = {
            "regions": _sync(
                Region,
                {r.code: {"nom": r.nom, "search_name": normalize_search_text(r.nom)} for r in reference.regions},
                ["nom", "search_name"],
                advance,
            ),
            "departements": _sync(
                Departement,
                {
                    d.code: {"nom": d.nom, "region_id": d.region, "search_name": normalize_search_text(d.nom)}
                    for d in reference.departements
                },
                ["nom", "region_id", "search_name"],
                advance,
            ),
            "epci": _sync(
                Epci,
                {
                    e.code: {
                        "nom": e.nom,
                        "type": e.type,
                        "population": e.population,
                        "search_name": normalize_search_text(e.nom),
                    }
                    for e in reference.epci
                },
                ["nom", "type", "population", "search_name"],
                advance,
            ),
            "communes": _sync(
                Commune,
                _commune_values(reference),
                [
                    "nom",
                    "kind",
                    "departement_id",
                    "region_id",
                    "epci_id",
                    "parent_id",
                    "population",
                    "siren",
                    "postcodes",
                    "search_name",
                ],
                advance,
            ),
        }
    from communs.territoires.signals import reference_changed

    transaction.on_commit(lambda: reference_changed.send(sender=load_reference))
    return {"source": reference.meta, **result}


def import_contours(
    path: Path | str,
    *,
    level: str = ContourLevel.COMMUNE,
    code_property: str | None = None,
    tolerance_m: float = 0.0,
    layer: str | int | None = None,
    advance: Advance | None = None,
) -> dict:
    """Import the outlines of `path` for `level`, replacing any stored outline of the same level and code."""
    if level not in ContourLevel.values:
        raise ValueError(f"niveau inconnu « {level} » (attendu : {', '.join(ContourLevel.values)})")
    contour_set: ContourSet = read_contours(
        path, level=level, code_property=code_property, tolerance_m=tolerance_m, layer=layer
    )
    known = _known_codes(level)
    unknown = sorted(record.code for record in contour_set.contours if record.code not in known)
    rows = [
        Contour(
            level=level,
            code=record.code,
            geometry=record.geojson,
            min_lon=record.bbox[0],
            min_lat=record.bbox[1],
            max_lon=record.bbox[2],
            max_lat=record.bbox[3],
            source=contour_set.source[:255],
            tolerance_m=contour_set.tolerance_m,
        )
        for record in contour_set.contours
    ]
    with transaction.atomic():
        replaced = Contour.objects.filter(level=level, code__in=[row.code for row in rows]).delete()[0]
        Contour.objects.bulk_create(rows, batch_size=200)
    if advance:
        advance(len(rows), total=len(rows))
    return {
        "file": str(path),
        "level": level,
        "code_property": contour_set.code_property,
        "source_crs": contour_set.source_crs,
        "tolerance_m": contour_set.tolerance_m,
        "imported": len(rows),
        "replaced": replaced,
        # Contours of codes absent from the reference (e.g. communes merged since the file was made)
        # are kept, but reported so the operator knows the file is older or newer than the reference.
        "unknown_codes": unknown,
    }


def _known_codes(level: str) -> set[str]:
    model = {
        ContourLevel.COMMUNE: Commune,
        ContourLevel.DEPARTEMENT: Departement,
        ContourLevel.REGION: Region,
        ContourLevel.EPCI: Epci,
    }[level]
    return set(model.objects.values_list("pk", flat=True))
