"""PILOTE: the API router, mounted at /api/pilote/ (token or session; writes are scoped like the pages)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router, Status
from ninja.errors import HttpError

from communs.core.api_auth import token_or_session
from communs.pilote import selectors, services, territories
from communs.pilote.engine.territories import NATION
from communs.pilote.models import Indicator, IndicatorResult, Metric
from communs.pilote.schemas import AlertOut, ChantierOut, IndicatorResultOut, ValueIn, ValueOut

router = Router(tags=["PILOTE"], auth=token_or_session)


def _territory(code: str) -> str:
    code = code.upper()
    if code not in territories.axis():
        raise HttpError(400, f"Territoire « {code} » inconnu (NAT-FR, REG-53, DEPT-35).")
    return code


@router.get("/chantiers", response=list[ChantierOut], summary="Avancement des chantiers à un territoire")
def chantiers(request, territoire: str = Query(NATION), ministere: str = "", q: str = ""):
    territory = _territory(territoire)
    return [
        {
            "code": row.chantier.code,
            "nom": row.chantier.nom,
            "ministere": row.chantier.ministere.nom,
            "axe": row.chantier.axe,
            "statut": row.chantier.statut,
            "territoire": territory,
            "ta": row.ta,
            "tendance": row.trend,
            "mediane": row.median,
            "meteo": row.meteo.meteo if row.meteo else None,
            "alertes": row.alert_total,
        }
        for row in selectors.dashboard(territory=territory, ministere=ministere, q=q)
    ]


@router.get(
    "/chantiers/{code}/indicateurs", response=list[IndicatorResultOut], summary="TA des indicateurs d'un chantier"
)
def indicateurs(request, code: str, territoire: str = Query(NATION)):
    chantier = selectors.get_chantier(code)
    if chantier is None:
        raise Http404(f"Chantier « {code} » inconnu.")
    results = IndicatorResult.objects.filter(indicator__chantier=chantier, territory=_territory(territoire))
    return [
        {
            "indicateur": r.indicator.code,
            "territoire": r.territory,
            "vi": r.vi,
            "va": r.va,
            "vc": r.vc,
            "ta": r.ta,
            "ta_non_borne": r.ta_unbounded,
            "ta_annuel": r.ta_annual,
            "periode": r.period,
            "agrege": r.computed,
        }
        for r in results.select_related("indicator").order_by("indicator__code")
    ]


@router.get("/alertes", response=list[AlertOut], summary="Alertes d'un territoire")
def alertes(request, territoire: str = Query(NATION)):
    return [
        {
            "kind": a.kind,
            "libelle": a.get_label(),
            "chantier": a.chantier.code,
            "indicateur": a.indicator.code if a.indicator else None,
            "territoire": a.territory,
            "valeur": a.value,
            "reference": a.reference,
        }
        for a in selectors.alerts_for(territory=_territory(territoire))
    ]


@router.post("/valeurs", response={201: ValueOut}, summary="Saisir une valeur officielle")
def saisir(request, payload: ValueIn):
    indicator = Indicator.objects.select_related("chantier__ministere").filter(code=payload.indicateur).first()
    if indicator is None:
        raise Http404(f"Indicateur « {payload.indicateur} » inconnu.")
    if payload.metrique not in Metric.values:
        raise HttpError(400, f"Métrique « {payload.metrique} » inconnue (vi, va, vc, den).")
    territory = _territory(payload.territoire)
    try:
        services.save_value(
            request.user, indicator, territory, payload.date, payload.metrique, payload.valeur, payload.motif
        )
    except ValidationError as exc:
        raise HttpError(400, exc.messages[0]) from exc
    return Status(
        201,
        {
            "indicateur": indicator.code,
            "territoire": territory,
            "date": payload.date,
            "metrique": payload.metrique,
            "valeur": payload.valeur,
            "modifie_par": request.user.get_username(),
        },
    )
