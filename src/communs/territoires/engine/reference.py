"""Reader and validator of the vendored reference file (`territoires/data/*.json.gz`).

The file is produced by `scripts/vendor_decoupage.py` from `@etalab/decoupage-administratif`. It is
validated here, before anything touches the database, so that a bad regeneration fails with a
message naming the record and field at fault instead of half-loading.
"""

import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
REFERENCE_FILE = DATA_DIR / "decoupage-administratif-6.0.0.json.gz"

COMMUNE_ACTUELLE = "commune-actuelle"
ARRONDISSEMENT_MUNICIPAL = "arrondissement-municipal"
COMMUNE_KINDS = (COMMUNE_ACTUELLE, ARRONDISSEMENT_MUNICIPAL)

# INSEE codes: 2 characters for régions (3 for collectivités d'outre-mer), 2-3 for départements
# (2A/2B for Corsica, 971-989 overseas), 5 for communes; EPCI are identified by their 9-digit SIREN;
# postcodes have 5 digits.
REGION_CODE = re.compile(r"^(\d{2}|9[78]\d)$")
DEPARTEMENT_CODE = re.compile(r"^(\d{2}|2[AB]|9[78]\d)$")
COMMUNE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
SIREN = re.compile(r"^\d{9}$")
POSTCODE = re.compile(r"^\d{5}$")


class ReferenceFileError(ValueError):
    """The reference file is unreadable or a record breaks a rule; the message names where."""


@dataclass(frozen=True)
class RegionRecord:
    code: str
    nom: str


@dataclass(frozen=True)
class DepartementRecord:
    code: str
    nom: str
    region: str


@dataclass(frozen=True)
class EpciRecord:
    code: str
    nom: str
    type: str
    population: int | None
    membres: tuple[str, ...]


@dataclass(frozen=True)
class CommuneRecord:
    code: str
    nom: str
    kind: str
    departement: str
    region: str
    population: int | None
    postcodes: tuple[str, ...]
    siren: str = ""
    parent: str = ""  # the commune of an arrondissement municipal


@dataclass(frozen=True)
class FormerCommuneRecord:
    """A commune déléguée or associée: its former name, and the current commune (chef-lieu)."""

    code: str
    nom: str
    kind: str
    current: str


@dataclass(frozen=True)
class Reference:
    meta: dict
    regions: tuple[RegionRecord, ...]
    departements: tuple[DepartementRecord, ...]
    epci: tuple[EpciRecord, ...]
    communes: tuple[CommuneRecord, ...]
    epci_of_commune: dict[str, str] = field(default_factory=dict)
    former: tuple[FormerCommuneRecord, ...] = ()

    def counts(self) -> dict[str, int]:
        return {
            "regions": len(self.regions),
            "departements": len(self.departements),
            "epci": len(self.epci),
            "communes": len(self.communes),
        }


def _check(condition: bool, where: str, message: str) -> None:
    if not condition:
        raise ReferenceFileError(f"{where}: {message}")


def _text(row: dict, key: str, where: str) -> str:
    value = row.get(key)
    _check(isinstance(value, str) and value.strip() != "", where, f"champ « {key} » manquant ou vide")
    return value.strip()


def _population(row: dict, where: str) -> int | None:
    value = row.get("population")
    _check(value is None or (isinstance(value, int) and value >= 0), where, "champ « population » invalide")
    return value


def _unique(codes: Iterable[str], what: str) -> set[str]:
    seen: set[str] = set()
    for code in codes:
        _check(code not in seen, f"{what} {code}", "code en double")
        seen.add(code)
    return seen


