"""Similar questions: French lexical BM25 + E5 semantic cosine, measured on the paraphrase set."""

import math

import numpy as np
import pytest

from communs.sosponts.engine.advice import classify
from communs.sosponts.engine.lexical import LexicalIndex
from communs.sosponts.engine.ranking import Document, HybridIndex
from communs.sosponts.engine.semantic import default_embedder
from communs.sosponts.engine.text import terms
from tests.sosponts.paraphrases import PAIRS, UNRELATED

SHRUBS = "Des arbustes poussent entre les pierres de notre vieux pont, faut-il les arracher ?"


def test_terms_fold_stem_and_unify_the_bridge_vocabulary():
    assert terms("La plateforme") == terms("le tablier")
    assert terms("affouillement") == terms("creusement")
    assert terms("parapets") == terms("garde-corps")
    assert "le" not in terms("le pont") and terms("le pont") == terms("ponts")


def test_bm25_by_hand():
    # Two documents, "pont" in both, "pierre" in the first only; lengths 2 and 1, avgdl = 1.5.
    index = LexicalIndex(["pont pierre", "pont"])
    # idf(pierre) = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)) = ln 2; tf = 1; norm = 1.2 · (0.25 + 0.75 · 2 / 1.5) = 1.5
    expected = math.log(2) * 1 * 2.2 / (1 + 1.5)
    assert index.scores("pierre")[0] == pytest.approx(expected, rel=1e-6)
    assert index.scores("pierre")[1] == 0


@pytest.fixture(scope="module")
def corpus():
    documents = [Document(f"q:{i}", target, target) for i, (_, target) in enumerate(PAIRS)]
    documents += [Document(f"u:{i}", text, text) for i, text in enumerate(UNRELATED)]
    embedder = default_embedder()
    vectors = embedder.passages([doc.text for doc in documents])
    return documents, vectors, embedder


def test_the_vegetation_draft_finds_the_shrubs_question_among_30_unrelated(corpus):
    _, _, embedder = corpus
    documents = [Document("shrubs", SHRUBS, SHRUBS)] + [Document(f"u:{i}", t, t) for i, t in enumerate(UNRELATED)]
    assert len(UNRELATED) == 30
    index = HybridIndex(documents, embedder.passages([doc.text for doc in documents]))
    draft = "Végétation sur un pont en maçonnerie : que faire ?"
    top3 = [hit.key for hit in index.search(draft, embedder.query(draft), limit=3)]
    assert "shrubs" in top3


def _recall_at_3(documents, vectors, embedder, *, semantic: bool, lexical: bool = True) -> tuple[float, list[str]]:
    index = HybridIndex(documents, vectors if semantic else None)
    misses = []
    for position, (draft, _) in enumerate(PAIRS):
        if lexical:
            keys = [hit.key for hit in index.search(draft, embedder.query(draft) if semantic else None, limit=3)]
        else:
            cosines = vectors @ embedder.query(draft)
            keys = [documents[i].key for i in np.argsort(-cosines)[:3]]
        if f"q:{position}" not in keys:
            misses.append(draft)
    return 1 - len(misses) / len(PAIRS), misses


def test_paraphrase_recall_at_3(corpus, capsys):
    documents, vectors, embedder = corpus
    assert len(PAIRS) >= 40
    hybrid, misses = _recall_at_3(documents, vectors, embedder, semantic=True)
    lexical, _ = _recall_at_3(documents, vectors, embedder, semantic=False)
    semantic, _ = _recall_at_3(documents, vectors, embedder, semantic=True, lexical=False)
    with capsys.disabled():
        print(f"\nrecall@3 on {len(PAIRS)} pairs: hybrid {hybrid:.3f}, lexical {lexical:.3f}, semantic {semantic:.3f}")  # noqa: T201 - the measured figures, for the reader of the test log
        print("misses:", misses)  # noqa: T201
    assert hybrid >= 0.9, misses


@pytest.mark.parametrize(
    ("text", "defect"),
    [
        ("Du lierre et des arbustes sur le pont", "vegetation"),
        ("La pile est affouillée", "affouillement"),
        ("Le parapet est cassé", "garde_corps"),
    ],
)
def test_questions_are_filed_under_the_advice_row_they_match(text, defect):
    assert classify(text) == defect
