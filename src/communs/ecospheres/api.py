"""Écosphères: the API router, mounted at /api/ecospheres/ (token or session)."""

from django.http import Http404
from ninja import Query, Router, Schema

from communs.core.api_auth import token_or_session
from communs.ecospheres import selectors, services

router = Router(tags=["Écosphères"], auth=token_or_session)


class DatasetHit(Schema):
    slug: str
    titre: str
    producteur: str
    qualite: int
    qualite_max: int


class FacetCount(Schema):
    valeur: str
    libelle: str
    nombre: int


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    resultats: list[DatasetHit]
    facettes: dict[str, list[FacetCount]]


class SearchParams(Schema):
    q: str = ""
    theme: list[str] = []
    territoire: list[str] = []
    producteur: list[str] = []
    format: list[str] = []
    licence: list[str] = []
    qualite: list[str] = []
    source: list[str] = []
    page: int = 1


@router.get("/jeux", response=SearchOut, summary="Recherche plein texte avec facettes")
def search(request, params: Query[SearchParams]):
    filters = {key: getattr(params, key) for key, _ in selectors.FACETS}
    result = selectors.search(params.q, filters, page=params.page)
    return {
        "total": result.total,
        "page": result.page,
        "pages": result.pages,
        "resultats": [
            {
                "slug": d.slug,
                "titre": d.title,
                "producteur": d.publisher,
                "qualite": d.quality_score,
                "qualite_max": d.quality_max,
            }
            for d in result.datasets
        ],
        "facettes": {
            key: [{"valeur": f.value, "libelle": f.label, "nombre": f.count} for f in values]
            for key, values in result.facets.items()
        },
    }


class SourceOut(Schema):
    source: str
    remote_id: str


class DatasetOut(Schema):
    slug: str
    identifiant: str
    titre: str
    description: str
    producteur: str
    licence: str
    qualite: int
    qualite_max: int
    criteres: list[dict]
    sources: list[SourceOut]
    champs_sources: dict[str, str]


@router.get("/jeux/{slug}", response=DatasetOut, summary="Un jeu de données, ses sources et sa qualité")
def dataset(request, slug: str):
    found = selectors.get_dataset(slug)
    if found is None:
        raise Http404("Jeu de données inconnu.")
    return {
        "slug": found.slug,
        "identifiant": found.identifier,
        "titre": found.title,
        "description": found.description,
        "producteur": found.publisher,
        "licence": found.license,
        "qualite": found.quality_score,
        "qualite_max": found.quality_max,
        "criteres": [{"id": c["id"], "passed": c["passed"], "advice": c["advice"]} for c in found.quality],
        "sources": found.field_sources.get("_sources", []),
        "champs_sources": {k: v for k, v in found.field_sources.items() if not k.startswith("_")},
    }


class BouquetOut(Schema):
    slug: str
    titre: str
    cas_usage: str
    territoire: str
    statut: str
    disponibilites: dict[str, int]


@router.get("/bouquets", response=list[BouquetOut], summary="Bouquets visibles")
def bouquets(request):
    return [
        {
            "slug": b.slug,
            "titre": b.title,
            "cas_usage": b.use_case,
            "territoire": f"{b.territory_level}:{b.territory_ref}",
            "statut": b.status,
            "disponibilites": selectors.bouquet_counts(b),
        }
        for b in selectors.visible_bouquets(request.user)
        if services.can_see_bouquet(request.user, b)
    ]
