"""The 101 départements and 18 régions PILOTE steers, with a tile-grid cartogram position per département.

Codes, names and régions come from the territorial reference shipped with Communs (Etalab
`@etalab/decoupage-administratif` 6.0.0, INSEE COG); populations are the sum of the INSEE municipal
populations of each département in that file, used as default weights for weighted means.
The grid (column, row) places one square per département roughly where it lies on a map of France
(metropolitan France on rows 0 to 12, Corsica on the right, overseas départements on row 13). It is a
cartogram, not a map: every département gets the same area, which keeps small urban départements
readable and needs no contour file. The web layer checks these codes against the loaded reference.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    region: str
    population: int
    col: int
    row: int


REGIONS: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

DEPARTEMENTS: tuple[Departement, ...] = (
    Departement("01", "Ain", "84", 679344, 9, 6),
    Departement("02", "Aisne", "32", 523342, 7, 1),
    Departement("03", "Allier", "84", 333298, 6, 6),
    Departement("04", "Alpes-de-Haute-Provence", "93", 168054, 9, 9),
    Departement("05", "Hautes-Alpes", "93", 143467, 9, 8),
    Departement("06", "Alpes-Maritimes", "93", 1128418, 10, 9),
    Departement("07", "Ardèche", "84", 334231, 7, 8),
    Departement("08", "Ardennes", "44", 265893, 8, 1),
    Departement("09", "Ariège", "76", 155722, 4, 12),
    Departement("10", "Aube", "44", 310447, 8, 3),
    Departement("11", "Aude", "76", 379648, 5, 11),
    Departement("12", "Aveyron", "76", 279609, 5, 9),
    Departement("13", "Bouches-du-Rhône", "93", 2087658, 7, 10),
    Departement("14", "Calvados", "28", 709441, 3, 2),
    Departement("15", "Cantal", "84", 144196, 5, 8),
    Departement("16", "Charente", "75", 352683, 3, 7),
    Departement("17", "Charente-Maritime", "75", 672279, 2, 7),
    Departement("18", "Cher", "24", 298660, 5, 6),
    Departement("19", "Corrèze", "75", 240826, 4, 8),
    Departement("21", "Côte-d'Or", "27", 540100, 7, 5),
    Departement("22", "Côtes-d'Armor", "53", 611859, 1, 3),
    Departement("23", "Creuse", "75", 115527, 5, 7),
    Departement("24", "Dordogne", "75", 417614, 3, 8),
    Departement("25", "Doubs", "27", 547163, 8, 5),
    Departement("26", "Drôme", "84", 524207, 8, 8),
    Departement("27", "Eure", "28", 602714, 4, 2),
    Departement("28", "Eure-et-Loir", "24", 433129, 4, 4),
    Departement("29", "Finistère", "53", 933455, 0, 3),
    Departement("2A", "Corse-du-Sud", "94", 168306, 10, 12),
    Departement("2B", "Haute-Corse", "94", 187180, 10, 11),
    Departement("30", "Gard", "76", 770940, 7, 9),
    Departement("31", "Haute-Garonne", "76", 1471468, 4, 11),
    Departement("32", "Gers", "76", 192645, 3, 10),
    Departement("33", "Gironde", "75", 1690493, 2, 8),
    Departement("34", "Hérault", "76", 1230289, 6, 10),
    Departement("35", "Ille-et-Vilaine", "53", 1120666, 2, 3),
    Departement("36", "Indre", "24", 216069, 4, 6),
    Departement("37", "Indre-et-Loire", "24", 619362, 3, 5),
    Departement("38", "Isère", "84", 1298990, 9, 7),
    Departement("39", "Jura", "27", 257973, 8, 6),
    Departement("40", "Landes", "75", 433570, 2, 9),
    Departement("41", "Loir-et-Cher", "24", 328543, 4, 5),
    Departement("42", "Loire", "84", 774133, 7, 7),
    Departement("43", "Haute-Loire", "84", 228654, 6, 8),
    Departement("44", "Loire-Atlantique", "52", 1487570, 1, 5),
    Departement("45", "Loiret", "24", 691268, 5, 5),
    Departement("46", "Lot", "76", 176473, 4, 9),
    Departement("47", "Lot-et-Garonne", "75", 333602, 3, 9),
    Departement("48", "Lozère", "76", 76486, 6, 9),
    Departement("49", "Maine-et-Loire", "52", 833776, 2, 5),
    Departement("50", "Manche", "28", 497522, 2, 2),
    Departement("51", "Marne", "44", 563076, 7, 2),
    Departement("52", "Haute-Marne", "44", 168331, 8, 4),
    Departement("53", "Mayenne", "52", 305468, 2, 4),
    Departement("54", "Meurthe-et-Moselle", "44", 732236, 9, 3),
    Departement("55", "Meuse", "44", 180290, 8, 2),
    Departement("56", "Morbihan", "53", 783390, 1, 4),
    Departement("57", "Moselle", "44", 1051309, 9, 2),
    Departement("58", "Nièvre", "27", 201417, 6, 5),
    Departement("59", "Nord", "32", 2615635, 7, 0),
    Departement("60", "Oise", "32", 829899, 6, 1),
    Departement("61", "Orne", "28", 275201, 3, 3),
    Departement("62", "Pas-de-Calais", "32", 1457905, 6, 0),
    Departement("63", "Puy-de-Dôme", "84", 664453, 6, 7),
    Departement("64", "Pyrénées-Atlantiques", "75", 706564, 2, 10),
    Departement("65", "Hautes-Pyrénées", "76", 231349, 3, 11),
    Departement("66", "Pyrénées-Orientales", "76", 496855, 5, 12),
    Departement("67", "Bas-Rhin", "44", 1163810, 10, 2),
    Departement("68", "Haut-Rhin", "44", 770738, 11, 3),
    Departement("69", "Rhône", "84", 1914667, 8, 7),
    Departement("70", "Haute-Saône", "27", 233185, 9, 4),
    Departement("71", "Saône-et-Loire", "27", 550310, 7, 6),
    Departement("72", "Sarthe", "52", 566733, 3, 4),
    Departement("73", "Savoie", "84", 448226, 10, 7),
    Departement("74", "Haute-Savoie", "84", 861158, 10, 6),
    Departement("75", "Paris", "11", 2103778, 6, 3),
    Departement("76", "Seine-Maritime", "28", 1260964, 4, 1),
    Departement("77", "Seine-et-Marne", "11", 1468108, 7, 3),
    Departement("78", "Yvelines", "11", 1485086, 4, 3),
    Departement("79", "Deux-Sèvres", "75", 375229, 2, 6),
    Departement("80", "Somme", "32", 565413, 5, 1),
    Departement("81", "Tarn", "76", 397352, 5, 10),
    Departement("82", "Tarn-et-Garonne", "76", 265817, 4, 10),
    Departement("83", "Var", "93", 1119307, 8, 10),
    Departement("84", "Vaucluse", "93", 572056, 8, 9),
    Departement("85", "Vendée", "52", 713609, 1, 6),
    Departement("86", "Vienne", "75", 438897, 3, 6),
    Departement("87", "Haute-Vienne", "75", 373167, 4, 7),
    Departement("88", "Vosges", "44", 357248, 10, 3),
    Departement("89", "Yonne", "27", 332267, 7, 4),
    Departement("90", "Territoire de Belfort", "27", 140255, 10, 4),
    Departement("91", "Essonne", "11", 1338485, 5, 4),
    Departement("92", "Hauts-de-Seine", "11", 1654712, 5, 3),
    Departement("93", "Seine-Saint-Denis", "11", 1704316, 6, 2),
    Departement("94", "Val-de-Marne", "11", 1426929, 6, 4),
    Departement("95", "Val-d'Oise", "11", 1281653, 5, 2),
    Departement("971", "Guadeloupe", "01", 384160, 0, 13),
    Departement("972", "Martinique", "02", 360630, 1, 13),
    Departement("973", "Guyane", "03", 293996, 2, 13),
    Departement("974", "La Réunion", "04", 889679, 3, 13),
    Departement("976", "Mayotte", "06", 256518, 4, 13),
)

DEPARTEMENT_BY_CODE: dict[str, Departement] = {d.code: d for d in DEPARTEMENTS}
GRID_COLUMNS = max(d.col for d in DEPARTEMENTS) + 1
GRID_ROWS = max(d.row for d in DEPARTEMENTS) + 1


def departements_of_region(region: str) -> list[str]:
    return [d.code for d in DEPARTEMENTS if d.region == region]
