"""Safety first: is a question urgent, and why.

A question is urgent when the structure's condition class is 3U or carries the S suffix (IQOA), or when
its text describes a danger. Danger signs are written as mayors write them, not only in experts' words;
each sign is a row of `DANGER_SIGNS` with the reason shown to the mayor and to the expert.

What a mayor may do at once comes from the mayor's police powers: art. L2212-2 of the Code général des
collectivités territoriales (the municipal police includes "the safety and convenience of passage in the
streets" and preventing accidents) and art. L2213-1 (traffic police on the roads of the commune), which
allow an order (arrêté) limiting tonnage or closing a bridge, with signage (B13 weight limit, B0 closed to
all vehicles, in the arrêté of 24 November 1967 on road signs).
"""

import re
from dataclasses import dataclass

from communs.sosponts.engine.ouvrages import Condition, parse_condition
from communs.sosponts.engine.text import fold

URGENT = "urgent"
NORMAL = "normal"


@dataclass(frozen=True)
class DangerSign:
    id: str
    reason: str
    patterns: tuple[str, ...]  # regular expressions over folded text (lower case, no accents)


# Patterns read folded text: "é" is "e", apostrophes are kept. `.{0,40}` bounds how far apart the words may be.
DANGER_SIGNS: tuple[DangerSign, ...] = (
    DangerSign(
        "affouillement",
        "Affouillement : l'eau creuse sous un appui (pile ou culée), les fondations peuvent perdre leur assise.",
        (
            r"affouill",
            r"(creus|degarni|dechauss|mis a nu|mise a nu|emport)\w*.{0,40}(pile|culee|fondation|appui|pied)",
            r"(pile|culee|fondation|appui|pied du pont).{0,40}(creus|degarni|dechauss|a nu|emport|vide)",
            r"trou.{0,30}(sous|au pied).{0,20}(pile|pont|culee|appui)",
        ),
    ),
    DangerSign(
        "fissure_evolutive",
        "Fissure qui évolue : une fissure qui s'élargit ou s'allonge signale un mouvement de la structure.",
        (
            r"fissure\w*.{0,50}(s'elargi|s'agrandi|s'ouvr|s'allong|grandi|evolu|de plus en plus|elargi)",
            r"(elargi|agrandi|allonge)\w*.{0,30}fissure",
            r"lezarde\w*.{0,50}(s'elargi|s'agrandi|grandi|evolu)",
        ),
    ),
    DangerSign(
        "affaissement",
        "Affaissement ou effondrement : la chaussée ou la structure a bougé vers le bas.",
        (
            r"effondr",
            r"affaiss",
            r"s'ecroul",
            r"(chaussee|route|tablier|trottoir).{0,30}(s'enfonc|enfonce|s'est enfonce|a baisse|creux qui se forme)",
            r"trou.{0,20}(dans|sur) (la |le )?(chaussee|route|tablier|trottoir)",
        ),
    ),
    DangerSign(
        "garde_corps",
        "Garde-corps ou parapet arraché ou manquant : risque de chute des usagers.",
        (
            r"(garde.?corps|parapet|rambarde|barriere|balustrade)\w*.{0,40}"
            r"(arrach|tomb|casse|manqu|dispar|emport|renvers|ne tient plus|descell|bouge)",
            r"(arrach|emport|renvers|casse)\w*.{0,30}(garde.?corps|parapet|rambarde|balustrade)",
        ),
    ),
    DangerSign(
        "mouvement_tablier",
        "Tablier qui bouge : un mouvement anormal au passage des véhicules peut signaler un appui défaillant.",
        (r"(tablier|plate.?forme|pont|ouvrage).{0,40}(bouge|oscill|se deplace|s'est deplace|vibre beaucoup|tangue)",),
    ),
    DangerSign(
        "chute_pierres",
        "Chute de pierres ou d'éléments : risque pour les usagers dessous et "
        "signe de désorganisation de la maçonnerie.",
        (
            r"(pierre|moellon|bloc|morceau|beton)s?.{0,40}(tomb|chut|se detach|descell|se decroch)",
            r"chute\w* de (pierre|moellon|bloc|beton|morceau)",
        ),
    ),
    DangerSign(
        "appui_incline",
        "Appui ou mur qui penche : la stabilité de l'ouvrage peut être en cause.",
        (r"(pile|culee|mur|appui|pilier).{0,40}(pench|bascul|incline|devers|ventre)",),
    ),
    DangerSign(
        "choc",
        "Choc d'un véhicule ou d'un embâcle sur la structure : des dégâts cachés sont possibles.",
        (
            r"(heurt|percut|choc|accroch|tape)\w*.{0,40}(camion|poids lourd|vehicule|tracteur|engin|bateau)",
            r"embacle",
            r"(tronc|arbre)s?.{0,30}(coince|bloque|accumul).{0,30}(pile|pont|arche|voute)",
        ),
    ),
)

_COMPILED = tuple((sign, tuple(re.compile(pattern) for pattern in sign.patterns)) for sign in DANGER_SIGNS)

SAFETY_MESSAGE = (
    "Votre question est traitée en priorité. En attendant la réponse de l'expert, ce qui est en votre pouvoir "
    "dès maintenant :",
    "Si des personnes sont en danger immédiat (effondrement en cours, chute de pierres sur une voie) : "
    "appelez le 112 et interdisez l'accès.",
    "Au titre de vos pouvoirs de police (articles L2212-2 et L2213-1 du code général des collectivités "
    "territoriales), prenez un arrêté qui limite le tonnage ou la vitesse, ou qui ferme le pont à la circulation.",
    "Faites poser la signalisation correspondante (panneau B13 de limitation de poids, B0 de circulation "
    "interdite, barrières) et prévenez les transporteurs, les services de secours et de ramassage scolaire.",
    "Appelez l'expert ouvrages d'art de votre département (DDT ou service départemental) ou le Cerema ; "
    "photographiez le défaut à intervalles réguliers pour montrer son évolution.",
)


@dataclass(frozen=True)
class Triage:
    urgency: str
    reasons: tuple[str, ...]
    signs: tuple[str, ...]  # ids of the danger signs found

    @property
    def urgent(self) -> bool:
        return self.urgency == URGENT

    def as_json(self) -> dict:
        return {"urgency": self.urgency, "reasons": list(self.reasons)}


def danger_signs(text: str) -> list[DangerSign]:
    folded = fold(text).replace("’", "'")
    return [sign for sign, patterns in _COMPILED if any(pattern.search(folded) for pattern in patterns)]


def triage(text: str, condition: Condition | str | None = None) -> Triage:
    """Urgent when the class is 3U or S, or when the text shows a danger sign; every reason is listed."""
    if not isinstance(condition, Condition):
        condition = parse_condition(condition)
    reasons: list[str] = []
    if condition.base == "3U":
        reasons.append("Classe IQOA 3U : structure gravement altérée, réparation urgente.")
    if condition.safety:
        reasons.append(f"Classe IQOA {condition.code} : défaut pouvant mettre en cause la sécurité des usagers (S).")
    signs = danger_signs(text)
    reasons.extend(sign.reason for sign in signs)
    return Triage(URGENT if reasons else NORMAL, tuple(reasons), tuple(sign.id for sign in signs))
