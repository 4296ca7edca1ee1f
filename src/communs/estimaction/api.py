"""Estim'Action: the API router, mounted at /api/estimaction/.

Results are aggregated figures (open data, no nominative data): read routes are public, like the
dashboard. Core sets authentication per router, so each operation says `auth=None` explicitly.
"""

from django.http import Http404
from ninja import Query, Router
from ninja.errors import HttpError

from communs.estimaction import dashboard, selectors
from communs.estimaction.engine.diagnosis import noise_sources
from communs.estimaction.engine.impacts import AirRows, air_impact, noise_impacts
from communs.estimaction.engine.parameters import AIR_PARAMETER_SETS, PARAMETER_ALIASES, POLLUTANTS
from communs.estimaction.models import TerritoryLevel
from communs.estimaction.schemas import DatasetOut, ImpactsIn, ImpactsOut, TerritoryOut

router = Router(tags=["Estim'Action"])


@router.get("/datasets", response=list[DatasetOut], auth=None, summary="Jeux de données et leurs millésimes")
def datasets(request):
    return list(selectors.list_datasets())


@router.get(
    "/territories/{level}/{code}", response=TerritoryOut, auth=None, summary="Diagnostic bruit et air d'un territoire"
)
def territory(
    request,
    level: str,
    code: str,
    parametres: str = Query("spf2021", description="spf2021 ou who2021"),
    seuils: str = Query("who", description="who ou regulatory"),
):
    if level not in TerritoryLevel.values:
        raise HttpError(400, f"Niveau « {level} » inconnu (commune, epci, departement).")
    result = selectors.get_result(level, code)
    if result is None:
        raise Http404(f"Aucun diagnostic calculé pour {level} {code}.")
    options = dashboard.Options.parse({"parametres": parametres, "seuils": seuils})
    figures = dashboard.build(result, options)["figures"]
    return {
        "level": result.level,
        "code": result.code,
        "name": result.name,
        "computed_at": result.computed_at,
        "total_population": result.total_population,
        "exposure": {key: result.exposure[key] for key in ("lden", "lnight")},
        "exceedance": result.exposure.get("exceedance", {}),
        "exposure_by_source": noise_sources(result.exposure),
        "above_thresholds": figures["above"],
        "noise": figures["noise"],
        "air": figures["air"],
        "parameters": figures["parameters"],
        "datasets": result.datasets,
    }


@router.post("/impacts", response=ImpactsOut, auth=None, summary="Impacts sanitaires d'une exposition donnée")
def impacts(request, payload: ImpactsIn):
    """Calcul sans base de données, comme `communs estimaction impacts`."""
    key = PARAMETER_ALIASES[payload.parameters]
    try:
        noise = noise_impacts(
            payload.lden,
            payload.lnight,
            ihd_incidence_per_100k=payload.ihd_incidence,
            source_type=payload.source_type,
        )
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None
    air = {}
    for pollutant in POLLUTANTS:
        rows = [row for row in payload.air if row.pollutant == pollutant]
        if rows:
            data = AirRows.of(
                [r.concentration for r in rows], [r.population for r in rows], [r.baseline_death_rate for r in rows]
            )
            air[pollutant] = air_impact(data, AIR_PARAMETER_SETS[key].crfs[pollutant], monte_carlo=payload.monte_carlo)
    return {
        "noise": noise.as_dict(),
        "air": {k: v.as_dict() for k, v in air.items()},
        "parameters": AIR_PARAMETER_SETS[key].version,
    }
