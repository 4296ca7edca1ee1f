"""The first-level advice table: for a defect a mayor reports, what to do, when, how and by whom.

The starter rows are drafted from public guides and are marked "à valider par un expert" until an expert
validates them in the service (the validated copy is then a new version, with its author):
- Instruction technique pour la surveillance et l'entretien des ouvrages d'art (ITSEOA), 1979, revised 2010
  (annual visit by the manager, periodic inspection, detailed inspection);
- Cerema, Programme national ponts, guides for communal managers of small structures (2021–2023);
- SETRA, "Les ponts en maçonnerie", 1982 (vegetation, joints, scour of masonry bridges).
"""

from dataclasses import dataclass

DRAFT = "brouillon"
VALIDATED = "valide"


@dataclass(frozen=True)
class Advice:
    defect: str  # stable key
    title: str
    quoi: str
    quand: str
    comment: str
    par_qui: str
    source: str
    keywords: str  # words a mayor would use, to find the row from a question


STARTER_ADVICE: tuple[Advice, ...] = (
    Advice(
        "vegetation",
        "Végétation sur l'ouvrage",
        "Enlever la végétation (arbustes, lierre, racines) qui pousse dans les joints et sur les parements, "
        "sans arracher les pierres.",
        "À la fin de l'hiver, chaque année ; avant que les racines ne grossissent.",
        "Couper au ras, dévitaliser les souches, ne pas tirer sur les racines prises dans la maçonnerie ; "
        "signaler les joints ouverts après nettoyage pour un rejointoiement.",
        "Les agents communaux ; une entreprise de maçonnerie si des joints sont ouverts.",
        "SETRA, Les ponts en maçonnerie (1982) ; ITSEOA fascicule 1",
        "arbuste arbre lierre racine herbe végétation mousse plante",
    ),
    Advice(
        "affouillement",
        "Affouillement d'un appui",
        "Faire vérifier la fondation de la pile ou de la culée et limiter la charge si le creusement est visible.",
        "Immédiatement après une crue, puis à chaque basses eaux.",
        "Mesurer la profondeur du creux à la perche, photographier, comparer d'une visite à l'autre ; "
        "arrêté de limitation de tonnage en attendant l'expertise.",
        "Le maire (arrêté), puis un bureau d'études spécialisé ou le Cerema pour le diagnostic.",
        "ITSEOA fascicule 10 (fondations en site aquatique)",
        "affouillement creusement crue pile culée fondation trou eau",
    ),
    Advice(
        "joints",
        "Joints de maçonnerie dégradés",
        "Refaire les joints ouverts (rejointoiement) au mortier de chaux.",
        "Dans l'année, avant que l'eau et le gel ne déchaussent les pierres.",
        "Dégarnir les joints sur 3 à 5 cm, humidifier, regarnir au mortier de chaux hydraulique naturelle, "
        "jamais au ciment sur une maçonnerie ancienne.",
        "Une entreprise de maçonnerie.",
        "SETRA, Les ponts en maçonnerie (1982)",
        "joint mortier pierre maçonnerie creux",
    ),
    Advice(
        "garde_corps",
        "Garde-corps endommagé ou manquant",
        "Mettre en sécurité immédiatement (barrière provisoire), puis remplacer ou réparer le garde-corps.",
        "Le jour même pour la mise en sécurité ; réparation dans le mois.",
        "Barrières de chantier fixées, signalisation ; garde-corps conforme à la norme NF P98-405.",
        "Les agents communaux pour la mise en sécurité, une entreprise de serrurerie pour la réparation.",
        "Norme NF P98-405 ; ITSEOA fascicule 20 (équipements)",
        "garde-corps parapet rambarde barrière chute",
    ),
    Advice(
        "fissure",
        "Fissure sur la structure",
        "Faire surveiller la fissure : noter sa longueur et son ouverture, poser un témoin.",
        "Dès la découverte ; mesure tous les mois pendant un an.",
        "Témoin en plâtre daté ou jauge, photographies au même endroit ; si elle évolue, demander une "
        "inspection détaillée.",
        "Les agents communaux pour la surveillance, un bureau d'études si la fissure évolue.",
        "ITSEOA fascicule 3 (visites, inspections)",
        "fissure lézarde fente voûte tablier",
    ),
    Advice(
        "corrosion",
        "Corrosion des éléments métalliques ou des armatures",
        "Faire évaluer la perte de section et protéger le métal (peinture anticorrosion).",
        "Dans l'année ; sans délai si des éléments porteurs sont percés.",
        "Brossage, traitement et peinture pour les éléments secondaires ; diagnostic pour les porteurs.",
        "Une entreprise spécialisée ; un bureau d'études pour les éléments porteurs.",
        "ITSEOA fascicule 33 (ouvrages métalliques)",
        "rouille corrosion métal fer armature",
    ),
    Advice(
        "visite_annuelle",
        "Visite annuelle de l'ouvrage",
        "Faire une visite de contrôle de l'ouvrage chaque année, avec une fiche de visite.",
        "Une fois par an, et après chaque événement (crue, choc, séisme).",
        "Parcourir l'ouvrage dessus et dessous, photographier, remplir la fiche de visite, conserver l'historique.",
        "Les agents communaux formés, ou l'ingénierie départementale.",
        "ITSEOA fascicule 2 (généralités sur la surveillance)",
        "visite surveillance inspection contrôle entretien",
    ),
)


def classify(text: str, rows: tuple[Advice, ...] = STARTER_ADVICE) -> str:
    """The defect key of the advice row whose title and mayors' words best match `text` (BM25), or ""."""
    from communs.sosponts.engine.lexical import LexicalIndex

    index = LexicalIndex([f"{row.title} {row.keywords}" for row in rows])
    scores = index.scores(text)
    if not scores.size or scores.max() <= 0:
        return ""
    return rows[int(scores.argmax())].defect
