"""Header mapping: which column of a legacy spreadsheet holds which field.

The DGOS spreadsheets changed their headers from one campaign to the next ("N° projet",
"Référence dossier", "Identifiant PHRC"…). `suggest_mapping` proposes a field for each header
from the labels below (exact after folding accents, case and punctuation, then the closest
label above a similarity threshold); people correct it, and a mapping is plain data
(`{"header": "field"}`) they can save as JSON and reuse.
"""

import difflib
import re

from communs.sirano.engine.identifiers import fold

# field → (French label, known header spellings)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "identifiant": (
        "Identifiant du projet",
        (
            "identifiant",
            "n projet",
            "numero projet",
            "numero de projet",
            "reference",
            "reference dossier",
            "ref projet",
            "identifiant projet",
            "code projet",
            "id projet",
            "numero dossier",
            "n dossier",
        ),
    ),
    "programme": ("Programme", ("programme", "appel a projets", "aap", "type de programme")),
    "annee": ("Année de campagne", ("annee", "campagne", "annee campagne", "annee de selection", "millesime")),
    "finess": (
        "FINESS de l'établissement",
        ("finess", "n finess", "numero finess", "finess ej", "finess etablissement"),
    ),
    "etablissement": (
        "Établissement coordonnateur",
        (
            "etablissement",
            "etablissement coordonnateur",
            "etablissement gestionnaire",
            "chu",
            "structure",
            "etablissement porteur",
            "nom etablissement",
        ),
    ),
    "investigateur": (
        "Investigateur principal",
        (
            "investigateur",
            "investigateur principal",
            "investigateur coordonnateur",
            "porteur",
            "ip",
            "nom investigateur",
        ),
    ),
    "acronyme": ("Acronyme", ("acronyme", "acronym", "sigle", "nom court")),
    "titre": ("Titre", ("titre", "titre du projet", "intitule", "intitule du projet", "title")),
    "montant": (
        "Montant attribué",
        (
            "montant",
            "montant attribue",
            "montant alloue",
            "financement",
            "montant total",
            "budget accorde",
            "montant accorde",
            "dotation",
            "montant notifie",
        ),
    ),
    "registre": (
        "Identifiant de registre",
        (
            "registre",
            "n registre",
            "clinicaltrials",
            "nct",
            "numero nct",
            "eudract",
            "eu ct",
            "n eu ct",
            "identifiant registre",
        ),
    ),
    "doi": ("Publications (DOI)", ("doi", "publication", "publications", "references publications")),
    "date_notification": ("Date de notification", ("date notification", "date de notification", "notifie le")),
    "prevu_autorisations": (
        "Date prévue des autorisations",
        ("date prevue autorisations", "autorisations prevues", "date prevue cpp", "cpp prevu"),
    ),
    "prevu_premiere_inclusion": (
        "Date prévue de première inclusion",
        ("date prevue premiere inclusion", "premiere inclusion prevue", "1ere inclusion prevue", "debut inclusions"),
    ),
    "prevu_fin_inclusions": (
        "Date prévue de fin des inclusions",
        ("date prevue fin inclusions", "fin des inclusions prevue", "fin inclusions prevue", "fin inclusions"),
    ),
    "prevu_fin_etude": ("Date prévue de fin d'étude", ("date prevue fin etude", "fin etude prevue", "fin d etude")),
    "prevu_resultats_publies": (
        "Date prévue de publication des résultats",
        ("date prevue resultats", "resultats prevus", "publication resultats prevue"),
    ),
    "date_resultats": (
        "Date de publication des résultats dans le registre",
        ("date resultats", "resultats publies le", "date de mise en ligne des resultats", "resultats registre"),
    ),
}
FIELD_CHOICES = [(field, label) for field, (label, _) in FIELDS.items()]
REQUIRED = ("identifiant", "montant")
SIMILARITY = 0.82


def header_key(header) -> str:
    """ "N° Projet (réf.)" → "n projet ref"."""
    text = fold(str(header or "")).lower().replace("°", " ")
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


_INDEX = {header_key(label): field for field, (_, labels) in FIELDS.items() for label in labels}
_INDEX.update({header_key(label): field for field, (label, _) in FIELDS.items()})
_INDEX.update({field: field for field in FIELDS})


def suggest_field(header) -> str | None:
    key = header_key(header)
    if not key:
        return None
    if key in _INDEX:
        return _INDEX[key]
    close = difflib.get_close_matches(key, list(_INDEX), n=1, cutoff=SIMILARITY)
    return _INDEX[close[0]] if close else None


def suggest_mapping(headers: list) -> dict[str, str]:
    """`{header: field}` for the headers recognised; one header per field (the first wins)."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = suggest_field(header)
        if field and field not in taken:
            mapping[str(header)] = field
            taken.add(field)
    return mapping


def check_mapping(mapping: dict[str, str]) -> list[str]:
    """Problems of a mapping given by people: unknown fields, a field mapped twice, a required field missing."""
    problems = [
        f"champ « {field} » inconnu (colonne « {header} »)"
        for header, field in mapping.items()
        if field and field not in FIELDS
    ]
    used = [field for field in mapping.values() if field]
    problems += [
        f"champ « {field} » associé à plusieurs colonnes" for field in sorted(set(used)) if used.count(field) > 1
    ]
    problems += [f"aucune colonne pour le champ obligatoire « {field} »" for field in REQUIRED if field not in used]
    return problems
