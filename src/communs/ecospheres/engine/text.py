"""French full-text tokens for the search index: lower case, stemmed, accents removed, synonyms.

Neither SQLite FTS5 nor PostgreSQL's `simple` configuration stems French the way we want, and we
want the two back-ends to answer the same. So the tokens are computed here, in Python, with the
Snowball French stemmer (`snowballstemmer`), and the database indexes them as plain words
(FTS5 `unicode61` tokenizer, PostgreSQL `to_tsvector('simple', …)`). A query goes through the same
function, and each query word matches any stem of its synonym group (`SYNONYMS`).
"""

import re
from functools import lru_cache

import snowballstemmer

from communs.ecospheres.engine.identifiers import strip_accents

_STEMMER = snowballstemmer.stemmer("french")
_WORD = re.compile(r"[0-9a-zà-ÿœæ]+", re.IGNORECASE)

STOPWORDS = frozenset(
    "a au aux avec ce ces d dans de des du en et l la le les leur leurs n ne ou par pas pour qu que qui s sa se "
    "ses son sur un une y".split()
)

# Words that do not share a stem but mean the same thing to someone looking for data. Each group is
# a set of words; a query word of a group matches every word of the group.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("potable", "potabilité", "potabilisation"),
    ("artificialisation", "zan", "consommation d'espaces"),
    ("climat", "climatique", "pcaet"),
    ("inondation", "crue", "submersion"),
    ("urbanisme", "plu", "plui", "document d'urbanisme"),
    ("émission", "ges", "gaz à effet de serre"),
    ("biodiversité", "faune", "flore"),
    ("eau", "hydrographie"),
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return strip_accents(_STEMMER.stemWord(word.lower()))


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "") if w.lower() not in STOPWORDS]


def index_tokens(*texts: str) -> str:
    """The space-separated stems stored in the search column (duplicates dropped, order kept)."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in words(text):
            seen.setdefault(stem(word), None)
    return " ".join(seen)


def _synonym_stems() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for group in SYNONYMS:
        stems = {stem(w) for phrase in group for w in words(phrase) if len(words(phrase)) == 1}
        for member in stems:
            table.setdefault(member, set()).update(stems)
    return {key: frozenset(value) for key, value in table.items()}


_SYNONYM_STEMS = _synonym_stems()


def query_terms(text: str) -> list[frozenset[str]]:
    """One set of alternative stems per query word: every word must match one of its stems."""
    terms = []
    for word in words(text):
        base = stem(word)
        if not base:
            continue
        terms.append(_SYNONYM_STEMS.get(base, frozenset({base})))
    return terms
