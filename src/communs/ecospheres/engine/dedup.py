"""Cross-catalogue deduplication.

1. **Clusters**: source records sharing one normalised identifier (`identifiers.normalise_identifier`)
   are one dataset (union–find over identifiers, so A~B and B~C make one cluster).
2. **Merge**: display fields come from the most recently modified source, a field that source leaves
   empty from the next one; each field remembers the source it came from. Distributions are merged
   by normalised URL, each listing the sources that publish it.
3. **Candidates**: two datasets of different clusters whose titles are the same or nearly (rapidfuzz
   `token_sort_ratio` ≥ `CANDIDATE_THRESHOLD`) and whose publishers differ are a *candidate*, with
   that score: never merged automatically; a person confirms or rejects it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from communs.ecospheres.engine.identifiers import normalise_identifier, normalise_name, normalise_title, normalise_url
from communs.ecospheres.engine.records import Agent, DatasetRecord, Distribution

CANDIDATE_THRESHOLD = 0.9
BLOCK_LIMIT = 400  # titles sharing a blocking key beyond this are compared exactly only

MERGED_FIELDS = (
    "title",
    "description",
    "publisher",
    "contact",
    "license",
    "themes",
    "keywords",
    "bbox",
    "territories",
    "temporal_start",
    "temporal_end",
    "frequency",
    "modified",
    "issued",
    "landing_page",
)


@dataclass
class SourcedRecord:
    key: int  # the caller's id for this source record
    source: str  # the source's name
    record: DatasetRecord
    _identifiers: set[str] | None = field(default=None, repr=False, compare=False)

    def normalised_identifiers(self) -> set[str]:
        if self._identifiers is None:
            values = {normalise_identifier(i) for i in [*self.record.identifiers, self.record.remote_id]}
            self._identifiers = {v for v in values if v}
        return self._identifiers


def clusters(records: Iterable[SourcedRecord], same: Iterable[tuple[str, str]] = ()) -> list[list[SourcedRecord]]:
    """Source records grouped by shared normalised identifiers, each group sorted by key.

    `same` lists pairs of normalised identifiers a person confirmed as one dataset."""
    items = list(records)
    alias: dict[str, str] = {}
    for first, second in same:
        root_first, root_second = alias.get(first, first), alias.get(second, second)
        if root_first != root_second:
            for key, value in list(alias.items()):
                if value == root_second:
                    alias[key] = root_first
            alias[root_second] = root_first
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, item in enumerate(items):
        for raw in item.normalised_identifiers():
            identifier = alias.get(raw, raw)
            if identifier in owner:
                a, b = find(owner[identifier]), find(index)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[identifier] = index
    groups: dict[int, list[SourcedRecord]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[find(index)].append(item)
    return [sorted(group, key=lambda s: s.key) for group in groups.values()]


def _empty(value) -> bool:
    return value in (None, "", [], ()) or (isinstance(value, Agent) and not (value.name or value.email))


@dataclass
class Merged:
    record: DatasetRecord
    field_sources: dict[str, str]
    identifier: str  # the normalised identifier the cluster is known by
    distribution_sources: list[list[str]] = field(default_factory=list)


def merge(group: list[SourcedRecord]) -> Merged:
    """One record for a cluster, freshest source first (ties: the first harvested)."""
    ordered = sorted(group, key=lambda s: (-(s.record.modified or date.min).toordinal(), s.key))
    values: dict[str, object] = {}
    sources: dict[str, str] = {}
    for name in MERGED_FIELDS:
        for item in ordered:
            value = getattr(item.record, name)
            if not _empty(value):
                values[name] = value
                sources[name] = item.source
                break
        else:
            values[name] = getattr(ordered[0].record, name)
            sources[name] = ""
    distributions: dict[str, Distribution] = {}
    dist_sources: dict[str, list[str]] = {}
    for item in ordered:
        for dist in item.record.distributions:
            url = normalise_url(dist.url)
            if url not in distributions:
                distributions[url] = dist
                dist_sources[url] = []
            if item.source not in dist_sources[url]:
                dist_sources[url].append(item.source)
    identifiers = sorted(set().union(*(s.normalised_identifiers() for s in group)))
    preferred = [normalise_identifier(i) for s in ordered for i in s.record.identifiers if normalise_identifier(i)]
    record = DatasetRecord(
        remote_id=ordered[0].record.remote_id,
        identifiers=list(dict.fromkeys([*preferred, *identifiers])),
        distributions=list(distributions.values()),
        **values,
    )
    # The cluster is known by the identifier most of its sources share (freshest source first on ties).
    shared = {i: sum(i in s.normalised_identifiers() for s in group) for i in dict.fromkeys(preferred + identifiers)}
    return Merged(
        record=record,
        field_sources=sources,
        identifier=max(shared, key=lambda i: shared[i]) if shared else "",
        distribution_sources=[dist_sources[u] for u in distributions],
    )


@dataclass(frozen=True)
class Candidate:
    a: int
    b: int
    score: float


def _block_key(title: str) -> str:
    words = [w for w in title.split() if len(w) > 3]
    return " ".join(sorted(words)[:2]) if words else title


def candidates(items: Iterable[tuple[int, str, str]]) -> list[Candidate]:
    """`items` are (dataset key, title, publisher name) of distinct clusters → candidate pairs (a < b).

    Titles are compared within blocks sharing their two alphabetically first long words (what keeps
    50,000 datasets from 1.25 billion comparisons); identical normalised titles always meet."""
    from rapidfuzz import fuzz

    rows = [(key, normalise_title(title), normalise_name(publisher)) for key, title, publisher in items]
    found: dict[tuple[int, int], float] = {}
    exact: dict[str, list[tuple[int, str]]] = defaultdict(list)
    blocks: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for key, title, publisher in rows:
        if not title:
            continue
        exact[title].append((key, publisher))
        blocks[_block_key(title)].append((key, title, publisher))
    for members in exact.values():
        for i, (ka, pa) in enumerate(members):
            for kb, pb in members[i + 1 :]:
                if pa != pb:
                    found[(min(ka, kb), max(ka, kb))] = 1.0
    from rapidfuzz import process

    for members in blocks.values():
        if len(members) < 2 or len(members) > BLOCK_LIMIT:
            continue
        titles = [title for _, title, _ in members]
        # One C call scores the whole block; only pairs above the threshold are looked at in Python.
        matrix = process.cdist(titles, titles, scorer=fuzz.token_sort_ratio, score_cutoff=CANDIDATE_THRESHOLD * 100)
        for i, j in zip(*matrix.nonzero(), strict=True):
            if i >= j:
                continue
            (ka, ta, pa), (kb, tb, pb) = members[i], members[j]
            if pa == pb or ta == tb:
                continue
            score = round(float(matrix[i][j]) / 100, 3)
            pair = (min(ka, kb), max(ka, kb))
            found[pair] = max(found.get(pair, 0.0), score)
    return [Candidate(a, b, score) for (a, b), score in sorted(found.items())]
