"""Who may do what in État bas carbone: the one place views, templates and the API ask.

The answers rest on the organisation tree the selectors read (an entity is editable by its
correspondents and their territory's, readable by the CGDD too).
"""

from communs.bascarbone import selectors
from communs.bascarbone.models import Entity


def abilities(user, entity: Entity | None = None) -> dict[str, bool]:
    """`read_all` (CGDD, national reading); with an entity, `view` its footprint and `edit` it (entries,
    imports, actions, targets)."""
    result = {"read_all": bool(user and user.is_authenticated) and selectors.is_cgdd(user)}
    if entity is not None:
        result["view"] = selectors.can_view(user, entity)
        result["edit"] = selectors.can_edit(user, entity)
    return result
