"""Public API of the territorial reference, at /api/territoires/ (no authentication: open data).

Core sets authentication per router, so every operation here says `auth=None` explicitly.
"""

from django.http import Http404
from django.urls import reverse
from ninja import Query, Router
from ninja.errors import HttpError

from communs.core.tokens import authenticate_token
from communs.territoires import selectors, synthesis
from communs.territoires.panels import PanelChart
from communs.territoires.schemas import (
    CommuneDetailOut,
    CommuneOut,
    DepartementDetailOut,
    DepartementOut,
    EpciOut,
    RegionDetailOut,
    RegionOut,
    SynthesisOut,
    TerritoryHitOut,
)

router = Router(tags=["territoires"])


def _ref(obj):
    return {"code": obj.code, "nom": obj.nom} if obj is not None else None


def commune_out(commune) -> dict:
    return {
        "code": commune.code,
        "nom": commune.nom,
        "type": commune.kind,
        "departement": commune.departement_id,
        "region": commune.region_id,
        "epci": commune.epci_id,
        "commune_parente": commune.parent_id,
        "population": commune.population,
        "codes_postaux": commune.postcode_list,
    }


@router.get("/communes", response=list[CommuneOut], auth=None, summary="Rechercher des communes")
def communes(request, q: str, limit: int = Query(20, ge=1, le=selectors.MAX_LIMIT)):
    """Par nom (sans tenir compte des accents ni de la casse, « st » pour « saint »), code INSEE ou code postal."""
    if not q.strip():
        raise HttpError(400, "Le paramètre « q » ne doit pas être vide.")
    return [commune_out(c) for c in selectors.search_communes(q, limit)]


@router.get("/communes/{code}", response=CommuneDetailOut, auth=None, summary="Une commune et ses parents")
def commune(request, code: str):
    found = selectors.get_commune(code)
    if found is None:
        raise Http404(f"Commune « {code} » inconnue du référentiel.")
    return {
        "code": found.code,
        "nom": found.nom,
        "type": found.kind,
        "siren": found.siren,
        "population": found.population,
        "codes_postaux": found.postcode_list,
        "departement": _ref(found.departement),
        "region": _ref(found.region),
        "epci": _ref(found.epci),
        "commune_parente": _ref(found.parent),
    }


@router.get("/departements", response=list[DepartementOut], auth=None, summary="Tous les départements")
def departements(request):
    return [{"code": d.code, "nom": d.nom, "region": d.region_id} for d in selectors.list_departements()]


@router.get("/departements/{code}", response=DepartementDetailOut, auth=None, summary="Un département")
def departement(request, code: str):
    found = selectors.get_departement(code)
    if found is None:
        raise Http404(f"Département « {code} » inconnu du référentiel.")
    return {"code": found.code, "nom": found.nom, "region": _ref(found.region), "communes_count": found.communes_count}


@router.get("/regions", response=list[RegionOut], auth=None, summary="Toutes les régions")
def regions(request):
    return list(selectors.list_regions().values("code", "nom"))


@router.get("/regions/{code}", response=RegionDetailOut, auth=None, summary="Une région et ses départements")
def region(request, code: str):
    found = selectors.get_region(code)
    if found is None:
        raise Http404(f"Région « {code} » inconnue du référentiel.")
    return {
        "code": found.code,
        "nom": found.nom,
        "departements": list(selectors.departements_of_region(code).values("code", "nom")),
    }


@router.get("/epci/{code}", response=EpciOut, auth=None, summary="Un EPCI et ses communes membres")
def epci(request, code: str):
    found = selectors.get_epci(code)
    if found is None:
        raise Http404(f"EPCI « {code} » inconnu du référentiel.")
    return {
        "code": found.code,
        "nom": found.nom,
        "type": found.type,
        "population": found.population,
        "membres": list(selectors.members_of_epci(code).values("code", "nom")),
    }


@router.get("/recherche", response=list[TerritoryHitOut], auth=None, summary="Rechercher tout territoire")
def recherche(
    request,
    q: str,
    niveau: list[str] = Query(None, description="commune, epci, departement, region (répétable)"),  # noqa: B008
    limit: int = Query(20, ge=1, le=selectors.MAX_LIMIT),
):
    levels = niveau or list(selectors.LEVELS)
    unknown = [level for level in levels if level not in selectors.LEVELS]
    if unknown:
        raise HttpError(400, f"Niveau inconnu : {', '.join(unknown)} (attendu : {', '.join(selectors.LEVELS)}).")
    return [
        {
            "niveau": hit.level,
            "code": hit.code,
            "nom": hit.nom,
            "population": hit.population,
            "parent": hit.parent_code,
        }
        for hit in selectors.search_territories(q, levels, limit)
    ]


def _caller(request):
    """The synthesis is open to everyone; a personal token or the browser session adds what that
    user may see. A token that does not authenticate is refused rather than silently ignored."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = authenticate_token(header[7:].strip())
        if user is None:
            raise HttpError(401, "Jeton d'API invalide ou expiré.")
        return user
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated and user.is_active else None


def synthesis_out(found: synthesis.Identity, panels: list[synthesis.ShownPanel], request) -> dict:
    ref = found.ref
    return {
        "niveau": ref.level,
        "code": ref.code,
        "nom": ref.name,
        "population": found.population,
        "parents": [{"niveau": p.level, "code": p.code, "nom": p.name} for p in found.parents],
        "page": request.build_absolute_uri(
            reverse("territoires:territory", kwargs={"level": ref.level, "code": ref.code})
        ),
        "panneaux": [
            {
                "service": shown.panel.service,
                "titre": shown.panel.title,
                "source": shown.data.source,
                "date": shown.data.as_of,
                "lien": request.build_absolute_uri(shown.data.link),
                "note": shown.data.note,
                "chiffres": [
                    {
                        "cle": figure.key,
                        "libelle": figure.label,
                        "valeur": figure.value,
                        "unite": figure.unit,
                        "decimales": figure.decimals,
                    }
                    for figure in shown.data.figures
                ],
                "graphique": None
                if not isinstance(shown.data.chart, PanelChart)
                else {
                    "titre": shown.data.chart.title,
                    "categories": list(shown.data.chart.categories),
                    "valeurs": list(shown.data.chart.values),
                    "axe_categories": shown.data.chart.x_label,
                    "axe_valeurs": shown.data.chart.y_label,
                    "unite": shown.data.chart.unit,
                },
            }
            for shown in panels
        ],
    }


@router.get(
    "/{level}/{code}/synthese",
    response=SynthesisOut,
    auth=None,
    summary="Ce que les services savent d'un territoire",
)
def synthese(request, level: str, code: str):
    """Niveau `commune`, `epci` (code SIREN), `departement` ou `region`. Sans authentification, les
    panneaux publics seulement ; avec un jeton personnel ou une session, ce que ses rôles permettent."""
    if synthesis.parse_level(level) is None:
        raise Http404(f"Niveau « {level} » inconnu (attendu : commune, epci, departement, region).")
    found = synthesis.identity_light(level, code)
    if found is None:
        raise Http404(f"Territoire « {level} {code} » inconnu du référentiel.")
    user = _caller(request)
    panels = synthesis.shown_panels(found.ref, user, public_only=user is None)
    return synthesis_out(found, panels, request)
