"""Who may do what in Recens'smart's back office: the one place views, templates and the API ask."""

from django.core.exceptions import PermissionDenied

from communs.core.scopes import require_scope, scope_for
from communs.recensmart.models import ROLE_CONCEPTION, ROLE_GESTION, SERVICE, Campaign


def abilities(user, campaign: Campaign | None = None) -> dict[str, bool]:
    """`design` questionnaires (national designers); with a campaign, `manage` it (its territory is in
    the user's scope: units, codes, exports)."""
    result = {"design": bool(user and user.is_authenticated) and can_design(user)}
    if campaign is not None:
        try:
            require_campaign(user, campaign)
        except PermissionDenied:
            result["manage"] = False
        else:
            result["manage"] = True
    return result


def can_design(user) -> bool:
    return scope_for(user, SERVICE, [ROLE_CONCEPTION]).national


def require_design(user) -> None:
    if not can_design(user):
        raise PermissionDenied("Réservé aux concepteurs de questionnaires (rôle national).")


def require_campaign(user, campaign: Campaign) -> None:
    """The campaign's territory must be in the user's scope (a national campaign: national scope)."""
    if not (campaign.region or campaign.departement):
        _require_national(user)
        return
    require_scope(
        user,
        SERVICE,
        region=campaign.region or None,
        departement=campaign.departement or None,
        roles=[ROLE_GESTION, ROLE_CONCEPTION],
    )


def _require_national(user) -> None:
    if not scope_for(user, SERVICE, [ROLE_GESTION, ROLE_CONCEPTION]).national:
        raise PermissionDenied("Campagne nationale : réservée aux gestionnaires nationaux.")
