"""The thirteen services of the suite, as the portal presents them.

A service is "available" when its Django app is installed; its entry page is then the URL
named `<slug>:home`.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Service:
    slug: str
    name: str
    users: str
    purpose: str
    icon: str

    @property
    def available(self) -> bool:
        return apps.is_installed(f"communs.{self.slug}")

    @property
    def url(self) -> str | None:
        if not self.available:
            return None
        try:
            return reverse(f"{self.slug}:home")
        except NoReverseMatch:
            return None


SERVICES: tuple[Service, ...] = (
    Service(
        "champollion",
        "Champollion",
        "Inspecteurs et inspectrices du travail",
        "Lit les déclarations sociales nominatives (DSN), détecte les infractions au droit des CDD et de "
        "l'intérim et aide à cibler les établissements à contrôler.",
        "fr-icon-file-text-line",
    ),
    Service(
        "bascarbone",
        "État bas carbone",
        "Correspondants services publics écoresponsables, CGDD",
        "Calcule, consolide et publie les bilans réglementaires d'émissions de gaz à effet de serre (BEGES) "
        "des services de l'État.",
        "fr-icon-leaf-line",
    ),
    Service(
        "estimaction",
        "Estim'Action",
        "Agents des collectivités territoriales",
        "Compte la population exposée au bruit et à la pollution de l'air et estime les impacts sanitaires "
        "par territoire.",
        "fr-icon-heart-pulse-line",
    ),
    Service(
        "recensmart",
        "Recens'smart",
        "Personnes enquêtées par l'Insee, équipes d'enquête",
        "Génère des questionnaires web accessibles à partir d'une spécification et collecte les réponses.",
        "fr-icon-survey-line",
    ),
    Service(
        "pilote",
        "PILOTE",
        "Administrations centrales et services déconcentrés",
        "Suit les indicateurs, les cibles et les commentaires des politiques prioritaires aux niveaux "
        "national, régional et départemental.",
        "fr-icon-line-chart-line",
    ),
    Service(
        "cosia",
        "CoSIA",
        "Services SIG des territoires",
        "Sert les cartes de prédiction de la couverture du sol : carte, statistiques, téléchargements "
        "découpés et cas d'usage.",
        "fr-icon-map-pin-2-line",
    ),
    Service(
        "ecospheres",
        "Écosphères",
        "Chargés de mission des politiques publiques",
        "Moissonne les catalogues de données, note les métadonnées et compose des bouquets de données par "
        "cas d'usage et par territoire.",
        "fr-icon-database-line",
    ),
    Service(
        "sirano",
        "SIRANO",
        "Administration de la recherche en santé, établissements de santé",
        "Suit les projets de recherche financés, leurs jalons et leurs tranches de financement.",
        "fr-icon-microscope-line",
    ),
    Service(
        "sosponts",
        "SOS Ponts",
        "Maires et experts des ouvrages d'art",
        "Recueille les questions sur les ponts communaux, les réponses d'experts et capitalise les "
        "connaissances réutilisables.",
        "fr-icon-road-map-line",
    ),
    Service(
        "nomad",
        "Nomad",
        "Agents et gestionnaires de sites",
        "Réserve des postes de travail et des espaces de coworking, prévoit l'occupation et la restauration.",
        "fr-icon-building-line",
    ),
    Service(
        "inondata",
        "Inondata",
        "Agents de la prévention des inondations",
        "Montre en 3D une inondation potentielle sur le relief LiDAR et la hauteur d'eau sur les bâtiments.",
        "fr-icon-flood-line",
    ),
    Service(
        "twincity",
        "TwinCity",
        "Spécialistes de la vision par ordinateur",
        "Génère des images synthétiques annotées de scènes de rue françaises.",
        "fr-icon-camera-line",
    ),
    Service(
        "nubonyxia",
        "Nubonyxia",
        "Data scientists de l'État",
        "Lance à la demande des services de data science sécurisés sur des données sensibles.",
        "fr-icon-cloud-line",
    ),
)


def service(slug: str) -> Service | None:
    """The catalogue entry of `slug`, or None if no service has that slug."""
    return next((entry for entry in SERVICES if entry.slug == slug), None)
