"""French text for matching: accents folded, words stemmed (Snowball French), bridge vocabulary unified.

Mayors and experts do not use the same words: a mayor sees "la plateforme" where an expert writes
"le tablier", "un trou qui se creuse au pied de la pile" where the expert writes "affouillement".
`SYNONYMS` maps each group of words to one term, applied after stemming, so both spellings meet.
"""

import re
import unicodedata
from functools import lru_cache

# Each line: the words people use for one thing. The first word names the group.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("pont", "ouvrage", "passerelle", "viaduc", "ponceau"),
    ("tablier", "plateforme", "plate-forme", "platelage", "dalle", "extrados"),
    ("intrados", "sous-face", "dessous"),
    (
        "affouillement",
        "affouiller",
        "affouillé",
        "creusement",
        "creuser",
        "creusé",
        "érosion",
        "éroder",
        "ravinement",
        "déchaussement",
        "déchausser",
        "vider",
    ),
    ("berge", "rive", "bord"),
    ("rivière", "ruisseau", "cours", "fleuve", "torrent", "canal"),
    ("garde-corps", "gardecorps", "parapet", "rambarde", "balustrade", "barrière"),
    (
        "végétation",
        "arbuste",
        "arbustes",
        "racine",
        "lierre",
        "broussaille",
        "plante",
        "herbe",
        "mousse",
        "ronce",
        "buisson",
    ),
    ("embâcle", "tronc", "branchage", "branche", "débris", "flottant"),
    ("maçonnerie", "pierre", "moellon", "maçonné", "appareillage"),
    ("fissure", "lézarde", "fente", "crevasse", "fissuration", "faïençage", "craquelure"),
    ("pile", "appui", "pilier", "poteau"),
    ("culée", "culées"),
    ("voûte", "arche", "arc"),
    ("joint", "jointoiement", "rejointoiement", "mortier"),
    ("corrosion", "rouille", "rouillé", "oxydation", "oxydé"),
    ("chaussée", "revêtement", "enrobé", "bitume", "goudron", "route", "trottoir", "voirie"),
    ("trou", "cavité", "creux", "nid-de-poule", "vide"),
    ("crue", "inondation", "orage"),
    ("pluie", "pluvial", "pluviale", "pleuvoir", "pleut", "averse"),
    ("tonnage", "poids", "charge", "tonne", "tonnes"),
    ("véhicule", "camion", "tracteur", "engin", "poids-lourd", "bus", "car", "voiture"),
    ("mouvement", "bouger", "bouge", "vibrer", "vibre", "vibration", "osciller", "oscillation", "trembler", "tremble"),
    ("pencher", "penche", "incliner", "incliné", "inclinée", "basculer", "dévers", "déverser"),
    ("effondrement", "effondrer", "écroulement", "écrouler", "affaissement", "affaisser", "enfoncer", "enfonce"),
    ("éclatement", "épaufrure", "éclat", "écaillage", "effriter", "effrite", "désagréger", "désagrège"),
    ("armature", "ferraillage", "fer", "fers"),
    ("étanchéité", "infiltration", "humidité", "suintement", "fuite", "couler", "coule", "ruisseler"),
    ("visite", "inspection", "surveillance", "diagnostic", "expertise", "expertiser", "contrôle"),
    ("réparer", "réparation", "travaux", "restaurer", "restauration", "conforter", "confortement"),
    ("autorisation", "démarche", "déclaration", "permis", "réglementation"),
    ("enfant", "école", "élève", "scolaire"),
    ("escalader", "escaladable", "enjamber", "grimper"),
    ("coût", "prix", "combien", "tarif", "budget"),
    ("aide", "subvention", "financement", "dotation"),
)

STOPWORDS = frozenset(
    """a à au aux avec ce ces cet cette dans de des du elle en est et il ils je la le les leur lui ma mais me
    mes mon ne nos notre nous on ou où par pas pour qu que quel quelle quels qui sa se ses son sur ta te tes
    ton tu un une vos votre vous y d l j m n s t c qu il elle faire faut doit peut peuvent avons avez ont été
    être sont était très plus moins comme aussi donc alors quoi comment quand depuis entre sous vers chez""".split()
)

_WORD = re.compile(r"[a-zàâäçéèêëîïôöùûüÿœæ0-9]+(?:-[a-zàâäçéèêëîïôöùûüÿœæ0-9]+)*")


def fold(text: str) -> str:
    """Lower case without accents: "Pont-Vieux à Vitré" → "pont-vieux a vitre"."""
    text = unicodedata.normalize("NFKD", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return "".join(char for char in text if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball French stem of one lower-case word, accents folded afterwards."""
    return fold(_stemmer().stemWord(word))


def _build_synonyms() -> dict[str, str]:
    table = {}
    for group in SYNONYMS:
        head = stem(group[0].lower())
        for word in group:
            for variant in {word, word.replace("-", "")}:
                table[stem(variant.lower())] = head
    return table


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, str]:
    return _build_synonyms()


def terms(text: str) -> list[str]:
    """The matching terms of a text: words, stopwords dropped, stemmed, synonyms unified."""
    table = synonym_table()
    out = []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word in STOPWORDS or len(word) < 2:
            continue
        term = stem(word)
        out.append(table.get(term, term))
    return out
