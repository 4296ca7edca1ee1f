"""Écosphères reads: faceted full-text search, dataset pages, bouquets, the missing-data feed, exports.

Search: query words are stemmed in Python (`engine/text.py`) and matched against the stored stems
with SQLite FTS5 (virtual table `ecospheres_dataset_fts`, kept in sync by triggers) or PostgreSQL
(`to_tsvector('simple', search_text)` with a GIN index); both made by migration 0002.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL

from communs.ecospheres.engine import bouquets as rules
from communs.ecospheres.engine import text
from communs.ecospheres.engine.records import DatasetRecord
from communs.ecospheres.models import (
    Bouquet,
    BouquetItem,
    Dataset,
    DatasetFacet,
    DuplicateCandidate,
    HarvestRun,
    HarvestSource,
    Notification,
    SourceRecord,
)

FACETS = [(key, label) for key, label in DatasetFacet.Facet.choices]
FACET_LIMIT = 12
PER_PAGE = 20


def _match_condition(terms: list[frozenset[str]]) -> Q:
    if connection.vendor == "postgresql":
        query = " & ".join("(" + " | ".join(sorted(alternatives)) + ")" for alternatives in terms)
        sql = "SELECT id FROM ecospheres_dataset WHERE to_tsvector('simple', search_text) @@ to_tsquery('simple', %s)"
    else:
        query = " AND ".join("(" + " OR ".join(f'"{s}"' for s in sorted(alternatives)) + ")" for alternatives in terms)
        sql = "SELECT rowid FROM ecospheres_dataset_fts WHERE ecospheres_dataset_fts MATCH %s"
    # The query is a bound parameter; the SQL text is one of two constants.
    return Q(pk__in=RawSQL(sql, [query]))  # noqa: S611


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    total: int
    datasets: list
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    page: int = 1
    pages: int = 1


def territory_labels(codes) -> dict[str, str]:
    """'departement:35' → 'Ille-et-Vilaine (35)' from the territorial reference."""
    from communs.territoires.models import Commune, Departement, Epci, Region

    by_level: dict[str, set[str]] = {}
    for code in codes:
        level, _, insee = code.partition(":")
        by_level.setdefault(level, set()).add(insee)
    labels = {}
    for level, model in (("region", Region), ("departement", Departement), ("commune", Commune), ("epci", Epci)):
        for code, name in model.objects.filter(pk__in=by_level.get(level, ())).values_list("code", "nom"):
            labels[f"{level}:{code}"] = f"{name} ({code})"
    return {code: labels.get(code, code) for code in codes}


def search(q: str = "", filters: dict[str, list[str]] | None = None, page: int = 1, per_page: int = PER_PAGE):
    filters = {k: [v for v in vs if v] for k, vs in (filters or {}).items() if k in dict(FACETS)}
    queryset = Dataset.objects.filter(live=True)
    terms = text.query_terms(q)
    if terms:
        queryset = queryset.filter(_match_condition(terms))
    for facet, values in filters.items():
        if values:
            queryset = queryset.filter(
                pk__in=DatasetFacet.objects.filter(facet=facet, value__in=values).values("dataset_id")
            )
    total = queryset.count()
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    datasets = list(
        queryset.order_by("-quality_score", "title", "pk").only(
            "slug", "title", "description", "publisher", "quality_score", "quality_max", "modified", "license"
        )[(page - 1) * per_page : page * per_page]
    )
    facet_rows = DatasetFacet.objects.all()
    if terms or any(filters.values()):
        facet_rows = facet_rows.filter(dataset_id__in=queryset.values("pk"))
    counts = facet_rows.values_list("facet", "value").annotate(n=Count("dataset")).order_by("facet", "-n", "value")
    facets: dict[str, list[FacetValue]] = {key: [] for key, _ in FACETS}
    for facet, value, count in counts:
        selected = value in filters.get(facet, [])
        if len(facets[facet]) < FACET_LIMIT or selected:
            facets[facet].append(FacetValue(value, value, count, selected))
    labels = territory_labels([f.value for f in facets["territoire"]])
    for item in facets["territoire"]:
        item.label = labels[item.value]
    return SearchResult(total=total, datasets=datasets, facets=facets, page=page, pages=pages)


def get_dataset(slug: str) -> Dataset | None:
    return Dataset.objects.filter(slug=slug).first()


def dataset_sources(dataset: Dataset) -> list[dict]:
    """Each source's own view of the dataset, side by side with the merged one."""
    rows = []
    for record in dataset.records.select_related("source").order_by("source__name"):
        body = DatasetRecord.from_dict(record.data)
        rows.append(
            {
                "source": record.source,
                "remote_id": record.remote_id,
                "record": body,
                "last_seen": record.last_seen,
                "missing_since": record.missing_since,
                "archived": record.archived_at is not None,
            }
        )
    return rows


