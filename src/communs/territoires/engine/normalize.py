"""Search text normalisation for French place names.

Users type "st etienne", "ST-ETIENNE" or "saint étienne" for Saint-Étienne; the same function is
applied to stored names (the `search_name` columns) and to queries, so a plain substring match on
the normalised forms is accent-, case- and punctuation-insensitive.
"""

import re
import unicodedata

# Whole-word abbreviations found in French place names and in what people type.
ABBREVIATIONS = {
    "st": "saint",
    "ste": "sainte",
    "sts": "saints",
    "stes": "saintes",
}

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def strip_accents(text: str) -> str:
    """Drop combining marks after NFKD decomposition: "Étienne" → "Etienne", "œ" kept as "oe"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalize_search_text(text: str) -> str:
    """Lowercase, strip accents, turn hyphens/apostrophes/punctuation into spaces, collapse spaces,
    and expand "st"/"ste" into "saint"/"sainte" as whole words."""
    if not text:
        return ""
    ascii_text = strip_accents(text).lower()
    words = _NON_ALNUM.sub(" ", ascii_text).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)
