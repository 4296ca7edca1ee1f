"""Bouquets: the data one use case needs on one territory, item by item, with its availability.

Availabilities follow ecologie.data.gouv.fr's topics (udata-front-kit): what is published and
downloadable, what is only a link, what exists but is not available, what is missing, and what
was deleted at the source (the item keeps its purpose so the need stays documented).
"""

from collections import Counter
from collections.abc import Iterable

AVAILABLE = "disponible"
LINK_ONLY = "lien seulement"
NOT_AVAILABLE = "non disponible"
MISSING = "manquante"
DELETED = "supprimée à la source"

AVAILABILITIES = (AVAILABLE, LINK_ONLY, NOT_AVAILABLE, MISSING, DELETED)

LABELS = {
    AVAILABLE: "Disponible",
    LINK_ONLY: "Lien seulement",
    NOT_AVAILABLE: "Non disponible",
    MISSING: "Manquante",
    DELETED: "Supprimée à la source",
}


def counts(availabilities: Iterable[str]) -> dict[str, int]:
    """Items per availability, every availability present (zero when none)."""
    found = Counter(availabilities)
    return {key: found.get(key, 0) for key in AVAILABILITIES}


def availability_after_harvest(current: str, previous: str, dataset_live: bool) -> tuple[str, str]:
    """(new availability, availability to restore) once the linked dataset's sources were read again.

    A dataset no source publishes any more turns its items `supprimée à la source`, remembering what
    they were; if it comes back, they get their former availability back."""
    if not dataset_live:
        if current == DELETED:
            return current, previous
        return DELETED, current
    if current == DELETED:
        return previous or AVAILABLE, ""
    return current, previous
