"""Who may do what in CoSIA: the one place views, templates and the API ask."""

from communs.core.scopes import scope_for
from communs.cosia.models import UseCase

SERVICE = "cosia"
MODERATOR_ROLE = "moderateur"


def abilities(user, use_case: UseCase | None = None) -> dict[str, bool]:
    """`export` and `submit` a use case (signed in), `moderate` (any moderator grant); with a use case,
    `moderate` means this one (its territory is in the moderator's scope)."""
    signed_in = bool(user and user.is_authenticated)
    scope = scope_for(user, SERVICE, [MODERATOR_ROLE])
    result = {"export": signed_in, "submit": signed_in, "moderate": not scope.is_empty}
    if use_case is not None:
        result["moderate"] = scope.covers_record(use_case)
    return result
