"""Champollion: the API router, mounted at /api/champollion/ (token or session).

Same rules as the pages: a Champollion role is needed; contracts with names need a scope over the
establishment's département and every read writes an audit event.
"""

from django.http import Http404
from ninja import Query, Router

from communs.champollion import selectors, services
from communs.champollion.schemas import ClassementOut, ContratOut, EtablissementDetailOut, EtablissementOut
from communs.core.api_auth import token_or_session

router = Router(tags=["Champollion"], auth=token_or_session)


def _etab(est) -> dict:
    return {
        k: getattr(est, k)
        for k in (
            "siret",
            "name",
            "naf",
            "postal_code",
            "departement",
            "region",
            "idcc",
            "declares",
            "first_month",
            "last_month",
        )
    }


def _score(score) -> dict | None:
    if score is None:
        return None
    est = score.etablissement
    return {
        "siret": est.siret,
        "name": est.name,
        "departement": est.departement,
        "rank": score.rank,
        "risk_score": score.risk_score,
        "findings": score.findings,
        "peer_group": score.peer_group,
        "reasons": score.reasons,
    }


def _get(siret: str):
    est = selectors.get_establishment(siret)
    if est is None:
        raise Http404(f"Établissement {siret} inconnu de Champollion.")
    return est


@router.get("/etablissements", response=list[EtablissementOut], summary="Chercher un établissement")
def etablissements(request, q: str, limit: int = Query(20, ge=1, le=selectors.SEARCH_LIMIT)):
    """Par SIRET, SIREN (début du SIRET), raison sociale ou code NAF."""
    selectors.require_champollion_user(request.auth)
    return [_etab(e) for e in selectors.search_establishments(q, limit)]


@router.get(
    "/etablissements/{siret}", response=EtablissementDetailOut, summary="Un établissement, ses constats et son score"
)
def etablissement(request, siret: str):
    selectors.require_champollion_user(request.auth)
    est = _get(siret)
    findings = [
        {
            "rule": f.rule,
            "rule_version": f.rule_version,
            "status": f.status,
            "siret": est.siret,
            "poste": f.poste,
            "contract": f.contrat.numero,
            "previous_contract": f.contrat_precedent.numero if f.contrat_precedent else None,
            "article": f.article,
            "first_legal_day": f.first_legal_day,
            "confidence": f.confidence,
            "legislation": f.legislation,
            "explanation": f.explanation,
            "evidence": f.evidence,
        }
        for f in selectors.findings_of(est)
    ]
    return {**_etab(est), "findings": findings, "score": _score(selectors.score_of(est))}


@router.get(
    "/etablissements/{siret}/contrats",
    response=list[ContratOut],
    summary="Contrats nominatifs d'un établissement (périmètre requis, accès journalisé)",
)
def contrats(request, siret: str):
    selectors.require_champollion_user(request.auth)
    est = _get(siret)
    rows = services.view_contracts(request.auth, est, reason="API", action="champollion.contrat.api")
    return [
        {
            "contract": c.numero,
            "salarie": c.salarie.pseudonym,
            "nom": c.salarie.nom,
            "prenoms": c.salarie.prenoms,
            "siret_declarant": c.etablissement.siret,
            "nature": c.nature,
            "motif": c.motif,
            "poste": c.poste,
            "start": c.start,
            "end": c.end,
            "end_status": c.end_status,
            "expected_end": c.expected_end,
            "corrected_end": c.corrected_end,
            "renewals": c.renewals,
            "previous_numeros": c.previous_numeros,
        }
        for c in rows
    ]


@router.get("/ciblage", response=ClassementOut, summary="Classement de ciblage de mon territoire")
def ciblage(request):
    selectors.require_champollion_user(request.auth)
    classement, scores = selectors.targeting_list(request.auth)
    if classement is None:
        raise Http404("Aucun classement : aucune DSN importée.")
    return {
        "algorithm_version": classement.algorithm_version,
        "weights": classement.weights,
        "data_month": classement.data_month,
        "scores": [_score(s) for s in scores],
    }
