"""Who may do what in Champollion: the one place views, templates and the API ask."""

from communs.champollion.models import Etablissement
from communs.core.scopes import scope_for

SERVICE = "champollion"


def abilities(user, etablissement: Etablissement | None = None) -> dict[str, bool]:
    """`use` Champollion (any inspection grant); with an establishment inside the user's territory,
    `see_nominative` (names, contracts, exports: audited) and `edit` (opening days, poste merges,
    corrected end dates). An establishment of unknown territory is national scope only."""
    scope = scope_for(user, SERVICE)
    result = {"use": not scope.is_empty}
    if etablissement is not None:
        inside = scope.covers_record(etablissement)
        result["see_nominative"] = inside
        result["edit"] = inside
    return result
