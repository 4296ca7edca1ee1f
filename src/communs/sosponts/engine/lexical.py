"""Okapi BM25 over French terms (`text.terms`), with numpy postings so 50,000 documents score in a few ms.

BM25 (Robertson and Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009):
score(d, q) = Σ_t idf(t) · tf(t,d)·(k1+1) / (tf(t,d) + k1·(1 − b + b·|d|/avgdl)), with
idf(t) = ln(1 + (N − n_t + 0.5)/(n_t + 0.5)). Each term's contribution to each document is computed once
at build time; a query only adds the postings of its terms.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from communs.sosponts.engine.text import terms

K1 = 1.2
B = 0.75


class LexicalIndex:
    def __init__(self, texts: Sequence[str]):
        self.size = len(texts)
        documents = [Counter(terms(text)) for text in texts]
        lengths = np.array([sum(doc.values()) for doc in documents], dtype=np.float64)
        average = float(lengths.mean()) if self.size else 0.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, doc in enumerate(documents):
            for term, count in doc.items():
                postings[term].append((index, count))
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, rows in postings.items():
            ids = np.fromiter((row[0] for row in rows), dtype=np.int32, count=len(rows))
            tf = np.fromiter((row[1] for row in rows), dtype=np.float64, count=len(rows))
            idf = math.log(1 + (self.size - len(rows) + 0.5) / (len(rows) + 0.5))
            norm = K1 * (1 - B + B * lengths[ids] / (average or 1))
            self.postings[term] = (ids, (idf * tf * (K1 + 1) / (tf + norm)).astype(np.float32))

    def scores(self, query: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(terms(query)):
            posting = self.postings.get(term)
            if posting is not None:
                out[posting[0]] += posting[1]
        return out
