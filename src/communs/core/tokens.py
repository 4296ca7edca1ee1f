"""Personal API tokens: created once (the secret is shown once), stored as a SHA-256 digest.

A token is `cmn_<prefix>_<secret>`: the prefix finds the row, the secret is checked in
constant time. Secrets are 256 random bits, so a plain SHA-256 digest is enough (no slow
password hash needed: nothing to brute-force).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from communs.core.audit import record_event
from communs.core.models import ApiToken

LAST_USED_RESOLUTION = timedelta(minutes=5)  # avoid a write per request


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(user, name: str, *, expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for `user`; return it with the clear value, which is never stored."""
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=prefix, key_digest=_digest(secret), expires_at=expires_at
    )
    record_event(user, "core.token.create", service="core", obj=token)
    return token, f"{settings.COMMUNS_API_TOKEN_PREFIX}_{prefix}_{secret}"


@transaction.atomic
def revoke_token(user, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(user, "core.token.revoke", service="core", obj=token)


def authenticate_token(raw: str):
    """The active owner of `raw`, or None if it is unknown, revoked, expired or malformed."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != settings.COMMUNS_API_TOKEN_PREFIX:
        return None
    _, prefix, secret = parts
    token = ApiToken.objects.select_related("user").filter(key_prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_digest, _digest(secret)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
