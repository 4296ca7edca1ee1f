"""CoSIA nomenclature as data: class codes, names, definitions, official colours, grouping.

Source: IGN, « CoSIA — Couverture du sol par intelligence artificielle », légende officielle
(16 classes + « Autre », couleurs de la carte de https://cosia.ign.fr/). Default codes 1–16 in the
order of the legend, 17 = Autre, 0 = nodata. A product vintage may ship another code mapping: it is
loaded with `load_nomenclature` from a JSON file of the same shape as `DEFAULT_NOMENCLATURE.as_dict()`.

Grouping (stated, as the issue asks): « artificialisé » follows the spirit of the OCS GE
artificialisation nomenclature (décret n° 2023-1096, annexe) — built, sealed and bare-but-man-made
surfaces (Bâtiment, Zone imperméable, Zone perméable, Piscine, Serre); « naturel, agricole et
forestier » is every other observed class; « Autre » is left unclassified.
"""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

NODATA = 0

ARTIFICIALISE = "artificialise"
NATUREL = "naturel"
NON_CLASSE = "non_classe"
GROUP_LABELS = {
    ARTIFICIALISE: "Surfaces artificialisées",
    NATUREL: "Surfaces naturelles, agricoles et forestières",
    NON_CLASSE: "Non classé",
}


