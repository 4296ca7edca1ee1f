"""ProConnect, the State agents' identity federation (OpenID Connect), when configured.

Enabled by `PROCONNECT_CLIENT_ID` (see settings). An agent who signs in through ProConnect gets
a local account keyed by their e-mail; roles and territorial scopes are still granted in
Communs (ProConnect says who someone is, not what they may see).
"""

from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class ProConnectBackend(OIDCAuthenticationBackend):
    def create_user(self, claims):
        user = super().create_user(claims)
        return self.update_user(user, claims)

    def update_user(self, user, claims):
        user.first_name = claims.get("given_name", "")[:150]
        user.last_name = claims.get("usual_name", "")[:150]
        user.save(update_fields=["first_name", "last_name"])
        return user
