"""Who may do what in Estim'Action: the one place views, templates and the API ask."""

from django.core.exceptions import PermissionDenied

from communs.core.scopes import scope_for
from communs.estimaction import selectors

SERVICE = "estimaction"


def abilities(user, territory: tuple[str, str] | None = None) -> dict[str, bool]:
    """`manage_data` (national data manager); with a (level, code) territory, `compute` its exposure."""
    result = {"manage_data": bool(user and user.is_authenticated) and can_manage_data(user)}
    if territory is not None:
        result["compute"] = bool(user and user.is_authenticated) and can_compute(user, *territory)
    return result


def can_manage_data(user) -> bool:
    return scope_for(user, SERVICE, roles=["gestionnaire"]).national


def require_manager(user) -> None:
    if user is not None and not can_manage_data(user):
        raise PermissionDenied("Gérer les jeux de données demande le rôle gestionnaire national d'Estim'Action.")


def can_compute(user, level: str, code: str) -> bool:
    if user is None:
        return True
    scope = scope_for(user, SERVICE)
    communes = selectors.territory_communes(level, code)
    return bool(communes) and all(scope.covers(commune=commune, departement=dep) for commune, dep in communes)