class NomenclatureError(ValueError):
    """A nomenclature file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class CosiaClass:
    code: int
    name: str
    colour: str  # "#rrggbb"
    group: str
    definition: str = ""
    reliability: str = ""

    @property
    def rgb(self) -> tuple[int, int, int]:
        value = self.colour.lstrip("#")
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


@dataclass(frozen=True)
class Nomenclature:
    version: str
    classes: tuple[CosiaClass, ...]
    nodata: int = NODATA
    source: str = ""
    _by_code: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._by_code.update({c.code: c for c in self.classes})

    @property
    def codes(self) -> list[int]:
        return [c.code for c in self.classes]

    def get(self, code: int) -> CosiaClass | None:
        return self._by_code.get(int(code))

    def colormap(self, hidden: frozenset[int] | set[int] = frozenset()) -> dict[int, tuple[int, int, int, int]]:
        """GDAL/rio-tiler colour table: every class opaque with its official colour, nodata transparent."""
        table = {self.nodata: (0, 0, 0, 0)}
        for cls in self.classes:
            table[cls.code] = (*cls.rgb, 0 if cls.code in hidden else 255)
        return table

    def as_dict(self) -> dict:
        return {
            "version": self.version,
            "source": self.source,
            "nodata": self.nodata,
            "classes": [asdict(c) for c in self.classes],
        }


_DEFAULT_ROWS = [
    # code, name, colour, group, definition, reliability note
    (
        1,
        "Bâtiment",
        "#ce7079",
        ARTIFICIALISE,
        "Construction couverte et pérenne (toiture visible).",
        "Très fiable ; petites annexes sous couvert arboré parfois manquées.",
    ),
    (
        2,
        "Zone imperméable",
        "#a6aab7",
        ARTIFICIALISE,
        "Surface scellée : routes, parkings, places, voies ferrées.",
        "Fiable ; confusions avec les toits plats gris.",
    ),
    (
        3,
        "Zone perméable",
        "#987752",
        ARTIFICIALISE,
        "Surface artificialisée non scellée : graviers, chemins, terre battue.",
        "Moyennement fiable ; confusions avec le sol nu.",
    ),
    (
        4,
        "Piscine",
        "#62d0ff",
        ARTIFICIALISE,
        "Bassin de piscine extérieure.",
        "Fiable pour les piscines découvertes ; bâches sombres non détectées.",
    ),
    (
        5,
        "Serre",
        "#b9e2d4",
        ARTIFICIALISE,
        "Serre et tunnel agricole.",
        "Moyennement fiable ; confusions avec les bâtiments clairs.",
    ),
    (
        6,
        "Sol nu",
        "#bbb096",
        NATUREL,
        "Sol sans végétation ni revêtement : sable, roche, chantier.",
        "Moyennement fiable ; dépend de la saison de prise de vue.",
    ),
    (
        7,
        "Surface eau",
        "#3375a1",
        NATUREL,
        "Eau libre : cours d'eau, plans d'eau, mer.",
        "Très fiable hors reflets et ombres portées.",
    ),
    (
        8,
        "Neige",
        "#e9effe",
        NATUREL,
        "Neige ou glace au moment de la prise de vue.",
        "Dépend de la date de prise de vue.",
    ),
    (
        9,
        "Conifère",
        "#126421",
        NATUREL,
        "Peuplement d'arbres résineux.",
        "Fiable ; confusions avec le feuillu en ombre.",
    ),
    (10, "Feuillu", "#4c9129", NATUREL, "Peuplement d'arbres feuillus, haies, arbres isolés.", "Très fiable."),
    (11, "Coupe", "#e48e4d", NATUREL, "Coupe forestière récente.", "Peu fiable ; classe rare."),
    (
        12,
        "Broussaille",
        "#b5c335",
        NATUREL,
        "Lande, friche, végétation arbustive basse.",
        "Peu fiable ; confusions avec la pelouse et le feuillu.",
    ),
    (13, "Pelouse", "#8cd76a", NATUREL, "Végétation herbacée : prairie, gazon, pelouse.", "Fiable."),
    (
        14,
        "Culture",
        "#decf55",
        NATUREL,
        "Parcelle agricole cultivée en végétation.",
        "Fiable ; confusions saisonnières avec la pelouse.",
    ),
    (
        15,
        "Terre labourée",
        "#d0a349",
        NATUREL,
        "Parcelle agricole labourée, sans végétation.",
        "Fiable ; dépend de la saison.",
    ),
    (16, "Vigne", "#b08290", NATUREL, "Vignoble.", "Moyennement fiable hors régions viticoles."),
    (17, "Autre", "#222222", NON_CLASSE, "Pixel non attribué à une classe.", "Sans objet."),
]

DEFAULT_NOMENCLATURE = Nomenclature(
    version="cosia-2024",
    source="IGN — CoSIA, légende officielle (cosia.ign.fr)",
    classes=tuple(CosiaClass(*row) for row in _DEFAULT_ROWS),
)


def nomenclature_from_dict(data: dict, *, origin: str = "nomenclature") -> Nomenclature:
    """Build a nomenclature from its dict form, checking every field."""
    if not isinstance(data, dict) or "classes" not in data:
        raise NomenclatureError(f"{origin} : clé « classes » absente")
    classes = []
    for index, row in enumerate(data["classes"], start=1):
        try:
            code = int(row["code"])
            colour = str(row["colour"])
            cls = CosiaClass(
                code=code,
                name=str(row["name"]),
                colour=colour,
                group=str(row.get("group", NATUREL)),
                definition=str(row.get("definition", "")),
                reliability=str(row.get("reliability", "")),
            )
            cls.rgb  # noqa: B018 (validates the colour)
        except (KeyError, TypeError, ValueError) as exc:
            raise NomenclatureError(f"{origin} : classe n° {index} invalide ({exc})") from exc
        if not 1 <= code <= 255:
            raise NomenclatureError(f"{origin} : classe n° {index}, code {code} hors de 1–255")
        if cls.group not in GROUP_LABELS:
            raise NomenclatureError(f"{origin} : classe n° {index}, groupe « {cls.group} » inconnu")
        classes.append(cls)
    codes = [c.code for c in classes]
    if len(set(codes)) != len(codes):
        raise NomenclatureError(f"{origin} : codes de classe en double")
    return Nomenclature(
        version=str(data.get("version", "")) or "sans-version",
        classes=tuple(classes),
        nodata=int(data.get("nodata", NODATA)),
        source=str(data.get("source", "")),
    )


def load_nomenclature(path: Path | str) -> Nomenclature:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NomenclatureError(f"{path} : illisible ({exc})") from exc
    return nomenclature_from_dict(data, origin=str(path))
