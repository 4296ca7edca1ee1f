"""Inondata reads: which scenarios a user may see, and the files of a computed scenario.

Visible: public scenarios (the demo), the user's own, and those whose commune or département
lies in the user's Inondata scope. A signed share link opens one scenario read-only.
"""

from django.db.models import Q, QuerySet

from communs.core.scopes import scope_for
from communs.inondata.models import Scenario, ScenarioStatus

SERVICE = "inondata"


def visible_scenarios(user) -> QuerySet[Scenario]:
    base = Scenario.objects.select_related("job")
    condition = Q(is_public=True)
    if user is not None and user.is_authenticated:
        condition |= Q(owner=user)
        scope = scope_for(user, SERVICE)
        if scope.national:
            return base
        if not scope.is_empty:
            condition |= Q(pk__in=scope.filter(Scenario.objects.all()).values("pk"))
    return base.filter(condition)


def can_create(user) -> bool:
    return bool(user is not None and user.is_authenticated and not scope_for(user, SERVICE).is_empty)


def latest_for_commune(code: str, user) -> Scenario | None:
    return visible_scenarios(user).filter(commune=code, status=ScenarioStatus.DONE).order_by("-computed_at").first()
