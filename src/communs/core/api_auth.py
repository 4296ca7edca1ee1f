"""API authentication: a personal token (`Authorization: Bearer cmn_…`) or the browser session."""

from ninja.security import HttpBearer, SessionAuth

from communs.core.tokens import authenticate_token


class ApiTokenAuth(HttpBearer):
    openapi_description = "Jeton personnel créé sur la page « Mes jetons d'API »."

    def authenticate(self, request, token):
        user = authenticate_token(token)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """Session auth (CSRF-checked on unsafe methods) that also refuses deactivated users."""

    def __call__(self, request):
        # No signed-in session: nothing to protect from cross-site forgery, so answer 401 like a
        # read would (Ninja would otherwise check CSRF first and answer 403 "CSRF check Failed").
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


token_or_session = [ApiTokenAuth(), ActiveSessionAuth()]
