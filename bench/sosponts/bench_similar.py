"""SOS Ponts: similar-question ranking over 50,000 published questions (engine only, no database).

Prints (asserts nothing):
1. the model's embedding throughput (texts per second) on the questions' texts: publishing a question
   embeds it once, so embedding 50,000 questions costs 50,000 / throughput seconds, spread over time;
2. the index build from stored embeddings (what a server process does when the knowledge base
   changes): time and the process's peak memory;
3. the search p95 over 200 drafts: the ranking alone (the issue's figure, ≤ 50 ms) and with the draft's
   own embedding.

The 50,000 documents are 2,000 distinct generated questions, each published 25 times in different
communes with different wordings of place and time (so the lexical index holds 50,000 distinct texts),
reusing the embedding of its distinct question: embedding 50,000 texts would take the model minutes
on this machine, and throughput is printed instead.
"""

import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

N_DOCUMENTS, N_DISTINCT, N_QUERIES = 50_000, 2_000, 200

DEFECTS = [
    "des arbustes poussent entre les pierres",
    "le garde-corps est abîmé",
    "une fissure apparaît sur la voûte",
    "la pile est creusée par la rivière",
    "les joints de la maçonnerie se vident",
    "la peinture des poutres rouille",
    "l'eau s'infiltre sous le tablier",
    "le revêtement de la chaussée est dégradé",
    "un camion a heurté le parapet",
    "des troncs sont bloqués contre les piles",
    "le mur de soutènement penche",
    "des pierres tombent de l'arche",
    "le béton éclate et les armatures sont visibles",
    "les eaux de pluie stagnent sur le pont",
]
OBJECTS = [
    "du pont en pierre",
    "de la passerelle en bois",
    "du pont en béton",
    "du petit pont du moulin",
    "du viaduc",
    "du pont métallique",
    "du mur le long du ruisseau",
    "de l'ouvrage sur le canal",
]
ASKS = ["que faire ?", "faut-il fermer le pont ?", "qui appeler ?", "est-ce urgent ?", "combien ça coûte ?"]
PLACES = ["au bourg", "au lieu-dit", "près de l'école", "sur la route départementale", "au hameau"]
TIMES = ["depuis l'hiver", "depuis la crue", "depuis des années", "depuis le printemps", "depuis l'orage"]


def main() -> None:
    from communs.sosponts.engine.ranking import Document, HybridIndex
    from communs.sosponts.engine.semantic import default_embedder

    rng = np.random.default_rng(2026)
    distinct = []
    while len(distinct) < N_DISTINCT:
        text = f"{rng.choice(DEFECTS).capitalize()} {rng.choice(OBJECTS)} {rng.choice(PLACES)}, {rng.choice(ASKS)}"
        distinct.append(f"{text} ({len(distinct)})")
    embedder = default_embedder()
    started = time.perf_counter()
    vectors = embedder.passages(distinct)
    throughput = N_DISTINCT / (time.perf_counter() - started)
    print(f"embedding throughput: {throughput:,.0f} texts/s ({N_DISTINCT} texts)")

    documents, rows = [], []
    for index in range(N_DOCUMENTS):
        base = index % N_DISTINCT
        text = f"{distinct[base]} {rng.choice(TIMES)}, commune n° {index}"
        documents.append(Document(f"question:{index}", text, text))
        rows.append(base)
    matrix = vectors[np.array(rows)]
    started = time.perf_counter()
    index = HybridIndex(documents, matrix)
    build = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"index build over {N_DOCUMENTS:,} documents: {build:.2f} s, process peak memory {peak_mb:,.0f} MB")

    drafts = [f"{rng.choice(DEFECTS)} {rng.choice(OBJECTS)}, {rng.choice(ASKS)}" for _ in range(N_QUERIES)]
    query_vectors = [embedder.query(draft) for draft in drafts]
    ranking, total = [], []
    for draft, vector in zip(drafts, query_vectors, strict=True):
        started = time.perf_counter()
        index.search(draft, vector, limit=5)
        ranking.append((time.perf_counter() - started) * 1000)
    for draft in drafts[:50]:
        started = time.perf_counter()
        index.search(draft, embedder.query(draft), limit=5)
        total.append((time.perf_counter() - started) * 1000)
    p95 = statistics.quantiles(ranking, n=20)[-1]
    p95_total = statistics.quantiles(total, n=20)[-1]
    print(
        f"ranking p95 over {N_QUERIES} drafts: {p95:.1f} ms (median {statistics.median(ranking):.1f} ms); goal ≤ 50 ms"
    )
    print(f"ranking + embedding the draft, p95 over 50 drafts: {p95_total:.1f} ms")


if __name__ == "__main__":
    main()
