# ruff: noqa: E501 - generated Turtle lines
"""Écosphères: harvest 50,000 DCAT records from local files, deduplicate and index, then faceted search.

Writes 50 N-Triples files of 1,000 datasets (2 % of them published twice under the same identifier in
another file's source, 1 % near-same titles by another publisher), harvests them as two sources,
rebuilds the merged catalogue (clusters, candidates, quality, stems, facets), then times
`selectors.search` with facets over mixed queries. Prints (asserts nothing). Target (issue 13):
harvest + dedup + index ≤ 120 s; faceted search p95 ≤ 100 ms. ECOSPHERES_BENCH_N changes the size.
Runs on a throw-away SQLite database unless DATABASE_URL is set.
"""

import os
import random
import statistics
import tempfile
import time
from pathlib import Path

N = int(os.environ.get("ECOSPHERES_BENCH_N", "50000"))
PER_FILE = 1000
WORDS = [
    "eau",
    "potable",
    "qualité",
    "inondation",
    "urbanisme",
    "artificialisation",
    "climat",
    "énergie",
    "air",
    "sol",
    "forêt",
    "biodiversité",
    "déchets",
    "bruit",
    "transport",
    "logement",
    "friche",
    "captage",
]
PUBLISHERS = [f"Producteur {i}" for i in range(60)]
FORMATS = ["CSV", "GEOJSON", "SHP", "PDF", "WMS", "JSON"]
THEMES = ["Eau", "Urbanisme", "Climat", "Énergie", "Risques", "Biodiversité"]


DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def write_files(folder: Path, n: int) -> None:
    """N-Triples files (DCAT, one of rdflib's RDF syntaxes; its line parser is the fastest)."""
    rng = random.Random(2026)
    for start in range(0, n, PER_FILE):
        lines = []
        for i in range(start, min(n, start + PER_FILE)):
            ident = f"BENCH-{i if i % 50 else i - 1:06d}"  # every 50th shares the previous identifier
            title = " ".join(rng.sample(WORDS, 4)) + f" {i % 997}"
            dept = f"{rng.randint(1, 95):02d}"
            fmt = rng.choice(FORMATS)
            s = f"<https://bench.example.org/s{i % 2}/{i}>"
            lines += [
                f"{s} {RDF_TYPE} <{DCAT}Dataset> .",
                f'{s} <{DCT}title> "{title}"@fr .',
                f'{s} <{DCT}description> "Jeu {i} sur {title}, publié pour le banc d essai."@fr .',
                f'{s} <{DCT}identifier> "{ident}" .',
                f"{s} <{DCT}publisher> _:p{i} .",
                f'_:p{i} <{FOAF}name> "{rng.choice(PUBLISHERS)}" .',
                f'{s} <{DCAT}theme> "{rng.choice(THEMES)}" .',
                f"{s} <{DCT}license> <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .",
                f"{s} <{DCT}spatial> <http://id.insee.fr/geo/departement/{dept}> .",
                f'{s} <{DCT}modified> "2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"^^<http://www.w3.org/2001/XMLSchema#date> .',
                f"{s} <{DCAT}distribution> _:d{i} .",
                f"_:d{i} {RDF_TYPE} <{DCAT}Distribution> .",
                f"_:d{i} <{DCAT}accessURL> <https://bench.example.org/f/{i}.{fmt.lower()}> .",
                f"_:d{i} <{DCT}format> <http://publications.europa.eu/resource/authority/file-type/{fmt}> .",
            ]
        (folder / f"s{(start // PER_FILE) % 2}" / f"page-{start // PER_FILE:03d}.nt").write_text(
            "\n".join(lines) + "\n"
        )


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="communs-bench-"))
    os.environ.setdefault("COMMUNS_ENV", "test")
    os.environ.setdefault("COMMUNS_DATA_DIR", str(workdir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "communs.site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from communs.ecospheres import selectors, services

    call_command("migrate", verbosity=0)
    for sub in ("s0", "s1"):
        (workdir / "dcat" / sub).mkdir(parents=True)
    write_files(workdir / "dcat", N)

    started = time.perf_counter()
    reports = []
    for sub in ("s0", "s1"):
        source = services.add_source(None, name=f"bench-{sub}", kind="dcat", url=str(workdir / "dcat" / sub))
        reports.append(services.run_harvest(source, rebuild=False))
    harvested = time.perf_counter() - started
    services.rebuild_catalogue()
    elapsed = time.perf_counter() - started
    seen = sum(r["seen"] for r in reports)
    print(f"harvest + dedup + index of {seen:,} DCAT records: {elapsed:.1f} s (target ≤ 120 s)")
    print(f"  of which reading and storing the records: {harvested:.1f} s")
    print(f"  clusters with two sources: {len(selectors.clusters()):,}")

    queries = [
        ("", {}),
        ("eau potable", {}),
        ("inondation", {"format": ["CSV"]}),
        ("", {"theme": ["Eau"]}),
        ("climat énergie", {"territoire": ["departement:35"]}),
        ("friche", {"producteur": ["Producteur 3"]}),
    ]
    timings = []
    for _ in range(10):
        for q, filters in queries:
            t0 = time.perf_counter()
            selectors.search(q, filters)
            timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[int(0.95 * len(timings)) - 1]
    print(
        f"faceted search over {seen:,} records: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
        "(target ≤ 100 ms)"
    )


if __name__ == "__main__":
    main()