def dataset_candidates(dataset: Dataset):
    return DuplicateCandidate.objects.filter(Q(a=dataset) | Q(b=dataset)).select_related("a", "b")


def dataset_bouquets(dataset: Dataset, user) -> list[Bouquet]:
    from communs.ecospheres.services import can_see_bouquet

    bouquets = Bouquet.objects.filter(items__dataset=dataset).distinct()
    return [b for b in bouquets if can_see_bouquet(user, b)]


def clusters() -> list[dict]:
    """Datasets published by two or more sources, with each source's remote id (the dedup contract)."""
    multi = (
        Dataset.objects.filter(live=True)
        .annotate(n=Count("records", filter=Q(records__archived_at__isnull=True)))
        .filter(n__gte=2)
    )
    rows = []
    for dataset in multi.order_by("identifier", "pk"):
        sources = [
            {"source": name, "remote_id": remote_id}
            for name, remote_id in dataset.records.filter(archived_at__isnull=True)
            .order_by("source__name", "remote_id")
            .values_list("source__name", "remote_id")
        ]
        rows.append({"dataset": dataset.slug, "identifier": dataset.identifier, "sources": sources})
    return rows


def candidates(status: str | None = None):
    queryset = DuplicateCandidate.objects.select_related("a", "b", "decided_by")
    return queryset.filter(status=status) if status else queryset


# --- Bouquets -----------------------------------------------------------------------------------


def visible_bouquets(user, *, level: str = "", code: str = ""):
    from communs.ecospheres.services import can_edit_bouquet

    queryset = Bouquet.objects.annotate(n_items=Count("items")).order_by("title", "pk")
    if level and code:
        queryset = queryset.filter(territory_level=level, territory_ref=code)
    return [b for b in queryset if b.status == Bouquet.Status.PUBLISHED or can_edit_bouquet(user, b)]


def bouquet_counts(bouquet: Bouquet) -> dict[str, int]:
    return rules.counts(bouquet.items.values_list("availability", flat=True))


def bouquet_sections(bouquet: Bouquet) -> list[tuple[str, list[BouquetItem]]]:
    items = list(bouquet.items.select_related("dataset", "group"))
    sections: list[tuple[str, list[BouquetItem]]] = []
    for group in bouquet.groups.all():
        sections.append((group.name, [i for i in items if i.group_id == group.pk]))
    ungrouped = [i for i in items if i.group_id is None]
    if ungrouped or not sections:
        sections.append(("Autres données" if sections else "Données", ungrouped))
    return sections


def missing_items(user=None, limit: int = 100) -> list[BouquetItem]:
    """The "données manquantes" feed: missing items of published bouquets, newest first."""
    return list(
        BouquetItem.objects.filter(availability=rules.MISSING, bouquet__status=Bouquet.Status.PUBLISHED)
        .select_related("bouquet")
        .order_by("-created_at", "-pk")[:limit]
    )


def notifications(user):
    return Notification.objects.filter(user=user)[:100]


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- Sources ------------------------------------------------------------------------------------


def sources_overview():
    rows = []
    for source in HarvestSource.objects.all():
        rows.append(
            {
                "source": source,
                "last_run": source.runs.first(),
                "records": source.records.filter(archived_at__isnull=True).count(),
                "archived": source.records.filter(archived_at__isnull=False).count(),
            }
        )
    return rows


def get_run(run_id: int) -> HarvestRun | None:
    return HarvestRun.objects.select_related("source").filter(pk=run_id).first()


# --- Exports ------------------------------------------------------------------------------------

CSV_HEADER = [
    "identifiant",
    "titre",
    "producteur",
    "licence",
    "modifie_le",
    "frequence",
    "themes",
    "territoires",
    "formats",
    "sources",
    "qualite",
    "qualite_max",
    "url",
]


def dataset_csv_row(dataset: Dataset, base: str) -> list:
    record = dataset.record
    return [
        dataset.identifier,
        dataset.title,
        dataset.publisher,
        dataset.license,
        dataset.modified,
        record.get("frequency", ""),
        " | ".join(record.get("themes") or []),
        " | ".join(record.get("territories") or []),
        " | ".join(sorted({d.get("format") or "" for d in dataset.distributions} - {""})),
        " | ".join(s["source"] for s in dataset.field_sources.get("_sources", [])),
        dataset.quality_score,
        dataset.quality_max,
        f"{base}/ecospheres/jeux/{dataset.slug}/",
    ]


def catalogue_datasets():
    return Dataset.objects.filter(live=True).order_by("title", "pk")


def records_for_export(datasets) -> list[tuple[str, DatasetRecord]]:
    return [(d.slug, DatasetRecord.from_dict(d.record)) for d in datasets]


def stored_record_count() -> int:
    return SourceRecord.objects.filter(archived_at__isnull=True).count()
