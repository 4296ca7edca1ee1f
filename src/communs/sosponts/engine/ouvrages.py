"""Bridges and walls: their kinds and condition classes.

IQOA (Image Qualité des Ouvrages d'Art, SETRA/Cerema, 1996 and later guides) rates a structure:
1 good apparent condition; 2 minor defects, ordinary maintenance; 2E structure sound but defects needing
specialised maintenance, urgent to stop them spreading; 3 structure damaged, repair needed without
urgency; 3U structure seriously damaged, urgent repair (the load capacity may be at stake). The suffix S
marks defects that may endanger users (a parapet, a falling stone), whatever the class. NE: not assessed.
The national bridge programme (Programme national ponts, Cerema, 2021–) assessed communal structures with
its own wording; we keep its level as written next to the IQOA class, and never convert one into the other.
"""

import re
from dataclasses import dataclass

OUVRAGE_KINDS = {
    "pont": "Pont",
    "mur": "Mur de soutènement",
}

STRUCTURE_TYPES = {
    "maconnerie": "Maçonnerie",
    "beton_arme": "Béton armé",
    "beton_precontraint": "Béton précontraint",
    "metal": "Métal",
    "mixte": "Mixte acier-béton",
    "bois": "Bois",
}

IQOA_BASE_CLASSES = ("1", "2", "2E", "3", "3U")
IQOA_LABELS = {
    "1": "1 – bon état apparent",
    "2": "2 – défauts mineurs, entretien courant",
    "2E": "2E – défauts à traiter par un entretien spécialisé urgent",
    "3": "3 – structure altérée, réparation à prévoir",
    "3U": "3U – structure gravement altérée, réparation urgente",
    "NE": "NE – non évalué",
}

_IQOA = re.compile(r"^\s*(?:IQOA\s*)?(1|2E|2|3U|3|NE)\s*(S)?\s*$", re.IGNORECASE)


class ClassError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    """An IQOA class and its safety suffix: `3U` + S is written "3US"."""

    base: str  # one of IQOA_BASE_CLASSES or "NE"
    safety: bool = False  # the S suffix: a defect may endanger users

    @property
    def code(self) -> str:
        return self.base + ("S" if self.safety else "")

    @property
    def label(self) -> str:
        text = IQOA_LABELS[self.base]
        return text + (" ; S : défaut pouvant mettre en cause la sécurité des usagers" if self.safety else "")

    @property
    def urgent(self) -> bool:
        return self.base == "3U" or self.safety


def parse_condition(text: str | None) -> Condition:
    """ "3U", "3us", "IQOA 2E S", "ne" → a Condition; empty → not assessed. Anything else is refused."""
    if text is None or not text.strip():
        return Condition("NE")
    match = _IQOA.match(text)
    if not match:
        raise ClassError(f"classe IQOA « {text} » inconnue (attendu : 1, 2, 2E, 3, 3U, avec S éventuel, ou NE)")
    base = match.group(1).upper()
    safety = bool(match.group(2))
    if base == "NE" and safety:
        raise ClassError("« NES » : un ouvrage non évalué n'a pas de suffixe S")
    return Condition(base, safety)