def parse_reference(payload: dict, source: str = "reference") -> Reference:
    """Validate the decoded JSON document and turn it into records."""
    for key in ("meta", "regions", "departements", "epci", "communes"):
        _check(key in payload, source, f"bloc « {key} » absent")

    regions = []
    for index, row in enumerate(payload["regions"]):
        where = f"{source}: regions[{index}]"
        code = _text(row, "code", where)
        _check(bool(REGION_CODE.match(code)), where, f"code de région invalide « {code} »")
        regions.append(RegionRecord(code=code, nom=_text(row, "nom", where)))
    region_codes = _unique((r.code for r in regions), "région")

    departements = []
    for index, row in enumerate(payload["departements"]):
        where = f"{source}: departements[{index}]"
        code = _text(row, "code", where)
        _check(bool(DEPARTEMENT_CODE.match(code)), where, f"code de département invalide « {code} »")
        region = _text(row, "region", where)
        _check(region in region_codes, where, f"région inconnue « {region} »")
        departements.append(DepartementRecord(code=code, nom=_text(row, "nom", where), region=region))
    departement_codes = _unique((d.code for d in departements), "département")

    communes = []
    for index, row in enumerate(payload["communes"]):
        where = f"{source}: communes[{index}]"
        code = _text(row, "code", where)
        where = f"{where} ({code})"
        _check(bool(COMMUNE_CODE.match(code)), where, "code INSEE invalide")
        kind = _text(row, "type", where)
        _check(kind in COMMUNE_KINDS, where, f"type inconnu « {kind} »")
        departement = _text(row, "departement", where)
        _check(departement in departement_codes, where, f"département inconnu « {departement} »")
        region = _text(row, "region", where)
        _check(region in region_codes, where, f"région inconnue « {region} »")
        postcodes = tuple(row.get("codesPostaux") or ())
        for postcode in postcodes:
            _check(bool(POSTCODE.match(postcode)), where, f"code postal invalide « {postcode} »")
        parent = row.get("commune", "") if kind == ARRONDISSEMENT_MUNICIPAL else ""
        _check(kind != ARRONDISSEMENT_MUNICIPAL or bool(parent), where, "arrondissement sans « commune » parente")
        siren = row.get("siren", "")
        _check(not siren or bool(SIREN.match(siren)), where, f"SIREN invalide « {siren} »")
        communes.append(
            CommuneRecord(
                code=code,
                nom=_text(row, "nom", where),
                kind=kind,
                departement=departement,
                region=region,
                population=_population(row, where),
                postcodes=postcodes,
                siren=siren,
                parent=parent,
            )
        )
    commune_codes = _unique((c.code for c in communes), "commune")
    for commune in communes:
        if commune.parent:
            _check(commune.parent in commune_codes, f"{source}: commune {commune.code}", "commune parente inconnue")

    epci = []
    epci_of_commune: dict[str, str] = {}
    for index, row in enumerate(payload["epci"]):
        where = f"{source}: epci[{index}]"
        code = _text(row, "code", where)
        where = f"{where} ({code})"
        _check(bool(SIREN.match(code)), where, "SIREN d'EPCI invalide")
        membres = tuple(row.get("membres") or ())
        for member in membres:
            _check(member in commune_codes, where, f"commune membre inconnue « {member} »")
            _check(
                member not in epci_of_commune, where, f"commune {member} déjà membre de {epci_of_commune.get(member)}"
            )
            epci_of_commune[member] = code
        epci.append(
            EpciRecord(
                code=code,
                nom=_text(row, "nom", where),
                type=_text(row, "type", where),
                population=_population(row, where),
                membres=membres,
            )
        )
    _unique((e.code for e in epci), "EPCI")

    former = []
    for index, row in enumerate(payload.get("anciennes", [])):  # optional block
        where = f"{source}: anciennes[{index}]"
        current = _text(row, "chefLieu", where)
        _check(current in commune_codes, where, f"chef-lieu {current} inconnu")
        former.append(
            FormerCommuneRecord(
                code=_text(row, "code", where),
                nom=_text(row, "nom", where),
                kind=_text(row, "type", where),
                current=current,
            )
        )

    return Reference(
        meta=dict(payload["meta"]),
        former=tuple(former),
        regions=tuple(regions),
        departements=tuple(departements),
        epci=tuple(epci),
        communes=tuple(communes),
        epci_of_commune=epci_of_commune,
    )


def read_reference(path: Path | str = REFERENCE_FILE) -> Reference:
    """Read and validate a (gzipped or plain) reference JSON file."""
    path = Path(path)
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            payload = json.load(handle)
    except FileNotFoundError as exc:
        raise ReferenceFileError(f"{path}: fichier introuvable") from exc
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReferenceFileError(f"{path}: fichier illisible ({exc})") from exc
    _check(isinstance(payload, dict), str(path), "le document doit être un objet JSON")
    return parse_reference(payload, source=path.name)
