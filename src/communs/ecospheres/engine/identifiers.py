"""Normalised identifiers, URLs, titles and territories: what lets two catalogues be compared.

Rules (issue 13, "cross-catalogue deduplication"): case and surrounding whitespace do not count,
and a URI stands for its last path segment (`https://data.example.fr/dataset/FR-ABC-1/` and
` fr-abc-1 ` are one identifier).
"""

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

_URI = re.compile(r"^(https?|urn):", re.IGNORECASE)


def normalise_identifier(text: str | None) -> str:
    if not text:
        return ""
    value = str(text).strip()
    if _URI.match(value):
        if value.lower().startswith("urn:"):
            value = value.rsplit(":", 1)[-1]
        else:
            path = urlsplit(value).path.rstrip("/")
            segment = path.rsplit("/", 1)[-1] if path else ""
            value = segment or value
    return value.strip().lower()


def normalise_url(text: str | None) -> str:
    """Scheme and host in lower case, no trailing slash, no fragment: distributions merge on this."""
    if not text:
        return ""
    parts = urlsplit(str(text).strip())
    if not parts.scheme:
        return str(text).strip()
    scheme = "https" if parts.scheme.lower() in ("http", "https") else parts.scheme.lower()
    return urlunsplit((scheme, parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def normalise_title(text: str | None) -> str:
    """Lower case, no accents, punctuation as spaces, single spaces."""
    value = strip_accents((text or "").lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", value).split())


def normalise_name(text: str | None) -> str:
    return normalise_title(text)


# Territories written as URIs (INSEE's RDF, data.gouv.fr zones, COG URLs) or udata zone ids.
_TERRITORY_PATTERNS = [
    re.compile(r"(?:^|[/:#])(commune|departement|region|epci)[/:](\d[0-9AB]\d{0,7})(?:@[\d-]+)?$", re.IGNORECASE),
    re.compile(r"id\.insee\.fr/geo/(commune|departement|region)/(\d[0-9AB]\d{0,3})", re.IGNORECASE),
]


def territory_code(text: str | None) -> str:
    """'fr:departement:35', 'http://id.insee.fr/geo/commune/35238' → 'departement:35', 'commune:35238'."""
    if not text:
        return ""
    value = str(text).strip().rstrip("/")
    for pattern in _TERRITORY_PATTERNS:
        match = pattern.search(value)
        if match:
            return f"{match.group(1).lower()}:{match.group(2).upper()}"
    return ""
