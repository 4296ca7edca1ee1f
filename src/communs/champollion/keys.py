"""The key of the pseudonyms given to individuals (keyed hash of the NIR).

`COMMUNS_CHAMPOLLION_KEY` in the environment when set (rotate it to unlink all stored pseudonyms),
otherwise derived from the site's SECRET_KEY so that every deployment has its own.
"""

import hashlib
import hmac
import os

from django.conf import settings


def pseudonym_key() -> bytes:
    explicit = os.environ.get("COMMUNS_CHAMPOLLION_KEY")
    if explicit:
        return explicit.encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode("utf-8"), b"champollion-pseudonym", hashlib.sha256).digest()
