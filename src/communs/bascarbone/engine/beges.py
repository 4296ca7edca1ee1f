"""The BEGES regulatory frame: method v5 (2022) categories and posts, and the v4 → v5 mapping.

Source: ADEME / ministère de la Transition écologique, « Méthode pour la réalisation des bilans
d'émissions de gaz à effet de serre conformément à l'article L. 229-25 du code de
l'environnement », version 5 (juillet 2022), tableau des catégories et postes d'émissions;
décret n° 2022-982 du 1er juillet 2022 (all significant indirect emissions become mandatory
from 1 January 2023).

`mandatory` marks the posts every State service has to fill (direct emissions of category 1 that
exist in an office or vehicle fleet, and the energy of category 2). The other posts are mandatory
"when significant" (décret 2022-982): completeness is measured on the mandatory posts, and the
dashboard lists the significant-when-applicable posts separately.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str
    label: str


@dataclass(frozen=True)
class Post:
    code: str
    category: str
    label: str
    mandatory: bool


CATEGORIES: tuple[Category, ...] = (
    Category("1", "Émissions directes de GES"),
    Category("2", "Émissions indirectes associées à l'énergie"),
    Category("3", "Émissions indirectes associées au transport"),
    Category("4", "Émissions indirectes associées aux produits achetés"),
    Category("5", "Émissions indirectes associées aux produits vendus"),
    Category("6", "Autres émissions indirectes"),
)

POSTS: tuple[Post, ...] = (
    Post("1.1", "1", "Émissions directes des sources fixes de combustion", True),
    Post("1.2", "1", "Émissions directes des sources mobiles de combustion", True),
    Post("1.3", "1", "Émissions directes des procédés hors énergie", False),
    Post("1.4", "1", "Émissions directes fugitives", True),
    Post("1.5", "1", "Émissions issues de la biomasse (sols et forêts)", False),
    Post("2.1", "2", "Émissions indirectes liées à la consommation d'électricité", True),
    Post("2.2", "2", "Émissions indirectes liées à la consommation d'énergie autre que l'électricité", True),
    Post("3.1", "3", "Transport de marchandise amont", False),
    Post("3.2", "3", "Transport de marchandise aval", False),
    Post("3.3", "3", "Déplacements domicile-travail", False),
    Post("3.4", "3", "Déplacements des visiteurs et des clients", False),
    Post("3.5", "3", "Déplacements professionnels", False),
    Post("4.1", "4", "Achats de biens", False),
    Post("4.2", "4", "Immobilisations de biens", False),
    Post("4.3", "4", "Gestion des déchets", False),
    Post("4.4", "4", "Actifs en leasing amont", False),
    Post("4.5", "4", "Achats de services", False),
    Post("5.1", "5", "Utilisation des produits vendus", False),
    Post("5.2", "5", "Actifs en leasing aval", False),
    Post("5.3", "5", "Fin de vie des produits vendus", False),
    Post("5.4", "5", "Investissements", False),
    Post("6.1", "6", "Autres émissions indirectes", False),
)

POST_BY_CODE: dict[str, Post] = {post.code: post for post in POSTS}
CATEGORY_BY_CODE: dict[str, Category] = {category.code: category for category in CATEGORIES}
POST_CODES: tuple[str, ...] = tuple(post.code for post in POSTS)
MANDATORY_POSTS: tuple[str, ...] = tuple(post.code for post in POSTS if post.mandatory)

# Method v4 (2015) numbered its posts 1 to 24 (ISO 14069 order). Each maps to one v5 post; where v4
# merged what v5 splits (post 9 "Achats de produits ou services" → 4.1 goods or 4.5 services), the
# default is given and the importer lets the user override it line by line. Post 8 (energy upstream,
# not counted in posts 1 to 7) becomes part of purchases in v5 (4.1). Franchises (14, 21) have no v5
# post of their own and go to 6.1.
V4_TO_V5: dict[str, str] = {
    "1": "1.1",
    "2": "1.2",
    "3": "1.3",
    "4": "1.4",
    "5": "1.5",
    "6": "2.1",
    "7": "2.2",
    "8": "4.1",
    "9": "4.1",
    "10": "4.2",
    "11": "4.3",
    "12": "3.1",
    "13": "3.5",
    "14": "6.1",
    "15": "4.4",
    "16": "5.4",
    "17": "3.4",
    "18": "3.2",
    "19": "5.1",
    "20": "5.3",
    "21": "6.1",
    "22": "5.2",
    "23": "3.3",
    "24": "6.1",
}


class UnknownPostError(ValueError):
    pass


def post_from_v4(code: str) -> str:
    """The v5 post of a v4 post number ("9" → "4.1")."""
    try:
        return V4_TO_V5[code.strip()]
    except KeyError:
        raise UnknownPostError(f"poste v4 « {code} » inconnu (attendu : 1 à 24)") from None


def normalize_post(code: str) -> str:
    """Accept "1.2", "1,2" or " 1.2 "; raise for anything that is not a v5 post."""
    text = str(code).strip().replace(",", ".")
    if text not in POST_BY_CODE:
        raise UnknownPostError(f"poste « {code} » inconnu (attendu : un poste BEGES v5 de 1.1 à 6.1)")
    return text


def category_of(post_code: str) -> str:
    return POST_BY_CODE[post_code].category
