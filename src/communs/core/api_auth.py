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

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


token_or_session = [ApiTokenAuth(), ActiveSessionAuth()]
