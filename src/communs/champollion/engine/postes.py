"""Poste: the normalised job title a contract is on (S21.G00.40.006), the unit of the carence rule.

Inspectors can merge postes that are the same job under different wordings; `PosteMerges` maps a
poste to the one it was merged into and the rules re-run on the merged view.
"""

import re
import unicodedata
from functools import lru_cache

_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


@lru_cache(maxsize=65536)
def normalise_poste(libelle: str, pcs: str = "") -> str:
    """Upper case, no accents, punctuation collapsed to single spaces; optionally suffixed by PCS-ESE."""
    text = unicodedata.normalize("NFKD", libelle or "").encode("ascii", "ignore").decode("ascii").upper()
    text = _NOT_ALNUM.sub(" ", text).strip() or "INCONNU"
    return f"{text} [{pcs}]" if pcs else text


def resolve_merges(merges: dict[str, str]) -> dict[str, str]:
    """Follow chains (A→B, B→C gives A→C); cycles are broken by keeping the first target."""
    resolved = {}
    for source in merges:
        seen = {source}
        target = merges[source]
        while target in merges and merges[target] not in seen:
            seen.add(target)
            target = merges[target]
        resolved[source] = target
    return resolved


def merge_suggestions(postes: list[str], threshold: float = 0.8) -> list[tuple[str, str, float]]:
    """Pairs of postes whose word sets overlap enough (Jaccard ≥ threshold) to be the same job."""
    words = {p: set(p.split()) for p in postes}
    out = []
    ordered = sorted(postes)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            union = words[a] | words[b]
            score = len(words[a] & words[b]) / len(union) if union else 0.0
            if score >= threshold or (words[a] and words[a] <= words[b]) or (words[b] and words[b] <= words[a]):
                out.append((a, b, round(score, 2)))
    return out
