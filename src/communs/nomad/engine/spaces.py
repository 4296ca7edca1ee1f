"""The spaces file: `site,building,floor,zone,zone_kind,desk,owner,features`, one desk a line.

Rows are checked here (line numbers from the file's first line, the header being line 1); the
database layer then creates or updates what the valid rows describe and rejects unknown owners.
"""

import csv
import io
from dataclasses import dataclass

from communs.nomad.engine.rules import COWORKING, TEAM

COLUMNS = ("site", "building", "floor", "zone", "zone_kind", "desk", "owner", "features")
MAX_ROWS = 20_000


@dataclass(frozen=True)
class SpaceRow:
    line: int
    site: str
    building: str
    floor: str
    zone: str
    zone_kind: str
    desk: str
    owner: str
    features: tuple[str, ...]


@dataclass(frozen=True)
class Rejected:
    line: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


class SpacesFileError(ValueError):
    pass


def read_spaces(text: str) -> tuple[list[SpaceRow], list[Rejected]]:
    """Valid rows and rejected lines; raises SpacesFileError when the header is wrong."""
    text = text.lstrip("\ufeff")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        raise SpacesFileError("ligne 1 : fichier vide (en-tête attendu : " + ",".join(COLUMNS) + ").") from None
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise SpacesFileError(f"ligne 1 : colonne(s) manquante(s) : {', '.join(missing)}.")
    index = {column: header.index(column) for column in COLUMNS}
    rows, rejected, seen = [], [], {}
    for line, cells in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            raise SpacesFileError(f"ligne {line} : plus de {MAX_ROWS} postes dans un fichier.")
        if not any(cell.strip() for cell in cells):
            continue
        values = {column: (cells[i].strip() if i < len(cells) else "") for column, i in index.items()}
        problem = None
        for column in ("site", "building", "floor", "zone", "desk"):
            if not values[column]:
                problem = Rejected(line, column, f"{column} vide")
                break
            if len(values[column]) > 100:
                problem = Rejected(line, column, f"{column} trop long (100 caractères au plus)")
                break
        kind = values["zone_kind"].lower()
        if problem is None and kind not in (TEAM, COWORKING):
            problem = Rejected(line, "zone_kind", f"« {values['zone_kind']} » : attendu {TEAM} ou {COWORKING}")
        if problem is None and values["desk"] in seen:
            problem = Rejected(line, "desk", f"poste « {values['desk']} » déjà décrit ligne {seen[values['desk']]}")
        if problem is None and kind == COWORKING and values["owner"]:
            problem = Rejected(line, "owner", "un poste de coworking n'a pas de titulaire")
        if problem:
            rejected.append(problem)
            continue
        seen[values["desk"]] = line
        features = tuple(sorted({f.strip().lower() for f in values["features"].split("|") if f.strip()}))
        rows.append(
            SpaceRow(
                line,
                values["site"],
                values["building"],
                values["floor"],
                values["zone"],
                kind,
                values["desk"],
                values["owner"],
                features,
            )
        )
    return rows, rejected
