"""État bas carbone: the API router, mounted at /api/bascarbone/ (token or session; scoped like the pages)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router

from communs.bascarbone import selectors
from communs.bascarbone.models import Entity
from communs.bascarbone.schemas import EntityOut, InventorySummaryOut
from communs.core.api_auth import token_or_session

router = Router(tags=["État bas carbone"], auth=token_or_session)


def _t(kg: float) -> float:
    return round(kg / 1000, 6)


@router.get("/entites", response=list[EntityOut], summary="Entités visibles")
def entities(request):
    """Les entités que vous pouvez consulter (votre sous-arbre, ou toutes pour le CGDD)."""
    rows = selectors.visible_entities(request.user).prefetch_related("parents").order_by("code")
    return [
        {
            "code": e.code,
            "nom": e.name,
            "type": e.kind,
            "parents": sorted(p.code for p in e.parents.all()),
            "region": e.region,
            "departement": e.departement,
        }
        for e in rows
    ]


@router.get("/entites/{code}/{year}", response=InventorySummaryOut, summary="Bilan consolidé d'une entité")
def inventory_summary(request, code: str, year: int):
    """Total, incertitude (demi-largeur à 95 %), postes, catégories et complétude du sous-arbre ; chaque entité
    atteinte par plusieurs chemins n'est comptée qu'une fois."""
    entity = get_object_or_404(Entity, code=code)
    selectors.require_view(request.user, entity)
    result = selectors.consolidate(entity, year)
    if result is None:
        raise Http404(f"Aucune donnée pour « {entity.name} » en {year}.")
    node = result.nodes[entity.code]
    children = [
        {
            "code": child.code,
            "nom": child.name,
            "total_tco2e": _t(result.nodes[child.code].total_kg),
            "uncertainty_tco2e": _t(result.nodes[child.code].uncertainty_kg),
        }
        for child in selectors.children_of(entity)
        if child.code in result.nodes
    ]
    return {
        "entite": entity.code,
        "annee": year,
        "total_tco2e": _t(node.total_kg),
        "uncertainty_tco2e": _t(node.uncertainty_kg),
        "co2b_t": _t(node.co2b_kg),
        "gwp_set": result.gwp_set,
        "factor_version": result.factor_version,
        "entities_counted": node.entities,
        "posts": {
            code: {key.replace("_kg", "_t"): _t(value) for key, value in post.items()}
            for code, post in node.posts().items()
        },
        "categories": {code: _t(value) for code, value in node.categories().items()},
        "completeness": node.completeness(),
        "children": children,
    }
