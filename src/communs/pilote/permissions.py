"""Who may do what in PILOTE: the one place views, templates and the API ask.

`abilities(user, obj, territory=…)` answers for a chantier or an indicator at a territory; the
predicates below are what services check before writing (`require_*` raise PermissionDenied).
"""

from django.core.exceptions import PermissionDenied

from communs.core.scopes import scope_for
from communs.pilote.engine.territories import NAT
from communs.pilote.models import Chantier, Indicator
from communs.pilote.territories import territory_fields, territory_name

SERVICE = "pilote"
CONTRIBUTOR = "contributeur"


def abilities(user, obj=None, *, territory: str | None = None) -> dict[str, bool]:
    """What `user` may do: `recompute` always; with a chantier, `central` (its ministry's agent) and,
    at a territory, `contribute` (météo, comments); with an indicator at a territory, `write` a value
    (else `propose` a correction)."""
    result = {"recompute": can_recompute(user)}
    chantier = obj.chantier if isinstance(obj, Indicator) else obj
    if isinstance(chantier, Chantier):
        result["central"] = is_central_agent(user, chantier)
        if territory:
            result["contribute"] = can_contribute(user, chantier, territory)
    if isinstance(obj, Indicator) and territory:
        result["write"] = can_write_value(user, obj, territory)
        result["propose"] = bool(user and user.is_authenticated) and not result["write"]
    return result


def is_central_agent(user, chantier: Chantier) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or chantier.ministere.agents.filter(pk=user.pk).exists()


def can_recompute(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.pilote_ministeres.exists()))


def covers_territory(user, territory: str) -> bool:
    scope = scope_for(user, SERVICE, roles=[CONTRIBUTOR])
    fields = territory_fields(territory)
    if fields["level"] == NAT:
        return scope.national
    return scope.covers(region=fields["region"] or None, departement=fields["departement"] or None)


def can_write_value(user, indicator: Indicator, territory: str) -> bool:
    if is_central_agent(user, indicator.chantier):
        return True
    return indicator.entry == Indicator.Entry.LOCAL and covers_territory(user, territory)


def require_write_value(user, indicator: Indicator, territory: str) -> None:
    if not can_write_value(user, indicator, territory):
        raise PermissionDenied(
            f"Vous ne pouvez pas saisir « {indicator.nom} » pour {territory_name(territory)} ({territory}) : "
            "hors de votre périmètre ou indicateur alimenté nationalement (proposez une correction)."
        )


def can_contribute(user, chantier: Chantier, territory: str) -> bool:
    return is_central_agent(user, chantier) or covers_territory(user, territory)


def require_contribute(user, chantier: Chantier, territory: str) -> None:
    if not can_contribute(user, chantier, territory):
        raise PermissionDenied(f"{territory_name(territory)} ({territory}) est hors de votre périmètre.")
