"""Hybrid ranking of similar questions and resource sheets: a French lexical score and a semantic cosine.

score(d) = z_cos(d) + LEXICAL_WEIGHT · bm25(d) / max_d' bm25(d'), where z_cos is the document's cosine to the
query standardised over the whole index (how much closer than usual it is: E5 cosines crowd between 0.75
and 0.9, so their raw value means little) and bm25 is divided by the query's best match (so that the
lexical part lies in [0, 1] whatever the query's length).

LEXICAL_WEIGHT was chosen on the paraphrase set kept in `tests/sosponts/paraphrases.py` (42 pairs, 30
unrelated questions): weights 0, 3, 6 and 10 give recall@3 of 0.55 (semantic only), 0.93, 0.95 and 0.95;
lexical alone gives 0.95 with the bridge vocabulary and 0.69 without it. The semantic side is kept for
paraphrases that share no word with the vocabulary list, and as a tie-breaker among lexical matches.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from communs.sosponts.engine.lexical import LexicalIndex

LEXICAL_WEIGHT = 6.0


@dataclass(frozen=True)
class Document:
    key: str  # "question:12", "fiche:3"
    title: str
    text: str  # what is matched: title and body


@dataclass(frozen=True)
class Hit:
    key: str
    title: str
    score: float


class HybridIndex:
    """Built once from the documents and their passage embeddings (one L2-normalised row each, or None)."""

    def __init__(self, documents: Sequence[Document], embeddings: np.ndarray | None):
        self.documents = list(documents)
        self.lexical = LexicalIndex([doc.text for doc in self.documents])
        if embeddings is not None:
            embeddings = np.ascontiguousarray(embeddings, dtype=np.float32)
            if embeddings.shape[0] != len(self.documents):
                raise ValueError(f"{embeddings.shape[0]} vecteurs pour {len(self.documents)} documents")
        self.embeddings = embeddings
        # Moments of the cosines for any query q, without a pass over the documents:
        # mean = m·q with m the mean row; E[cos²] = qᵀ(EᵀE/N)q.
        if embeddings is not None and len(self.documents):
            self._mean_row = embeddings.mean(axis=0, dtype=np.float64)
            self._second_moment = (embeddings.T.astype(np.float64) @ embeddings) / len(self.documents)

    def scores(self, text: str, query_vector: np.ndarray | None = None) -> np.ndarray:
        lexical = self.lexical.scores(text)
        best = float(lexical.max()) if lexical.size else 0.0
        combined = lexical * (LEXICAL_WEIGHT / best) if best > 0 else np.zeros_like(lexical)
        if query_vector is not None and self.embeddings is not None and len(self.documents) > 1:
            query = np.asarray(query_vector, dtype=np.float32)
            cosines = self.embeddings @ query
            mean = float(self._mean_row @ query)
            spread = max(0.0, float(query @ self._second_moment @ query) - mean * mean) ** 0.5
            if spread > 1e-9:
                combined += (cosines - mean) * (1.0 / spread)
        return combined

    def search(
        self, text: str, query_vector: np.ndarray | None = None, *, limit: int = 5, require_lexical: bool = False
    ) -> list[Hit]:
        """The best `limit` documents; `require_lexical` keeps only those sharing a term with the text (a search
        box, where a result without any of the words or their synonyms puzzles the reader)."""
        if not self.documents or not text.strip():
            return []
        scores = self.scores(text, query_vector)
        if require_lexical:
            scores = np.where(self.lexical.scores(text) > 0, scores, -np.inf)
            limit = min(limit, int(np.isfinite(scores).sum()))
            if limit == 0:
                return []
        count = min(limit, scores.size)
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.lexsort((top, -scores[top]))]
        return [
            Hit(self.documents[index].key, self.documents[index].title, round(float(scores[index]), 4))
            for index in top
        ]
